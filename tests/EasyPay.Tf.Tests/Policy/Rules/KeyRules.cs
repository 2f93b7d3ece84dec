using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>KMS: who administers a key is separated from who uses it, and service statements name exactly what
/// they may encrypt.</summary>
public static class KeyRules
{
    public static readonly StackRule ProductionKeysSurviveAdmins = new("KMS-001",
        "Production KMS keys deny kms:ScheduleKeyDeletion to everyone but named principals (break-glass)",
        Severity.Critical, Applicability.ProductionOnly,
        "Scheduling the deletion of the database or backup key destroys every snapshot with it; an account administrator must not be able to.",
        ctx => ctx.Resources("aws_kms_key")
            .Where(k => !(AwsFacts.Statements(ctx, k["policy"]) ?? []).Any(s => s.Effect == "Deny" && s.IsPublic && s.Actions.Contains("kms:ScheduleKeyDeletion")
                && s.Conditions.Any(c => c.Test == "ArnNotEquals" && c.Variable == "aws:PrincipalArn")))
            .Select(k => ctx.Violation(k, "the key policy does not deny kms:ScheduleKeyDeletion to \"*\" except the break-glass role (KeyGovernance)")))
    {
        Subjects = ["aws_kms_key"],
    };

    public static readonly StackRule AdministrationSeparated = new("KMS-002",
        "In stacks a Terraform Cloud workspace applies, no key policy lets the account's IAM policies administer the key (kms:* or kms:PutKeyPolicy to the root without an aws:PrincipalArn condition)",
        Severity.High, Applicability.AllEnvironments,
        "With root kms:* every IAM administrator can rewrite the key policy or delete the key; administration belongs to the stack's deployer and break-glass.",
        ctx => ctx.Env.TerraformCloud is null || ctx.StackName is "account" ? [] : ctx.Resources("aws_kms_key")
            .Where(k => (AwsFacts.Statements(ctx, k["policy"]) ?? []).Any(s => s.Effect == "Allow"
                && s.Principals.Any(p => p.EndsWith(":root", StringComparison.Ordinal))
                && s.Actions.Any(a => a is "kms:*" or "kms:PutKeyPolicy" or "kms:Put*" or "kms:ScheduleKeyDeletion")
                && !s.Conditions.Any(c => c.Variable == "aws:PrincipalArn")))
            .Select(k => ctx.Violation(k, "the account root may administer the key through IAM: give administration to KeyGovernance's administrators only")))
    {
        Subjects = ["aws_kms_key"],
    };

    public static readonly StackRule ExactLogGroups = new("KMS-003",
        "Key statements for CloudWatch Logs name exact log group ARNs (no wildcard in kms:EncryptionContext:aws:logs:arn)",
        Severity.Medium, Applicability.AllEnvironments,
        "log-group:* lets any log group of the account, created by anyone, encrypt with (and so read through) a database or cluster key.",
        ctx => ctx.Resources("aws_kms_key")
            .Where(k => (AwsFacts.Statements(ctx, k["policy"]) ?? []).Any(s => s.Principals.Any(p => p.StartsWith("logs.", StringComparison.Ordinal))
                && !s.Conditions.Any(c => c.Variable == "kms:EncryptionContext:aws:logs:arn" && c.Values.Count > 0 && c.Values.All(v => !v.Contains('*') && !v.Contains('?')))))
            .Select(k => ctx.Violation(k, "a CloudWatch Logs statement does not pin kms:EncryptionContext:aws:logs:arn to exact log group ARNs")))
    {
        Subjects = ["aws_kms_key"],
    };

    /// <summary>Services that publish to an encrypted SNS topic and send aws:SourceAccount to KMS. EventBridge does
    /// not (SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted topics").</summary>
    public static readonly IReadOnlyList<string> SourceConditionedServices = ["cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "backup.amazonaws.com"];

    public static readonly StackRule ServiceStatementsConditioned = new("KMS-004",
        "Key statements for the services that publish to alarm topics (CloudWatch, RDS events, AWS Backup) carry aws:SourceAccount or aws:SourceArn",
        Severity.Medium, Applicability.AllEnvironments,
        "Without a source condition another account's alarm or vault could use our topic key through the service (confused deputy).",
        ctx => ctx.Resources("aws_kms_key")
            .Where(k => (AwsFacts.Statements(ctx, k["policy"]) ?? []).Any(s => s.Effect == "Allow" && s.Principals.Any(SourceConditionedServices.Contains)
                && !s.Conditions.Any(c => c.Variable is "aws:SourceAccount" or "aws:SourceArn")))
            .Select(k => ctx.Violation(k, "a statement for cloudwatch/events.rds/backup.amazonaws.com has no aws:SourceAccount or aws:SourceArn condition")))
    {
        Subjects = ["aws_kms_key"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [ProductionKeysSurviveAdmins, AdministrationSeparated, ExactLogGroups, ServiceStatementsConditioned];
}
