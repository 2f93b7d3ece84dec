using EasyPay.Tf.Modules.Backup;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Ingress;
using EasyPay.Tf.Modules.Network;

namespace EasyPay.Tf.Stacks.Configuration;

// Immutable view of environments/<name>.json. environments/environment.schema.json describes the same
// shape for editors and for the structural check; EnvironmentRules adds the cross-field rules.
// Property names map to camelCase JSON keys.

/// <summary>One deployment environment (dev, staging, prod ...).</summary>
public sealed record EnvironmentConfig
{
    /// <summary>Short name; equals the file name and prefixes every resource: easypay-&lt;name&gt;-...</summary>
    public required string Name { get; init; }

    /// <summary>Production rules apply: HA everywhere, deletion protection, alarm recipients, long retention.</summary>
    public required bool Production { get; init; }

    public required string Region { get; init; }

    /// <summary>The only AWS account the providers may act on.</summary>
    public required string AccountId { get; init; }

    /// <summary>AZs of the region the environment spans (2-3; production needs 3).</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>CloudWatch log retention for every log group of the environment.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Availability and recovery targets the resilience report checks this environment against.</summary>
    public required TargetsConfig Targets { get; init; }

    /// <summary>Terraform Cloud organisation and workspace prefix; null = local state.</summary>
    public TerraformCloudConfig? TerraformCloud { get; init; }

    /// <summary>Account-level facts the stacks cannot look up without failing in a fresh account.</summary>
    public required AccountConfig Account { get; init; }

    public required NetworkConfig Network { get; init; }
    public required ClusterConfig Cluster { get; init; }
    public required DatabaseConfig Database { get; init; }

    /// <summary>The Valkey cache tier beside the database (the database stack builds both).</summary>
    public required CacheConfig Cache { get; init; }

    public required MonitoringConfig Monitoring { get; init; }
    public required ApplicationConfig Application { get; init; }

    /// <summary>null = no regional disaster recovery (non-production: rebuilt empty after a region loss).</summary>
    public DisasterRecoveryConfig? DisasterRecovery { get; init; }

    /// <summary>Prefix of every resource name of this environment.</summary>
    public string ResourcePrefix => $"easypay-{Name}";

    /// <summary>What <see cref="Production"/> means for the resources (deletion windows, protections, ...).</summary>
    public Posture Posture => Posture.Of(this);

    /// <summary>The database vault's lock: the file's database.backupVaultLock, else compliance in production
    /// and governance (removable, so the environment stays destroyable) elsewhere.</summary>
    public BackupVaultLockMode BackupVaultLock => Database.BackupVaultLock ?? (Production ? BackupVaultLockMode.Compliance : BackupVaultLockMode.Governance);
}

public sealed record TargetsConfig
{
    /// <summary>Monthly availability target in percent, e.g. 99.99.</summary>
    public required double AvailabilityPercent { get; init; }

    public required RecoveryTargets Recovery { get; init; }
}

/// <summary>RTO and RPO per disruption type (AWS Resilience Hub's four: application, infrastructure,
/// availability zone, region).</summary>
public sealed record RecoveryTargets
{
    /// <summary>A pod, a bad deployment, a secret rotation.</summary>
    public required RecoveryTarget Application { get; init; }

    /// <summary>A node, the database writer, a NAT gateway.</summary>
    public required RecoveryTarget Infrastructure { get; init; }

    /// <summary>One AZ of the environment.</summary>
    public required RecoveryTarget AvailabilityZone { get; init; }

    /// <summary>The environment's region.</summary>
    public required RecoveryTarget Region { get; init; }

    /// <summary>The four, with the JSON field names (for messages and reports).</summary>
    public IReadOnlyList<(string Field, RecoveryTarget Target)> All =>
        [("application", Application), ("infrastructure", Infrastructure), ("availabilityZone", AvailabilityZone), ("region", Region)];
}

public sealed record RecoveryTarget
{
    /// <summary>Minutes until the service is back.</summary>
    public required int RtoMinutes { get; init; }

    /// <summary>Minutes of committed data that may be lost.</summary>
    public required int RpoMinutes { get; init; }
}

public sealed record TerraformCloudConfig
{
    public required string Organization { get; init; }

    /// <summary>Workspaces are named &lt;prefix&gt;-&lt;env&gt;-&lt;stack&gt;.</summary>
    public required string WorkspacePrefix { get; init; }

    public string Hostname { get; init; } = "app.terraform.io";

    /// <summary>sha256 digest of ClusterStack.AgentImage; null = the version tag alone (agents update themselves
    /// never: TFC_AGENT_AUTO_UPDATE is disabled).</summary>
    public string? AgentImageDigest { get; init; }

    /// <summary>Project holding the environment's workspaces; null in the file = &lt;prefix&gt;-&lt;env&gt;.</summary>
    public string? Project { get; init; }

    /// <summary>The project's name for environment <paramref name="env"/>.</summary>
    public string ProjectName(string env) => Project ?? $"{WorkspacePrefix}-{env}";
}

public sealed record AccountConfig
{
    /// <summary>Service-linked roles the account already has (e.g. "autoscaling.amazonaws.com" once any Auto
    /// Scaling group existed there). The network stack creates every other one the platform's policies name;
    /// creating one that exists fails.</summary>
    public required IReadOnlyList<string> ExistingServiceLinkedRoles { get; init; }

    /// <summary>Account-wide log groups that already exist in the environment's region ("RDSOSMetrics" once any
    /// RDS instance used enhanced monitoring there). The database stack creates the others with KMS and
    /// retention; creating one that exists fails (or import it: docs/runbook-database.md).</summary>
    public required IReadOnlyList<string> ExistingLogGroups { get; init; }

    /// <summary>Principals the account stack's admin, developer and deployer roles trust; null = bring your own
    /// roles (cluster.adminRoleArn, developerRoleArn, deployerRoleArn).</summary>
    public HumanRolesConfig? HumanRoles { get; init; }

    /// <summary>Who provides CloudTrail and GuardDuty for the account.</summary>
    public required AuditBaseline AuditBaseline { get; init; }

    /// <summary>The logins of the ECR pull-through cache's upstreams that require one.</summary>
    public required ImageMirrorConfig ImageMirror { get; init; }
}

/// <summary>The non-secret half of the pull-through cache's upstream logins; the tokens are the account stack's
/// sensitive variables (AccountStack.DockerHubTokenVariable, GitHubTokenVariable).</summary>
public sealed record ImageMirrorConfig
{
    public required string DockerHubUsername { get; init; }
    public required string GitHubUsername { get; init; }

    /// <summary>Raised to write rotated tokens (write-only arguments are sent only when their version changes).</summary>
    public required int CredentialVersion { get; init; }
}

public sealed record HumanRolesConfig
{
    /// <summary>May assume easypay-&lt;env&gt;-admin (and, for local deploys, easypay-&lt;env&gt;-platform-deployer).</summary>
    public required IReadOnlyList<string> AdminPrincipals { get; init; }

    /// <summary>May assume easypay-&lt;env&gt;-developer.</summary>
    public required IReadOnlyList<string> DeveloperPrincipals { get; init; }

    /// <summary>May assume easypay-&lt;env&gt;-break-glass (cluster-admin, one-hour sessions, every use in CloudTrail and
    /// the EKS audit log); null in the file = the admin principals.</summary>
    public IReadOnlyList<string>? BreakGlassPrincipals { get; init; }
}

/// <summary>"account" or "organization" in the file.</summary>
public enum AuditBaseline
{
    /// <summary>The account stack creates a multi-region CloudTrail and GuardDuty.</summary>
    Account,

    /// <summary>The organization's trail and delegated GuardDuty administrator cover the account already
    /// (a second detector in the account would be rejected).</summary>
    Organization,
}

public sealed record NetworkConfig
{
    public required string VpcCidr { get; init; }

    /// <summary>"perAz" (HA) or "single" (cheap) in the file.</summary>
    public required NatGatewayMode NatGateways { get; init; }

    /// <summary>The nodes' interface endpoints (ECR, CloudWatch Logs, Secrets Manager); the app's STS endpoint exists either way.</summary>
    public required bool InterfaceEndpoints { get; init; }
}

public sealed record ClusterConfig
{
    /// <summary>EKS minor version, e.g. "1.35": in EksSupportCalendar, one minor above the running cluster's
    /// at most (EKS upgrades one minor per update; docs/cluster.md, "Upgrading Kubernetes").</summary>
    public required string KubernetesVersion { get; init; }

    /// <summary>What EKS does at the end of standard support; null in the file = STANDARD (upgrade rather than
    /// pay extended support). EXTENDED needs a reason.</summary>
    public UpgradePolicyConfig? UpgradePolicy { get; init; }

    /// <summary>Who may reach the public API endpoint (office/VPN egress). Production may not use 0.0.0.0/0.</summary>
    public required IReadOnlyList<string> PublicAccessCidrs { get; init; }

    /// <summary>Bring-your-own IAM role mapped to cluster-admin through an EKS access entry; null = the account
    /// stack's easypay-&lt;env&gt;-admin (account.humanRoles).</summary>
    public string? AdminRoleArn { get; init; }

    /// <summary>Bring-your-own IAM role mapped to the developer Kubernetes group (namespace-scoped rights, see the
    /// chart's RBAC); null = the account stack's easypay-&lt;env&gt;-developer.</summary>
    public string? DeveloperRoleArn { get; init; }

    /// <summary>Bring-your-own IAM role that applies the &lt;env&gt;-platform stack from a laptop (helm releases,
    /// namespaces): an access entry with cluster-admin rights, because the cluster grants its creator nothing.
    /// null = the account stack's easypay-&lt;env&gt;-platform-deployer, or, with Terraform Cloud, the platform
    /// workspace's role.</summary>
    public string? DeployerRoleArn { get; init; }

    public required NodeGroupConfig NodeGroup { get; init; }

    /// <summary>Pinned EKS add-on versions.</summary>
    public required ClusterAddonsConfig Addons { get; init; }

    /// <summary>Bring-your-own ACM certificate for the ALB's HTTPS listener (only without monitoring.dns: with a
    /// zone the account stack issues one); null and no zone = no certificate (ingress.protocol must be http).</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The ALB's listeners and web ACL.</summary>
    public required IngressConfig Ingress { get; init; }

    /// <summary>Upgrade only: the node role keeps AmazonEKS_CNI_Policy while the vpc-cni add-on moves to its IRSA role,
    /// so aws-node never runs without credentials; removed in the next apply. False in a new environment.</summary>
    public bool KeepCniPolicyOnNodeRole { get; init; }

    /// <summary>Upgrade only: the add-on namespaces (tigera-operator, external-secrets, velero) exist because helm
    /// created them in an earlier release; the platform stack imports them instead of creating them. False in a new
    /// cluster (an import of a missing namespace fails); harmless once they are in state.</summary>
    public bool AdoptAddonNamespaces { get; init; }
}

/// <summary>"https" or "http" in the file.</summary>
public enum ListenerProtocol
{
    /// <summary>HTTPS on 443 with the pinned TLS policy; HTTP on 80 only redirects to it.</summary>
    Https,

    /// <summary>Plain HTTP on 80 (no certificate); non-production only, with a reason.</summary>
    Http,
}

/// <summary>How the internet reaches the ALB and what filters it (cluster.ingress).</summary>
public sealed record IngressConfig
{
    public required ListenerProtocol Protocol { get; init; }

    /// <summary>The HTTPS listener's ELB security policy, pinned (one of PublicLoadBalancer.Tls13Policies); required
    /// with https.</summary>
    public string? SslPolicy { get; init; }

    /// <summary>Why the environment serves plain HTTP; required with http.</summary>
    public string? HttpReason { get; init; }

    public required WafConfig Waf { get; init; }
}

/// <summary>The web ACL in front of the ALB (cluster.ingress.waf).</summary>
public sealed record WafConfig
{
    /// <summary>"count" (rules only count: tuning) or "block" (production) in the file.</summary>
    public required WafMode Mode { get; init; }

    /// <summary>Requests one client IP may send to the payment API (/api/*) in 5 minutes before it is blocked.</summary>
    public required int ApiRateLimitPer5Minutes { get; init; }
}

public sealed record UpgradePolicyConfig
{
    /// <summary>"STANDARD" or "EXTENDED" in the file.</summary>
    public required EksSupportType SupportType { get; init; }

    /// <summary>Why this environment deviates from STANDARD (required for EXTENDED).</summary>
    public string? Reason { get; init; }
}

public sealed record NodeGroupConfig
{
    /// <summary>The nodes' Kubernetes minor version while an upgrade is under way (up to three minors below the
    /// control plane); null = the control plane's version.</summary>
    public string? KubernetesVersion { get; init; }

    public required IReadOnlyList<string> InstanceTypes { get; init; }

    /// <summary>"ON_DEMAND" or "SPOT" in the file.</summary>
    public required NodeCapacityType CapacityType { get; init; }

    /// <summary>Nodes per AZ: every AZ has its own node group (cluster-autoscaler adds nodes in the AZ a
    /// Pending pod needs), so sizes are per AZ; the cluster has AZ count times as many.</summary>
    public required int MinSizePerAz { get; init; }
    public required int DesiredSizePerAz { get; init; }
    public required int MaxSizePerAz { get; init; }
    public required int DiskSizeGiB { get; init; }
}

public sealed record ClusterAddonsConfig
{
    public required string VpcCni { get; init; }
    public required string CoreDns { get; init; }
    public required string KubeProxy { get; init; }
    public required string EbsCsiDriver { get; init; }
}

public sealed record DatabaseConfig
{
    /// <summary>Aurora PostgreSQL engine version, e.g. "16.6".</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Instance class of writer and readers, e.g. "db.r6g.large".</summary>
    public required string InstanceClass { get; init; }

    /// <summary>Readers besides the writer; each in its own AZ, so at most AZ count - 1.</summary>
    public required int ReaderCount { get; init; }

    /// <summary>Aurora Auto Scaling ceiling: readers added on CPU above readerCount, up to this; null = no reader
    /// auto scaling (readerCount fixed).</summary>
    public int? MaxReaderCount { get; init; }

    public required string DatabaseName { get; init; }

    /// <summary>Upgrade from password authentication only: the previous RDS Proxy (easypay-ENV, clients log in with the
    /// master secret's password) stays beside the IAM one until the platform runs on IAM tokens. False in a new
    /// environment and after the upgrade.</summary>
    public bool KeepPasswordProxy { get; init; }

    /// <summary>Aurora automated backups / point-in-time-restore window, 1-35 days (production at least 7).</summary>
    public required int BackupRetentionDays { get; init; }

    /// <summary>UTC "hh:mm-hh:mm", at least 30 minutes, not overlapping the maintenance window.</summary>
    public required string PreferredBackupWindow { get; init; }

    /// <summary>UTC "ddd:hh:mm-ddd:hh:mm".</summary>
    public required string PreferredMaintenanceWindow { get; init; }

    /// <summary>Retention of the 3-hourly AWS Backup recovery points (production at least 7).</summary>
    public required int SnapshotRetentionDays { get; init; }

    /// <summary>AWS Backup Vault Lock of the database vault as the file says it; null (absent): compliance in
    /// production, governance elsewhere (<see cref="EnvironmentConfig.BackupVaultLock"/>).</summary>
    public BackupVaultLockMode? BackupVaultLock { get; init; }
}

/// <summary>The Valkey replication group of the payment service (sessions, idempotency windows, rate limits).</summary>
public sealed record CacheConfig
{
    /// <summary>Valkey engine version "major.minor", pinned, e.g. "8.1".</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Node type of the primary and every replica, e.g. "cache.r7g.large".</summary>
    public required string NodeType { get; init; }

    /// <summary>Replicas besides the primary, spread over the other AZs; one or more turns on Multi-AZ with automatic
    /// failover (production at least 1).</summary>
    public required int ReplicaCount { get; init; }

    /// <summary>Days ElastiCache keeps its daily snapshots, 1-35 (production at least 7).</summary>
    public required int SnapshotRetentionDays { get; init; }

    /// <summary>UTC "hh:mm-hh:mm", at least 60 minutes, not overlapping the maintenance window.</summary>
    public required string SnapshotWindow { get; init; }

    /// <summary>UTC "ddd:hh:mm-ddd:hh:mm", at least 60 minutes.</summary>
    public required string MaintenanceWindow { get; init; }

    /// <summary>Apply changes at once instead of in the maintenance window; null = the posture's (production: the
    /// window). A change of the log delivery must be applied immediately (ElastiCache rejects it otherwise).</summary>
    public bool? ApplyImmediately { get; init; }
}

/// <summary>How the database survives the loss of the environment's region. The only path today: an Aurora
/// Global Database would give an RPO of seconds, but Aurora does not support RDS-managed master passwords in
/// global databases (docs/disaster-recovery.md weighs it).</summary>
public enum DatabaseRegionRecovery
{
    /// <summary>AWS Backup copies a recovery point to the DR region every day (full copies, kept 7 days); RPO up to 27 h plus the copy's transfer.</summary>
    BackupCopy,
}

/// <summary>The second region the environment recovers in: the maintenance page is served from it (so DNS
/// failover works while the primary region is down), images and Velero backups replicate to it, and the
/// database reaches it by <see cref="Database"/>.</summary>
public sealed record DisasterRecoveryConfig
{
    public required string Region { get; init; }

    /// <summary>"backupCopy" or "globalDatabase" in the file.</summary>
    public required DatabaseRegionRecovery Database { get; init; }
}

public sealed record MonitoringConfig
{
    /// <summary>Email addresses subscribed to the alarm topic (production needs at least one).</summary>
    public required IReadOnlyList<string> AlarmEmails { get; init; }

    /// <summary>HTTPS endpoint of an incident tool subscribed to the alarm topic; null = none.</summary>
    public string? AlarmWebhookUrl { get; init; }

    /// <summary>Route 53 zone for DNS failover to the maintenance page; null = no DNS resources.</summary>
    public DnsConfig? Dns { get; init; }
}

public sealed record DnsConfig
{
    public required string HostedZoneId { get; init; }

    /// <summary>Fully qualified record of the environment, e.g. pay.example.com: the account stack's certificates
    /// cover it, and it fails over to the maintenance page.</summary>
    public required string RecordName { get; init; }
}

public sealed record ApplicationConfig
{
    public required ImageConfig FrontendImage { get; init; }
    public required ImageConfig BackendImage { get; init; }

    /// <summary>sha256 digest of the helm test pod's curl image (AddonImages.Curl) as cached in the account; where digests
    /// are required the test pod is rendered only with it. @default null (the tag)</summary>
    public string? TestImageDigest { get; init; }

    public required ReplicaConfig FrontendReplicas { get; init; }
    public required ReplicaConfig BackendReplicas { get; init; }

    /// <summary>The traffic spike the environment must absorb, as a multiple of the traffic the minimum
    /// replicas serve at their HPA target (prod 10: "10x traffic spikes"). Sizes the HPA ceilings.</summary>
    public required double PeakTrafficFactor { get; init; }

    /// <summary>The only destinations outside the VPC the backend may reach (through the NAT gateways): one
    /// NetworkPolicy egress rule per provider. Every environment lists the same providers on the same ports
    /// (sandbox endpoints outside production), so dev shows what prod will do.</summary>
    public required IReadOnlyList<PaymentProviderConfig> PaymentProviders { get; init; }

    /// <summary>The HPA ceiling of a component: its explicit max, else min × PeakTrafficFactor rounded up.</summary>
    public int MaxReplicas(ReplicaConfig replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        return replicas.Max ?? (int)Math.Ceiling(replicas.Min * PeakTrafficFactor);
    }
}

/// <summary>The version of one application image; its repository is the account stack's ECR repository.</summary>
public sealed record ImageConfig
{
    /// <summary>A pinned tag (never "latest").</summary>
    public required string Tag { get; init; }

    /// <summary>Optional sha256 digest; wins over the tag when set.</summary>
    public string? Digest { get; init; }
}

public sealed record ReplicaConfig
{
    /// <summary>HPA minimum: what serves normal traffic at the HPA's CPU target.</summary>
    public required int Min { get; init; }

    /// <summary>HPA maximum; null = min × application.peakTrafficFactor. Set it only above that.</summary>
    public int? Max { get; init; }
}

/// <summary>An external payment provider the backend calls: its published public address ranges and TCP ports.</summary>
public sealed record PaymentProviderConfig
{
    /// <summary>Lower-case identifier, unique in the environment (and the same in every environment).</summary>
    public required string Name { get; init; }

    /// <summary>What the entry is (e.g. the provider's sandbox or live API), for the reader; not rendered.</summary>
    public string? Description { get; init; }

    /// <summary>Public IPv4 ranges, each /16 or narrower (EnvironmentRules.BroadestProviderPrefix).</summary>
    public required IReadOnlyList<string> Cidrs { get; init; }

    /// <summary>TCP ports on those ranges.</summary>
    public required IReadOnlyList<int> Ports { get; init; }
}
