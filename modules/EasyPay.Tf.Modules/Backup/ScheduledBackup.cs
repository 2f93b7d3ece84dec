using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.BackupPlan;
using HashiCorp.Cdktf.Providers.Aws.BackupSelection;
using HashiCorp.Cdktf.Providers.Aws.BackupLogicallyAirGappedVault;
using HashiCorp.Cdktf.Providers.Aws.BackupVault;
using HashiCorp.Cdktf.Providers.Aws.BackupVaultLockConfiguration;
using HashiCorp.Cdktf.Providers.Aws.BackupVaultPolicy;

namespace EasyPay.Tf.Modules.Backup;

/// <summary>AWS Backup Vault Lock of the primary vault (AWS Backup developer guide, "AWS Backup Vault Lock").</summary>
public enum BackupVaultLockMode
{
    /// <summary>No lock: recovery points can be deleted by anyone IAM allows (and by a destroy).</summary>
    None,

    /// <summary>Governance mode: recovery points cannot be deleted or shortened before the minimum retention,
    /// but a principal allowed backup:DeleteBackupVaultLockConfiguration can remove the lock (a destroy does so first).</summary>
    Governance,

    /// <summary>Compliance mode: after a grace time (changeable_for_days, at least 3 days) the lock is
    /// immutable; nobody, the root user and AWS included, deletes a recovery point before its retention ends or
    /// removes the lock. Never in an environment that is destroyed.</summary>
    Compliance,
}

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

    /// <summary>Vault Lock of the primary vault; its minimum retention is <see cref="RetentionDays"/>, so no recovery
    /// point can be deleted or shortened before the plan's retention. @default <see cref="BackupVaultLockMode.Compliance"/></summary>
    public BackupVaultLockMode VaultLock { get; init; } = BackupVaultLockMode.Compliance;

    /// <summary>Days after the first apply during which a compliance lock can still be changed or removed
    /// (AWS Backup's 72-hour cooling-off: at least 3). @default 3</summary>
    public int LockChangeableForDays { get; init; } = 3;

    /// <summary>Role ARNs that alone may delete recovery points, shorten them, delete the vault or its lock, or
    /// change its access policy: a vault access policy denies those actions to everyone else (an account
    /// administrator included). Empty: no such policy (environments that are destroyed). @default none</summary>
    public IReadOnlyList<string> BreakGlassRoleArns { get; init; } = [];

    /// <summary>Role ARNs besides <see cref="BreakGlassRoleArns"/> that may still change the vault's access policy and
    /// lock configuration: the identity that applies the stack (Terraform puts them). @default none</summary>
    public IReadOnlyList<string> DeployerRoleArns { get; init; } = [];

    /// <summary>The DR copies go to a logically air-gapped vault (AWS Backup developer guide, "Logically air-gapped
    /// vault"): always compliance-locked, encrypted with an AWS-owned key nobody in this account can disable or
    /// schedule for deletion, its recovery points in an AWS-owned account. False: a standard vault with its own
    /// CMK (no lock). @default true</summary>
    public bool AirGappedCopyVault { get; init; } = true;
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
    /// <summary>The role the plan's backup and copy jobs run as (backups only).</summary>
    public string RoleArn { get; }

    /// <summary>The role restore jobs run as, passed by an operator to StartRestoreJob.</summary>
    public string RestoreRoleArn { get; }

    /// <summary>The second region's vault; null without a copy target.</summary>
    public string? CopyVaultArn { get; }

    public ScheduledBackup(Construct scope, string id, ScheduledBackupProps props) : base(scope, id)
    {
        Validate(props);

        var vault = Vault(this, "vault", props, props.Name, region: null);
        if (props.VaultLock != BackupVaultLockMode.None)
        {
            new BackupVaultLockConfiguration(this, "vault-lock", new BackupVaultLockConfigurationConfig
            {
                BackupVaultName = vault.Name,
                // Every recovery point lives at least the plan's retention; no maximum, so a longer retention
                // stays possible once the compliance lock is immutable.
                MinRetentionDays = props.RetentionDays,
                // Absent: governance mode (provider docs, aws_backup_vault_lock_configuration).
                ChangeableForDays = props.VaultLock == BackupVaultLockMode.Compliance ? props.LockChangeableForDays : null,
            });
        }
        if (props.BreakGlassRoleArns.Count > 0)
        {
            new BackupVaultPolicy(this, "vault-policy", new BackupVaultPolicyConfig
            {
                BackupVaultName = vault.Name,
                Policy = PolicyDocument.Render(VaultPolicyStatements(props)),
            });
        }

        // The "copy-region" scope keeps the copy's logical ids from before the per-resource region.
        string? copyVaultArn = null;
        if (props.CopyToRegion is { } copyRegion)
        {
            copyVaultArn = props.AirGappedCopyVault
                ? AirGappedVault(new Construct(this, "copy-region"), props, $"{props.Name}-dr", copyRegion)
                : Vault(new Construct(this, "copy-region"), "vault", props, $"{props.Name}-copy", copyRegion).Arn;
        }

        var role = new ServiceRole(this, "role", new ServiceRoleProps(
            $"{props.Name}-backup", $"Runs the AWS Backup jobs of {props.Name}", "backup.amazonaws.com")
        {
            // No aws:SourceAccount condition: AWS Backup's documented trust policy has none, and a condition
            // the service does not send would fail every job.
            RestrictToSourceAccount = false,
            ManagedPolicyArns = [AwsEnvironment.Of(this).ManagedPolicyArn("service-role/AWSBackupServiceRolePolicyForBackup")],
        });
        // Restores get a role of their own, which no plan uses: the role that writes backups every 3 hours
        // cannot also create databases from them (AWSBackupServiceRolePolicyForRestores creates and deletes
        // RDS clusters, EBS volumes, ...). An operator passes it to StartRestoreJob.
        var restoreRole = new ServiceRole(this, "restore-role", new ServiceRoleProps(
            $"{props.Name}-restore", $"Runs the AWS Backup restore jobs of {props.Name} (operators only)", "backup.amazonaws.com")
        {
            RestrictToSourceAccount = false,
            ManagedPolicyArns = [AwsEnvironment.Of(this).ManagedPolicyArn("service-role/AWSBackupServiceRolePolicyForRestores")],
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
        RestoreRoleArn = restoreRole.Arn;
        CopyVaultArn = copyVaultArn;
        MaxRecoveryPointSpacing = TimeSpan.FromMinutes(props.IntervalHours * 60 + props.StartWindowMinutes);
        MaxTimeToNextUsableRecoveryPoint = MaxRecoveryPointSpacing + TimeSpan.FromMinutes(props.CompletionWindowMinutes);
        MaxCopySpacing = copyVaultArn is null ? null : TimeSpan.FromMinutes(props.CopyIntervalHours * 60 + props.StartWindowMinutes);
    }

    /// <summary>What the primary vault's access policy denies (AWS Backup developer guide, "Vault access policies":
    /// Deny with Principal "*" on Resource "*"). The service's own lifecycle expiry is not a principal's call and
    /// still deletes expired points.</summary>
    public static IReadOnlyList<PolicyStatement> VaultPolicyStatements(ScheduledBackupProps props)
    {
        IReadOnlyList<string> breakGlass = [.. props.BreakGlassRoleArns];
        IReadOnlyList<string> deployers = [.. props.DeployerRoleArns.Concat(props.BreakGlassRoleArns).Distinct()];
        return
        [
            new("DenyRecoveryPointDeletionExceptBreakGlass",
                ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:DisassociateRecoveryPoint",
                 "backup:DeleteBackupVault", "backup:DeleteBackupVaultAccessPolicy", "backup:DeleteBackupVaultLockConfiguration"],
                ["*"], Effect: "Deny", Principals: PolicyDocument.Aws("*"),
                Conditions: PolicyDocument.Condition("ArnNotEquals", "aws:PrincipalArn", [.. breakGlass])),
            // Terraform puts the policy and the lock with the deployer: denying it would fail every later apply.
            new("DenyPolicyChangesExceptDeployer", ["backup:PutBackupVaultAccessPolicy", "backup:PutBackupVaultLockConfiguration"],
                ["*"], Effect: "Deny", Principals: PolicyDocument.Aws("*"),
                Conditions: PolicyDocument.Condition("ArnNotEquals", "aws:PrincipalArn", [.. deployers])),
        ];
    }

    /// <summary>A logically air-gapped vault in <paramref name="region"/>; min and max retention force a new vault
    /// when changed (provider: RequiresReplace), so the copy retention is the minimum and the plan's the maximum.</summary>
    private static string AirGappedVault(Construct scope, ScheduledBackupProps props, string name, string region)
    {
        var vault = new BackupLogicallyAirGappedVault(scope, "air-gapped-vault", new BackupLogicallyAirGappedVaultConfig
        {
            Region = region,
            Name = name,
            MinRetentionDays = props.CopyRetentionDays,
            MaxRetentionDays = props.RetentionDays,
            Lifecycle = props.DeletionProtection ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
            Tags = new Dictionary<string, string> { ["Name"] = name },
        });
        return vault.Arn;
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
            .Check(props.LockChangeableForDays >= 3, nameof(props.LockChangeableForDays),
                $"{props.LockChangeableForDays} is below AWS Backup's 72-hour cooling-off period; use at least 3")
            .Check(props.VaultLock != BackupVaultLockMode.Compliance || props.DeletionProtection, nameof(props.VaultLock),
                "Compliance cannot be undone after the grace time, but DeletionProtection is off (an environment that is destroyed): use Governance or None")
            .Check(props.CopyToRegion is null || !props.AirGappedCopyVault || props.CopyRetentionDays >= 7, nameof(props.CopyRetentionDays),
                $"{props.CopyRetentionDays} is below the 7 days a logically air-gapped vault keeps at least")
            .ThrowIfInvalid();
    }
}
