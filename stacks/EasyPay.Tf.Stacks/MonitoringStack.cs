using Constructs;
using EasyPay.Tf.Modules.Audit;
using EasyPay.Tf.Modules.Backup;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Edge;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>What the monitoring stack exposes (to operators and the platform stack).</summary>
public sealed record MonitoringOutputs
{
    public required string AlarmTopicArn { get; init; }
    public required string DashboardName { get; init; }
    public required string DashboardUrl { get; init; }
    /// <summary>Null when the environment has no DNS zone.</summary>
    public string? HealthCheckId { get; init; }
    /// <summary>Null when the environment has no DNS zone.</summary>
    public string? MaintenanceBucketName { get; init; }
}

/// <summary>&lt;env&gt;-monitoring: pages a human within a minute of anything that threatens payments (alarm
/// topic, alarms, RDS and ElastiCache events), shows the system's health at a glance (dashboard), and fails DNS over to a maintenance page when the environment has a Route 53 zone. docs/alarms.md lists
/// the alarms.</summary>
public sealed class MonitoringStack : EasyPayStack
{
    public const string Name = "monitoring";

    /// <summary>Route 53 publishes health-check metrics only here, so the health-check alarm and its topic live here.</summary>
    public const string Route53MetricsRegion = "us-east-1";

    /// <summary>The maintenance page, relative to the repository root (versioned with the infrastructure).</summary>
    public const string MaintenancePagePath = "stacks/EasyPay.Tf.Stacks/assets/maintenance/index.html";

    public MonitoringOutputs Outputs { get; }

    public MonitoringStack(Construct scope, EnvironmentConfig env, AccountOutputs account, NetworkOutputs network, ClusterOutputs cluster, DatabaseOutputs database, AppPaths paths)
        : base(scope, env, Name)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(paths);

        var topic = new AlarmTopic(this, "alarm-topic", TopicProps($"{Prefix}-alarms") with { AllowEventRules = true });
        // GuardDuty findings of Medium severity and above, whether this account's detector (account stack) or the
        // organization's delegated administrator raised them: members receive their own findings' events.
        new FindingsRoute(this, "guardduty-findings", new FindingsRouteProps($"{Prefix}-guardduty-findings", topic.Arn));

        // Here rather than in the database stack, which applies before the topic exists.
        new BackupAlerts(this, "backup-alerts", new BackupAlertsProps($"{Prefix}-backup-failures", database.BackupVaultName, topic.Arn));

        // Created here rather than in the database stack, which depends on nothing downstream.
        new DatabaseEvents(this, "database-events", new DatabaseEventsProps(
            $"{Prefix}-db", topic.Arn, database.ClusterIdentifier, database.InstanceIdentifiers));
        // ElastiCache notifies no encrypted topic directly: its events come through EventBridge.
        new CacheEvents(this, "cache-events", new CacheEventsProps($"{Prefix}-cache-events", topic.Arn));

        var signals = new PlatformSignals
        {
            AlbArnSuffix = cluster.AlbArnSuffix,
            FrontendTargetGroupArnSuffix = cluster.FrontendTargetGroupArnSuffix,
            ApiTargetGroupArnSuffix = cluster.ApiTargetGroupArnSuffix,
            ClusterName = cluster.ClusterName,
            NodeGroupMinSize = cluster.NodeGroupMinSize,
            DbClusterIdentifier = database.ClusterIdentifier,
            DbInstanceIdentifiers = database.InstanceIdentifiers,
            DbMaxConnections = database.MaxConnections,
            DbInstanceMemoryGiB = AuroraInstanceClass.Parse(env.Database.InstanceClass).MemoryGiB,
            NatGatewayIds = network.NatGatewayIds,
            ApplicationLogGroupName = cluster.ApplicationLogGroupName,
            Cache = new CacheSignals(database.Cache.ReplicationGroupId, database.Cache.MemberClusterIds),
            Waf = new WafSignals(cluster.WebAclName, env.Region, cluster.WafRuleMetricNames, cluster.WafRateRuleMetricName, cluster.WafBlocks),
        };
        var alarms = new AlarmSet(this, "alarms", new AlarmSetProps(Prefix, topic.Arn, PlatformAlarms.Definitions(signals))
        {
            Composites = PlatformAlarms.Composites(signals),
        });
        var dashboard = new Dashboard(this, "dashboard", new DashboardProps(
            Prefix, PlatformDashboard.Widgets(signals, [.. alarms.Arns.Values])));

        string? healthCheckId = null;
        string? maintenanceBucket = null;
        if (env.Monitoring.Dns is { } dnsConfig)
        {
            var dns = new DnsFailover(this, "dns-failover", new DnsFailoverProps(
                Prefix, dnsConfig.HostedZoneId, dnsConfig.RecordName, cluster.AlbDnsName, cluster.AlbZoneId,
                File.ReadAllText(Path.Combine(paths.RepositoryRoot, MaintenancePagePath)),
                account.MaintenanceCertificateArn ?? throw new InvalidOperationException($"{env.Name}: monitoring.dns without the account stack's maintenance certificate"))
            {
                Https = account.AlbCertificateArn is not null,
                // Through the ALB and nginx to the backend, which checks its database: a backend or database
                // outage fails over to the maintenance page, not only a dead load balancer.
                HealthCheckPath = EasypayDeepHealthCheckValues.DefaultPath,
                ForceDestroyMaintenanceBucket = Posture.ForceDestroyBuckets, // the page lives in the repository
                MaintenanceRegion = env.DisasterRecovery?.Region,
                MaintenanceKeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            });
            // CloudWatch alarms notify only topics of their own region.
            var dnsTopicArn = Aws.Region == Route53MetricsRegion
                ? topic.Arn
                : new AlarmTopic(this, "dns-alarm-topic", TopicProps($"{Prefix}-dns-alarms") with
                {
                    Region = Route53MetricsRegion,
                    PublisherServices = ["cloudwatch.amazonaws.com"],
                }).Arn;
            new AlarmSet(this, "dns-alarms", new AlarmSetProps(Prefix, dnsTopicArn, [PlatformAlarms.HealthCheck(dns.HealthCheckId)])
            {
                Region = Route53MetricsRegion,
            });
            healthCheckId = dns.HealthCheckId;
            maintenanceBucket = dns.MaintenanceBucketName;
        }

        Outputs = new MonitoringOutputs
        {
            AlarmTopicArn = topic.Arn,
            DashboardName = dashboard.Name,
            DashboardUrl = dashboard.Url,
            HealthCheckId = healthCheckId,
            MaintenanceBucketName = maintenanceBucket,
        };
        // For operators: `cdktf output <env>-monitoring` shows where to look.
        Output("dashboard_url", "CloudWatch dashboard of the environment", dashboard.Url);
        Output("alarm_topic_arn", "SNS topic every alarm notifies (subscribe incident tooling here)", topic.Arn);
    }

    private AlarmTopicProps TopicProps(string name) => new(name)
    {
        EmailAddresses = Env.Monitoring.AlarmEmails,
        WebhookUrl = Env.Monitoring.AlarmWebhookUrl,
        KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
    };
}
