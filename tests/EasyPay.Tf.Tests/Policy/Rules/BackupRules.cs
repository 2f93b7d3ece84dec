using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>BKP: backups survive an attacker with administrator rights, and their failures page a human.</summary>
public static class BackupRules
{
    public static readonly StackRule ProductionVaultsLocked = new("BKP-001",
        "Production backup vaults have a compliance-mode Vault Lock whose minimum retention covers the plan's, and a vault policy that denies deleting recovery points to everyone but break-glass",
        Severity.Critical, Applicability.ProductionOnly,
        "An attacker (or an administrator's stolen session) deletes recovery points before encrypting the database; a compliance lock stops even the root user, the policy stops anyone but break-glass.",
        ctx => ctx.Resources("aws_backup_vault").SelectMany(vault => VaultProblems(ctx, vault)))
    {
        Subjects = ["aws_backup_vault"],
    };

    public static readonly StackRule ProductionCopiesAirGapped = new("BKP-002",
        "Production backup copies go to a logically air-gapped vault",
        Severity.High, Applicability.ProductionOnly,
        "A copy in an ordinary vault of the same account falls with it; an air-gapped vault is compliance-locked, under an AWS-owned key, its points in an AWS account.",
        ctx => ctx.Resources("aws_backup_plan").SelectMany(plan => TfValue.Blocks(plan["rule"])
            .SelectMany(rule => TfValue.Blocks(rule["copy_action"]))
            .Where(copy => ctx.Resolve(copy["destination_vault_arn"]) is not { Type: "aws_backup_logically_air_gapped_vault" })
            .Select(_ => ctx.Violation(plan, "a copy_action's destination_vault_arn is not an aws_backup_logically_air_gapped_vault"))))
    {
        Subjects = ["aws_backup_plan"],
    };

    public static readonly StackRule NonProductionLocksRemovable = new("BKP-003",
        "Outside production no backup vault or bucket is compliance-locked",
        Severity.Medium, Applicability.NonProduction,
        "A compliance lock cannot be lifted by anyone: the environment could never be destroyed and would bill its recovery points for their whole retention.",
        ctx => ctx.Resources("aws_backup_vault_lock_configuration")
                .Where(l => TfValue.IsSet(l["changeable_for_days"]))
                .Select(l => ctx.Violation(l, "changeable_for_days makes this a compliance lock: omit it (governance mode)"))
            .Concat(ctx.Resources("aws_s3_bucket_object_lock_configuration")
                .Where(l => TfValue.Blocks(l["rule"]).SelectMany(r => TfValue.Blocks(r["default_retention"])).Any(d => TfValue.Text(d["mode"]) == "COMPLIANCE"))
                .Select(l => ctx.Violation(l, "default retention mode COMPLIANCE outside production: use GOVERNANCE"))))
    {
        Subjects = ["aws_backup_vault_lock_configuration", "aws_s3_bucket_object_lock_configuration"],
    };

    public static readonly StackRule BackupRoleCannotRestore = new("BKP-004",
        "The role a backup selection runs as cannot restore (AWSBackupServiceRolePolicyForRestores is on a separate role)",
        Severity.Medium, Applicability.AllEnvironments,
        "The restore policy creates and deletes databases and volumes; the role every scheduled job uses should only read what it backs up.",
        ctx => ctx.Resources("aws_backup_selection").SelectMany(selection =>
        {
            var role = ctx.Resolve(selection["iam_role_arn"]);
            return role is null ? [] : ctx.Resources("aws_iam_role_policy_attachment")
                .Where(a => ctx.RefersTo(a["role"], role) && (TfValue.Text(a["policy_arn"]) ?? "").EndsWith("/AWSBackupServiceRolePolicyForRestores", StringComparison.Ordinal))
                .Select(_ => ctx.Violation(selection, $"its role {role.Address} has AWSBackupServiceRolePolicyForRestores: give restores a role of their own"));
        }))
    {
        Subjects = ["aws_backup_selection"],
    };

    public static readonly StackRule ProductionVeleroLocked = new("BKP-005",
        "The production Velero bucket has Object Lock in compliance mode for longer than Velero's 7-day TTL",
        Severity.High, Applicability.ProductionOnly,
        "Velero's credentials (or an administrator) can delete backup objects; locked versions survive the delete until the lock ends.",
        ctx => ctx.Resources("aws_s3_bucket").Where(b => (TfValue.Text(b["bucket"]) ?? "").Contains("velero", StringComparison.Ordinal)).SelectMany(bucket =>
        {
            var retention = ctx.Resources("aws_s3_bucket_object_lock_configuration").Where(l => ctx.RefersTo(l["bucket"], bucket))
                .SelectMany(l => TfValue.Blocks(l["rule"])).SelectMany(r => TfValue.Blocks(r["default_retention"])).FirstOrDefault();
            return ctx.Violations(bucket,
                (retention is null, "has no aws_s3_bucket_object_lock_configuration"),
                (retention is not null && TfValue.Text(retention["mode"]) != "COMPLIANCE", "Object Lock mode is not COMPLIANCE"),
                (retention is not null && (TfValue.Number(retention["days"]) ?? 0) <= VeleroTtlDays, $"Object Lock days do not exceed Velero's {VeleroTtlDays}-day TTL"));
        }))
    {
        Subjects = ["aws_s3_bucket"],
    };

    public static readonly StackRule FailuresPage = new("BKP-006",
        "Every backup vault has vault notifications (copy failures, recovery point changes) in some stack of the environment, and backup-job failures reach the alarm topic through EventBridge",
        Severity.High, Applicability.AllEnvironments,
        "A backup that silently stops working is found on the day of the restore.",
        FailureAlertProblems)
    {
        Subjects = ["aws_backup_vault"],
    };

    /// <summary>Velero's backup TTL in days (PlatformAddonsProps.VeleroBackupTtl, 168h0m0s).</summary>
    public const int VeleroTtlDays = 7;

    public static IReadOnlyList<StackRule> All { get; } =
        [ProductionVaultsLocked, ProductionCopiesAirGapped, NonProductionLocksRemovable, BackupRoleCannotRestore, ProductionVeleroLocked, FailuresPage];

    private static IEnumerable<Violation> VaultProblems(PolicyContext ctx, TfResource vault)
    {
        var retention = ctx.Resources("aws_backup_plan").SelectMany(p => TfValue.Blocks(p["rule"]))
            .Where(r => ctx.RefersTo(r["target_vault_name"], vault))
            .Select(r => TfValue.Number(TfValue.Block(r["lifecycle"])?["delete_after"]) ?? 0).DefaultIfEmpty(0).Max();
        var lockConfig = ctx.Resources("aws_backup_vault_lock_configuration").FirstOrDefault(l => ctx.RefersTo(l["backup_vault_name"], vault));
        var policy = ctx.Resources("aws_backup_vault_policy").FirstOrDefault(p => ctx.RefersTo(p["backup_vault_name"], vault));
        var denies = (AwsFacts.Statements(ctx, policy?["policy"]) ?? [])
            .Any(s => s.Effect == "Deny" && s.IsPublic && s.Actions.Contains("backup:DeleteRecoveryPoint")
                && s.Conditions.Any(c => c.Test == "ArnNotEquals" && c.Variable == "aws:PrincipalArn"));
        return ctx.Violations(vault,
            (lockConfig is null, "has no aws_backup_vault_lock_configuration"),
            (lockConfig is not null && !TfValue.IsSet(lockConfig["changeable_for_days"]), "its lock has no changeable_for_days: governance mode, which an administrator can remove"),
            (lockConfig is not null && (TfValue.Number(lockConfig["min_retention_days"]) ?? 0) < retention, $"its lock's min_retention_days is below the plan's {retention} days"),
            (!denies, "has no vault policy denying backup:DeleteRecoveryPoint to \"*\" except named principals (aws:PrincipalArn)"));
    }

    private static IEnumerable<Violation> FailureAlertProblems(PolicyContext ctx)
    {
        var siblings = ctx.EnvironmentStackIds.Select(ctx.Sibling).ToList();
        var notified = siblings.SelectMany(s => s.Resources("aws_backup_vault_notifications").Select(n => s.SynthTimeValue(n["backup_vault_name"]))).ToHashSet();
        var ruled = siblings.SelectMany(s => s.Resources("aws_cloudwatch_event_rule"))
            .Select(r => TfValue.Text(r["event_pattern"]) ?? "")
            .Where(p => p.Contains("Backup Job State Change", StringComparison.Ordinal) && p.Contains("FAILED", StringComparison.Ordinal)).ToList();
        foreach (var vault in ctx.Resources("aws_backup_vault").Where(v => !TfValue.IsSet(v["region"])))
        {
            var name = ctx.SynthTimeValue(vault["name"]);
            if (!notified.Contains(name))
            {
                yield return ctx.Violation(vault, "no aws_backup_vault_notifications names this vault: create BackupAlerts in the monitoring stack");
            }
            if (!ruled.Any(p => name is not null && p.Contains(name, StringComparison.Ordinal)))
            {
                yield return ctx.Violation(vault, "no EventBridge rule sends this vault's failed backup jobs (Backup Job State Change, FAILED) anywhere");
            }
        }
    }
}
