using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchLogGroup;

namespace EasyPay.Tf.Modules.Logging;

/// <summary>Props of <see cref="LogGroup"/>.</summary>
/// <param name="Name">Log group name, e.g. /aws/vpc/easypay-prod/flow-logs.</param>
/// <param name="RetentionDays">One of CloudWatch's retention values (<see cref="LogRetention.AllowedDays"/>).</param>
/// <param name="KmsKeyArn">Customer-managed key whose policy lets CloudWatch Logs use it.</param>
public sealed record LogGroupProps(string Name, int RetentionDays, string KmsKeyArn);

/// <summary>A CloudWatch log group that is always KMS-encrypted and always expires its events.</summary>
public sealed class LogGroup : Construct
{
    public string Name { get; }
    public string Arn { get; }

    /// <summary>The log group resource, for services that would otherwise create the group themselves
    /// (unencrypted, never expiring) and so must start after it exists.</summary>
    public ITerraformDependable Resource { get; }

    public LogGroup(Construct scope, string id, LogGroupProps props) : base(scope, id)
    {
        new PropsValidator(nameof(LogGroupProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .Check(LogRetention.IsAllowed(props.RetentionDays), nameof(props.RetentionDays), LogRetention.Problem(props.RetentionDays))
            .CheckNotEmpty(props.KmsKeyArn, nameof(props.KmsKeyArn))
            .ThrowIfInvalid();
        var group = new CloudwatchLogGroup(this, "group", new CloudwatchLogGroupConfig
        {
            Name = props.Name,
            RetentionInDays = props.RetentionDays,
            KmsKeyId = props.KmsKeyArn,
        });
        Name = group.Name;
        Arn = group.Arn;
        Resource = group;
    }
}

/// <summary>The retention periods CloudWatch Logs accepts (any other value fails at apply time).</summary>
public static class LogRetention
{
    public static readonly IReadOnlyList<int> AllowedDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static bool IsAllowed(int days) => AllowedDays.Contains(days);

    public static string Problem(int days) =>
        $"{days} is not a CloudWatch Logs retention period; use one of {string.Join(", ", AllowedDays)}";
}
