using System.Text.Json.Nodes;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Monitoring;
using HashiCorp.Cdktf.Providers.Aws.BackupVaultNotifications;

namespace EasyPay.Tf.Modules.Backup;

/// <summary>Props of <see cref="BackupAlerts"/>.</summary>
/// <param name="Name">Name of the EventBridge rule, e.g. "easypay-prod-backup-failures".</param>
/// <param name="VaultName">The backup vault whose jobs page a human.</param>
/// <param name="TopicArn">The alarm topic. Its policy must let backup.amazonaws.com and events.amazonaws.com
/// sns:Publish (and its key let them encrypt): <c>AlarmTopic</c>'s defaults with AllowEventRules.</param>
public sealed record BackupAlertsProps(string Name, string VaultName, string TopicArn);

/// <summary>Pages a human when a backup of the vault fails and when anything touches its recovery points:
/// AWS Backup vault notifications for copy-job failures, recovery-point changes (a lifecycle shortened, a point
/// deleted) and restores, plus an EventBridge rule for backup jobs that end FAILED, ABORTED, EXPIRED or PARTIAL.
/// Backup-job failures come through EventBridge because the vault's only backup-job event, BACKUP_JOB_COMPLETED,
/// fires for every successful job too (AWS Backup API, PutBackupVaultNotifications: the supported events).</summary>
public sealed class BackupAlerts : Construct
{
    /// <summary>Supported vault events (PutBackupVaultNotifications; the other listed values are deprecated and send nothing).</summary>
    public static readonly IReadOnlyList<string> VaultEvents = ["COPY_JOB_FAILED", "RECOVERY_POINT_MODIFIED", "RESTORE_JOB_COMPLETED"];

    /// <summary>Terminal backup-job states that leave no usable recovery point (AWS Backup developer guide,
    /// "Backup job states"; EventBridge detail-type "Backup Job State Change", detail.state).</summary>
    public static readonly IReadOnlyList<string> FailedStates = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"];

    public string RuleArn { get; }

    public BackupAlerts(Construct scope, string id, BackupAlertsProps props) : base(scope, id)
    {
        new PropsValidator(nameof(BackupAlertsProps))
            .CheckEventRuleName(props.Name, nameof(props.Name))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.VaultName ?? "", "^[a-zA-Z0-9_-]{2,50}$"), nameof(props.VaultName),
                $"'{props.VaultName}' is not a backup vault name (2-50 letters, digits, - and _)")
            .CheckNotEmpty(props.TopicArn, nameof(props.TopicArn))
            .ThrowIfInvalid();

        new BackupVaultNotifications(this, "vault", new BackupVaultNotificationsConfig
        {
            BackupVaultName = props.VaultName!,
            SnsTopicArn = props.TopicArn!,
            BackupVaultEvents = [.. VaultEvents],
        });
        RuleArn = EventRoute.ToTopic(this, props.Name!, $"AWS Backup jobs of {props.VaultName} that end without a recovery point", new JsonObject
        {
            ["source"] = new JsonArray("aws.backup"),
            ["detail-type"] = new JsonArray("Backup Job State Change"),
            ["detail"] = new JsonObject
            {
                ["state"] = new JsonArray([.. FailedStates.Select(s => (JsonNode)s)]),
                ["backupVaultName"] = new JsonArray(props.VaultName!),
            },
        }, props.TopicArn!);
    }
}
