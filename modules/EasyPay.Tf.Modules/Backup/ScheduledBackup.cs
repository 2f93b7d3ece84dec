using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.BackupPlan;
using HashiCorp.Cdktf.Providers.Aws.BackupSelection;
using HashiCorp.Cdktf.Providers.Aws.BackupVault;

namespace EasyPay.Tf.Modules.Backup;

/// <summary>Props of <see cref="ScheduledBackup"/>.</summary>
/// <param name="Name">Name of the vault, plan, selection and role, e.g. "easypay-prod-database".</param>
/// <param name="ResourceArns">What to back up, e.g. the Aurora cluster ARN.</param>
/// <param name="RetentionDays">Days each recovery point (and its copy) is kept.</param>
public sealed record ScheduledBackupProps(string Name, IReadOnlyList<string> ResourceArns, int RetentionDays)
{
    /// <summary>Hours between scheduled backups, a divisor of 24 so the gap across midnight is the same
    /// (cron(0 */N * * ? *), UTC). 3 keeps the newest usable point at most 6 h old: 3 h + a start up to 60 min
    /// late + up to 120 min to complete. @default 3</summary>
    public int IntervalHours { get; init; } = 3;

    /// <summary>Minutes after the scheduled time a job may still start (AWS Backup: at least 60). A late start
    /// moves the recovery point, so consecutive points can be IntervalHours + StartWindowMinutes apart. @default 60</summary>
    public int StartWindowMinutes { get; init; } = 60;

    /// <summary>Minutes a started job may take before AWS Backup cancels it; no longer than the interval so jobs
    /// never pile up. @default 120</summary>
    public int CompletionWindowMinutes { get; init; } = 120;

    /// <summary>The promise the schedule must keep: the most time that may pass between two consecutive
    /// recovery points (IntervalHours × 60 + StartWindowMinutes must not exceed it). @default 360 (6 h)</summary>
    public int MaxRecoveryPointSpacingMinutes { get; init; } = 360;

    /// <summary>Copy recovery points to a vault (with its own key) in this region, another than the stack's,
    /// for regional disaster recovery. @default null (no copy)</summary>
    public string? CopyToRegion { get; init; }

    /// <summary>Hours between the recovery points that are also copied to <see cref="CopyToRegion"/>: a multiple
    /// of IntervalHours. Aurora snapshot copies are always full copies, can take hours, and at most five run at
    /// once per destination region (Aurora user guide, "Copying a DB cluster snapshot"): each one transfers
    /// and stores the whole database, so a daily copy. @default 24</summary>
    public int CopyIntervalHours { get; init; } = 24;

    /// <summary>Days each copy is kept in the DR region (every copy is a full copy). @default 7</summary>
    public int CopyRetentionDays { get; init; } = 7;

    /// <summary>Waiting period before a scheduled deletion of the vault keys. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>On (the default): prevent_destroy on the vaults and their keys, so no plan can delete the
    /// recovery points. Off: destroy deletes the vaults with their recovery points (development).</summary>
    public bool DeletionProtection { get; init; } = true;
}

/// <summary>An AWS Backup vault encrypted with its own CMK, a plan that backs the resources up on a
/// schedule and expires the recovery points, the service role that runs the jobs, and optionally a copy
/// of every recovery point to a vault (with its own CMK) in a second region (provider 6's per-resource region:
/// one provider, no alias).</summary>
public sealed class ScheduledBackup : Construct
{
    /// <summary>The AWS Backup schedule expression of an every-<paramref name="hours"/>-hours plan (UTC).</summary>
    public static string EveryHours(int hours) => $"cron(0 */{hours} * * ? *)";

    /// <summary>The AWS Backup schedule expression for these hours of every day (UTC).</summary>
    public static string AtHours(IEnumerable<int> hours) => $"cron(0 {string.Join(",", hours)} * * ? *)";

    /// <summary>The most time between two consecutive copied recovery points (null without a copy).</summary>
    public TimeSpan? MaxCopySpacing { get; }

    /// <summary>The most time between two consecutive recovery points: the interval plus a start as late as the
    /// start window allows (a job that cannot start in it is EXPIRED, and the backup-job alarm fires).</summary>
    public TimeSpan MaxRecoveryPointSpacing { get; }

    /// <summary>The most time from a recovery point's snapshot until the next one is usable: the spacing plus the
    /// completion window (conservatively counted from the job's start, as the BackupRule API describes it).</summary>
    public TimeSpan MaxTimeToNextUsableRecoveryPoint { get; }

    public string VaultName { get; }
    public string VaultArn { get; }
    public string PlanId { get; }
    public string RoleArn { get; }

    /// <summary>The second region's vault; null without a copy target.</summary>
    public string? CopyVaultArn { get; }

    public ScheduledBackup(Construct scope, string id, ScheduledBackupProps props) : base(scope, id)
    {
        Validate(props);

        var vault = Vault(this, "vault", props, props.Name, region: null);

        // The "copy-region" scope keeps the copy's logical ids from before the per-resource region.
        var copyVaultArn = props.CopyToRegion is { } copyRegion
            ? Vault(new Construct(this, "copy-region"), "vault", props, $"{props.Name}-copy", copyRegion).Arn
            : null;

        var role = new ServiceRole(this, "role", new ServiceRoleProps(
            $"{props.Name}-backup", $"Runs the AWS Backup jobs of {props.Name}", "backup.amazonaws.com")
        {
            // No aws:SourceAccount condition: AWS Backup's documented trust policy has none, and a condition
            // the service does not send would fail every job.
            RestrictToSourceAccount = false,
            ManagedPolicyArns =
            [
                AwsEnvironment.Of(this).ManagedPolicyArn("service-role/AWSBackupServiceRolePolicyForBackup"),
                AwsEnvironment.Of(this).ManagedPolicyArn("service-role/AWSBackupServiceRolePolicyForRestores"),
            ],
        });

        BackupPlanRule Rule(string name, string schedule, bool copy) => new()
        {
            RuleName = name,
            TargetVaultName = vault.Name,
            Schedule = schedule,
            StartWindow = props.StartWindowMinutes,
            CompletionWindow = props.CompletionWindowMinutes,
            Lifecycle = new BackupPlanRuleLifecycle { DeleteAfter = props.RetentionDays },
            CopyAction = !copy ? null : new[]
            {
                new BackupPlanRuleCopyAction
                {
                    DestinationVaultArn = copyVaultArn!,
                    Lifecycle = new BackupPlanRuleCopyActionLifecycle { DeleteAfter = props.CopyRetentionDays },
                },
            },
        };
        // Two rules at disjoint hours when only some points are copied: every hour has exactly one job.
        var hours = Enumerable.Range(0, 24 / props.IntervalHours).Select(i => i * props.IntervalHours).ToList();
        var copyHours = copyVaultArn is null ? [] : hours.Where(h => h % props.CopyIntervalHours == 0).ToList();
        var rules = copyVaultArn is null || copyHours.Count == hours.Count
            ? new[] { Rule("scheduled", EveryHours(props.IntervalHours), copy: copyVaultArn is not null) }
            : new[] { Rule("scheduled", AtHours(hours.Except(copyHours)), copy: false), Rule("scheduled-and-copied", AtHours(copyHours), copy: true) };
        var plan = new BackupPlan(this, "plan", new BackupPlanConfig
        {
            Name = props.Name,
            Rule = rules,
        });
        new BackupSelection(this, "selection", new BackupSelectionConfig
        {
            Name = props.Name,
            PlanId = plan.Id,
            IamRoleArn = role.Arn,
            Resources = [.. props.ResourceArns],
        });

        VaultName = vault.Name;
        VaultArn = vault.Arn;
        PlanId = plan.Id;
        RoleArn = role.Arn;
        CopyVaultArn = copyVaultArn;
        MaxRecoveryPointSpacing = TimeSpan.FromMinutes(props.IntervalHours * 60 + props.StartWindowMinutes);
        MaxTimeToNextUsableRecoveryPoint = MaxRecoveryPointSpacing + TimeSpan.FromMinutes(props.CompletionWindowMinutes);
        MaxCopySpacing = copyVaultArn is null ? null : TimeSpan.FromMinutes(props.CopyIntervalHours * 60 + props.StartWindowMinutes);
    }

    /// <param name="region">null: the stack's region.</param>
    private static BackupVault Vault(Construct scope, string id, ScheduledBackupProps props, string name, string? region)
    {
        var key = new EncryptionKey(scope, $"{id}-key", new EncryptionKeyProps(name + "-backup", $"AWS Backup vault {name}")
        {
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
            Region = region,
        });
        if (props.DeletionProtection)
        {
            ConstructTree.PreventDestroy(key, "aws_kms_key");
        }
        return new BackupVault(scope, id, new BackupVaultConfig
        {
            Region = region,
            Name = name,
            KmsKeyArn = key.Arn,
            ForceDestroy = !props.DeletionProtection,
            Lifecycle = props.DeletionProtection ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
            Tags = new Dictionary<string, string> { ["Name"] = name },
        });
    }

    private void Validate(ScheduledBackupProps props)
    {
        var region = AwsEnvironment.Of(this).Region;
        new PropsValidator(nameof(ScheduledBackupProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-zA-Z0-9_.-]{1,45}$"), nameof(props.Name),
                $"'{props.Name}' is not a backup name: letters, digits, - _ . and at most 45 characters (room for -copy)")
            .Check((props.ResourceArns ?? []).Count > 0, nameof(props.ResourceArns), "is empty: name at least one resource to back up")
            .Check(props.RetentionDays >= 1, nameof(props.RetentionDays), $"{props.RetentionDays} keeps nothing; use at least 1 day")
            .Check(props.IntervalHours is >= 1 and <= 24 && 24 % props.IntervalHours == 0, nameof(props.IntervalHours),
                $"{props.IntervalHours} is not a divisor of 24 (1, 2, 3, 4, 6, 8, 12 or 24): the last gap of the day would differ")
            .Check(props.StartWindowMinutes >= 60, nameof(props.StartWindowMinutes), $"{props.StartWindowMinutes} is below AWS Backup's minimum of 60 minutes")
            .Check(props.CompletionWindowMinutes >= props.StartWindowMinutes + 60, nameof(props.CompletionWindowMinutes),
                $"{props.CompletionWindowMinutes} must be at least 60 minutes longer than StartWindowMinutes ({props.StartWindowMinutes})")
            .Check(props.CopyIntervalHours >= props.IntervalHours && props.CopyIntervalHours <= 24 && props.IntervalHours > 0 && props.CopyIntervalHours % props.IntervalHours == 0 && 24 % props.CopyIntervalHours == 0,
                nameof(props.CopyIntervalHours), $"{props.CopyIntervalHours} must be a multiple of IntervalHours ({props.IntervalHours}) that divides 24")
            .Check(props.CopyToRegion is null || (props.CopyRetentionDays >= 1 && props.CopyRetentionDays <= props.RetentionDays), nameof(props.CopyRetentionDays),
                $"{props.CopyRetentionDays} must be 1 to RetentionDays ({props.RetentionDays})")
            .Check(props.CompletionWindowMinutes <= props.IntervalHours * 60, nameof(props.CompletionWindowMinutes),
                $"{props.CompletionWindowMinutes} is longer than the {props.IntervalHours} h interval: jobs would pile up")
            .Check(props.IntervalHours * 60 + props.StartWindowMinutes <= props.MaxRecoveryPointSpacingMinutes, nameof(props.IntervalHours),
                $"every {props.IntervalHours} h with a {props.StartWindowMinutes}-minute start window puts recovery points up to {props.IntervalHours * 60 + props.StartWindowMinutes} minutes apart, more than MaxRecoveryPointSpacingMinutes ({props.MaxRecoveryPointSpacingMinutes}); shorten the interval or the start window")
            .Check(props.CopyToRegion is null || (Regex.IsMatch(props.CopyToRegion, AwsEnvironment.RegionPattern) && props.CopyToRegion != region), nameof(props.CopyToRegion),
                $"'{props.CopyToRegion}' must be a region name other than the stack's region {region}")
            .ThrowIfInvalid();
    }
}
