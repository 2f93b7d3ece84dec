namespace EasyPay.Tf.Stacks.Configuration;

/// <summary>What <c>production: true</c> means for the resources of an environment, decided in one place:
/// production keeps data and keys safe from a bad plan and waits for maintenance windows; every other
/// environment is cheap and destroys cleanly. Stacks read these instead of testing <c>Production</c>.</summary>
public sealed record Posture
{
    /// <summary>Waiting period of every KMS key's scheduled deletion: the maximum (30) in production so a
    /// mistaken deletion can be cancelled, the minimum (7) elsewhere.</summary>
    public required int KeyDeletionWindowDays { get; init; }

    /// <summary>Deletion protection and prevent_destroy on what holds data or serves traffic (EKS, Aurora, the
    /// ALB, backup vaults, the Velero bucket).</summary>
    public required bool DeletionProtection { get; init; }

    /// <summary>Buckets may be destroyed with their objects (access logs, Velero backups, the maintenance page).</summary>
    public required bool ForceDestroyBuckets { get; init; }

    /// <summary>The EKS public endpoint may be open to 0.0.0.0/0 (the environment file decides the CIDRs).</summary>
    public required bool AllowPublicApiFromAnywhere { get; init; }

    /// <summary>Aurora changes apply at once instead of in the maintenance window.</summary>
    public required bool ApplyDatabaseChangesImmediately { get; init; }

    /// <summary>Enhanced monitoring granularity of the database instances.</summary>
    public required int DatabaseMonitoringIntervalSeconds { get; init; }

    /// <summary>Performance Insights history: the free 7 days outside production; a month in production to
    /// compare an incident with the weeks before it (paid per vCPU and month).</summary>
    public required int PerformanceInsightsRetentionDays { get; init; }

    /// <summary>GuardDuty Runtime Monitoring with its managed EKS agent. GuardDuty then creates a VPC endpoint and
    /// security group Terraform does not know, which block destroying the VPC: on where nothing is destroyed.</summary>
    public required bool RuntimeThreatMonitoring { get; init; }

    /// <summary>S3 Object Lock mode of the buckets that keep audit logs and backups (the audit trail's, Velero's and its
    /// replica): COMPLIANCE (nobody, root included, deletes a
    /// log before its retention) in production; GOVERNANCE elsewhere, which an administrator can bypass to
    /// destroy the environment.</summary>
    public required string AuditLogLockMode { get; init; }

    /// <summary>Developers create, change, delete and exec into pods of the app namespace (dev, staging); in
    /// production they read objects and logs only, and an incident needs the audited break-glass role.</summary>
    public required bool DevelopersOperatePods { get; init; }

    /// <summary>The app's images are pinned by digest (environment file and admission policy): production runs
    /// exactly the image that was reviewed, even if its repository were re-created.</summary>
    public required bool ImageDigestsRequired { get; init; }

    /// <summary>AmazonSSMManagedInstanceCore on the node role: Session Manager shells on nodes, outside the
    /// Kubernetes audit log (and the role can read every SSM parameter). Off in production.</summary>
    public required bool NodeSessionManager { get; init; }

    public static readonly Posture Production = new()
    {
        DevelopersOperatePods = false,
        ImageDigestsRequired = true,
        NodeSessionManager = false,
        RuntimeThreatMonitoring = true,
        AuditLogLockMode = "COMPLIANCE",
        KeyDeletionWindowDays = 30,
        DeletionProtection = true,
        ForceDestroyBuckets = false,
        AllowPublicApiFromAnywhere = false,
        ApplyDatabaseChangesImmediately = false,
        DatabaseMonitoringIntervalSeconds = 15,
        PerformanceInsightsRetentionDays = 31,
    };

    public static readonly Posture Development = new()
    {
        DevelopersOperatePods = true,
        ImageDigestsRequired = false,
        NodeSessionManager = true,
        RuntimeThreatMonitoring = false,
        AuditLogLockMode = "GOVERNANCE",
        KeyDeletionWindowDays = 7,
        DeletionProtection = false,
        ForceDestroyBuckets = true,
        AllowPublicApiFromAnywhere = true,
        ApplyDatabaseChangesImmediately = true,
        DatabaseMonitoringIntervalSeconds = 60,
        PerformanceInsightsRetentionDays = 7,
    };

    public static Posture Of(EnvironmentConfig env) => env.Production ? Production : Development;
}
