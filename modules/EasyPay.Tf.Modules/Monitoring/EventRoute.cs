using System.Text.Json.Nodes;
using Constructs;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchEventRule;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchEventTarget;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>An EventBridge rule on the default bus and its one target, an SNS topic: how GuardDuty findings, failed
/// backup jobs and ElastiCache events reach the alarm topic. Creates children "rule" and "topic" of the calling
/// construct, so each caller keeps its resources' addresses.</summary>
internal static class EventRoute
{
    /// <returns>The rule's ARN.</returns>
    public static string ToTopic(Construct scope, string name, string description, JsonObject pattern, string topicArn)
    {
        var rule = new CloudwatchEventRule(scope, "rule", new CloudwatchEventRuleConfig
        {
            Name = name,
            Description = description,
            EventPattern = pattern.ToJsonString(),
        });
        new CloudwatchEventTarget(scope, "topic", new CloudwatchEventTargetConfig
        {
            Rule = rule.Name,
            TargetId = "sns-topic",
            Arn = topicArn,
            // No role_arn: SNS targets are authorized by the topic policy, and a role breaks delivery to
            // KMS-encrypted topics (EventBridge user guide, "Using resource-based policies").
        });
        return rule.Arn;
    }
}
