using System.Text.Json.Nodes;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Monitoring;

namespace EasyPay.Tf.Modules.Audit;

/// <summary>Props of <see cref="FindingsRoute"/>.</summary>
/// <param name="Name">Rule name, e.g. "easypay-prod-guardduty-findings".</param>
/// <param name="TopicArn">Topic the findings go to. Its policy must let events.amazonaws.com sns:Publish, and a
/// KMS-encrypted topic's key policy must let events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.</param>
public sealed record FindingsRouteProps(string Name, string TopicArn)
{
    /// <summary>Lowest GuardDuty severity that pages: 4 is Medium (GuardDuty: Low 1.0-3.9, Medium 4.0-6.9,
    /// High 7.0-8.9, Critical 9.0-10.0). @default 4</summary>
    public int MinimumSeverity { get; init; } = 4;
}

/// <summary>An EventBridge rule on the default bus that sends GuardDuty findings of at least a severity to an
/// SNS topic. GuardDuty publishes each new finding, and updates of it at the detector's publishing frequency.</summary>
public sealed class FindingsRoute : Construct
{
    public string RuleArn { get; }

    public FindingsRoute(Construct scope, string id, FindingsRouteProps props) : base(scope, id)
    {
        new PropsValidator(nameof(FindingsRouteProps))
            .CheckEventRuleName(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.TopicArn, nameof(props.TopicArn))
            .Check(props.MinimumSeverity is >= 1 and <= 10, nameof(props.MinimumSeverity),
                $"{props.MinimumSeverity} is outside GuardDuty's severity range 1-10")
            .ThrowIfInvalid();

        // EventBridge user guide, "Content filtering": numeric matching on detail.severity.
        RuleArn = EventRoute.ToTopic(this, props.Name!, $"GuardDuty findings of severity {props.MinimumSeverity} or more", new JsonObject
        {
            ["source"] = new JsonArray("aws.guardduty"),
            ["detail-type"] = new JsonArray("GuardDuty Finding"),
            ["detail"] = new JsonObject
            {
                ["severity"] = new JsonArray(new JsonObject { ["numeric"] = new JsonArray(">=", props.MinimumSeverity) }),
            },
        }, props.TopicArn!);
    }
}
