using System.Globalization;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Backup;
using EasyPay.Tf.Modules.Cache;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>What the database stack gives monitoring and platform.</summary>
public sealed record DatabaseOutputs
{
    /// <summary>Known at synth time: easypay-&lt;env&gt;.</summary>
    public required string ClusterIdentifier { get; init; }
    public required string WriterEndpoint { get; init; }
    public required string ReaderEndpoint { get; init; }
    /// <summary>RDS Proxy read-write endpoint: what the application connects to.</summary>
    public required string ProxyEndpoint { get; init; }
    /// <summary>RDS Proxy read-only endpoint over the readers; the read-write endpoint when a single failure can
    /// leave no reader (fewer than two), so consumers always get an address that answers.</summary>
    public required string ProxyReadOnlyEndpoint { get; init; }
    /// <summary>Known at synth time.</summary>
    public required int Port { get; init; }
    /// <summary>Known at synth time.</summary>
    public required string DatabaseName { get; init; }
    /// <summary>ARN of the RDS-managed master secret in Secrets Manager (operators' break-glass; no workload reads it).</summary>
    public required string SecretArn { get; init; }
    /// <summary>Known at synth time: the PostgreSQL role the application connects as, through the proxy, with IAM
    /// auth tokens only.</summary>
    public required string ApplicationUser { get; init; }
    public required string KmsKeyArn { get; init; }
    public required string SecurityGroupId { get; init; }
    /// <summary>Known at synth time: writer first, then readers.</summary>
    public required IReadOnlyList<string> InstanceIdentifiers { get; init; }
    /// <summary>Known at synth time: max_connections of the instance class (alarm threshold base).</summary>
    public required int MaxConnections { get; init; }
    /// <summary>The Valkey cache tier beside the database.</summary>
    public required CacheOutputs Cache { get; init; }
    /// <summary>Known at synth time: the AWS Backup vault of the database (the monitoring stack alerts on its jobs).</summary>
    public required string BackupVaultName { get; init; }
}

/// <summary>What the database stack gives monitoring and platform about the cache (scalars and lists of strings only).</summary>
public sealed record CacheOutputs
{
    /// <summary>Known at synth time: easypay-&lt;env&gt;.</summary>
    public required string ReplicationGroupId { get; init; }
    /// <summary>Writes, and reads that must see them; follows a failover.</summary>
    public required string PrimaryEndpoint { get; init; }
    /// <summary>Reads spread over the replicas (the primary when there is none).</summary>
    public required string ReaderEndpoint { get; init; }
    /// <summary>Known at synth time.</summary>
    public required int Port { get; init; }
    /// <summary>Known at synth time: always "iam" (no password exists for the cache either).</summary>
    public required string AuthMode { get; init; }
    /// <summary>Known at synth time: the user the backend signs IAM auth tokens for.</summary>
    public required string User { get; init; }
    /// <summary>Known at synth time: the member clusters (CacheClusterId dimension), primary's AZ first.</summary>
    public required IReadOnlyList<string> MemberClusterIds { get; init; }
    /// <summary>Known at synth time: a replica takes over automatically (Multi-AZ).</summary>
    public required bool MultiAz { get; init; }
}

/// <summary>&lt;env&gt;-database: the data tier. The Aurora PostgreSQL cluster the payments run on, the RDS Proxy the
/// application connects through, its 3-hourly AWS Backup plan, the Valkey cache beside it (same isolated subnets,
/// same single client, the backend), and the connection parameters of both in SSM. One stack rather than an
/// &lt;env&gt;-cache of its own: the two share the subnets, the client and the protections, and another
/// workspace would add state sharing and a deploy role for no separate lifecycle.
/// The RDS event subscription (failover, failure, maintenance) lives in the monitoring stack, which owns
/// the alarm topic and depends on this stack.</summary>
public sealed class DatabaseStack : EasyPayStack
{
    public const string Name = "database";

    /// <summary>Readers an environment needs before reads go to the proxy's read-only endpoint: one reader is
    /// promoted on a writer failure (Aurora User Guide, high availability), which leaves the endpoint empty.</summary>
    public const int MinReadersForReadOnlyEndpoint = 2;

    public DatabaseOutputs Outputs { get; }

    /// <summary>Share of max_connections each proxy may open: 90 % (the rest for operators and the Data API), split
    /// between the two proxies while an upgrade runs both (the share is per proxy target group, RDS API
    /// ConnectionPoolConfiguration.MaxConnectionsPercent).</summary>
    public static int ProxyConnectionsPercent(DatabaseConfig config) => config.KeepPasswordProxy ? 45 : 90;

    /// <summary>The RDS Proxy the application connects through (end-to-end IAM).</summary>
    public string IamProxyName => $"{Prefix}-iam";

    /// <summary>The database's AWS Backup vault, easypay-&lt;env&gt;-database.</summary>
    public static string BackupVaultName(EnvironmentConfig env) => $"{env.ResourcePrefix}-database";

    /// <summary>The function that creates the application's database role.</summary>
    private string AppUserFunctionName => $"{Prefix}-database-app-user";

    public DatabaseStack(Construct scope, EnvironmentConfig env, NetworkOutputs network, ClusterOutputs cluster) : base(scope, env, Name)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(cluster);
        var config = env.Database;

        var aurora = new AuroraPostgresCluster(this, "aurora", new AuroraPostgresClusterProps
        {
            Name = Prefix,
            EngineVersion = config.EngineVersion,
            InstanceClass = config.InstanceClass,
            AvailabilityZones = network.AvailabilityZones,
            VpcId = network.VpcId,
            SubnetIds = network.DataSubnetIds,
            DatabaseName = config.DatabaseName,
            ReaderCount = config.ReaderCount,
            BackupRetentionDays = config.BackupRetentionDays,
            PreferredBackupWindow = config.PreferredBackupWindow,
            PreferredMaintenanceWindow = config.PreferredMaintenanceWindow,
            LogRetentionDays = env.LogRetentionDays,
            DeletionProtection = Posture.DeletionProtection,
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            MonitoringIntervalSeconds = Posture.DatabaseMonitoringIntervalSeconds,
            CreateEnhancedMonitoringLogGroup = !env.Account.ExistingLogGroups.Contains(AuroraPostgresCluster.EnhancedMonitoringLogGroup),
            PerformanceInsightsRetentionDays = Posture.PerformanceInsightsRetentionDays,
            ApplyImmediately = Posture.ApplyDatabaseChangesImmediately,
            // Only for the function that creates the application's role (IamDatabaseUser).
            EnableDataApi = true,
            AdditionalLogGroupNames =
            [
                IamDatabaseUser.LogGroupName(AppUserFunctionName), DatabaseProxy.LogGroupName(IamProxyName),
                .. config.KeepPasswordProxy ? new[] { DatabaseProxy.LogGroupName(Prefix) } : [],
            ],
        });
        if (config.MaxReaderCount is { } maxReaders)
        {
            new ReaderAutoScaling(this, "reader-scaling", new ReaderAutoScalingProps(aurora, maxReaders));
        }
        // The cluster admits only its proxies (each DatabaseProxy allows itself): no pod, whatever its namespace, opens a
        // session on the cluster directly; the proxies admit the nodes and check IAM auth tokens.
        var nodes = new SecurityGroupId(cluster.NodeSecurityGroupId);

        // The application's own role, IAM auth only: neither the proxy nor any pod ever holds a database password.
        var appUser = new IamDatabaseUser(this, "app-user", new IamDatabaseUserProps(AppUserFunctionName, aurora, PlatformContract.DatabaseUser)
        {
            LogRetentionDays = env.LogRetentionDays,
        });

        // Named easypay-<env>-iam: during an upgrade from password authentication the previous proxy (easypay-<env>)
        // runs beside it (KeepPasswordProxy), so the running pods keep their connections until the platform moves them.
        var proxy = new DatabaseProxy(this, "iam-proxy", new DatabaseProxyProps(IamProxyName, aurora, network.DataSubnetIds, [appUser.UserName])
        {
            // A read-only endpoint only where a reader survives any single failure: with one reader, a failover
            // makes it the writer and the endpoint has no target, so reads would fail exactly when the writer did.
            ReadOnlyEndpoint = config.ReaderCount >= MinReadersForReadOnlyEndpoint,
            LogRetentionDays = env.LogRetentionDays,
            TargetDependsOn = [appUser.Created],
            MaxConnectionsPercent = ProxyConnectionsPercent(config),
        });
        proxy.AllowClientsFrom("from-nodes", nodes, "PostgreSQL from the EKS nodes and pods");
        if (config.KeepPasswordProxy)
        {
            // Upgrade only, exactly the previous design's proxy (same construct id, so the same resources in state):
            // old pods log in through it with the master secret's password until the new chart has rolled out.
            var passwordProxy = new DatabaseProxy(this, "proxy", new DatabaseProxyProps(Prefix, aurora, network.DataSubnetIds, [])
            {
                ReadOnlyEndpoint = config.ReaderCount >= MinReadersForReadOnlyEndpoint,
                LogRetentionDays = env.LogRetentionDays,
                MasterSecretPasswordClients = true,
                MaxConnectionsPercent = ProxyConnectionsPercent(config),
            });
            passwordProxy.AllowClientsFrom("from-nodes", nodes, "PostgreSQL from the EKS nodes and pods");
        }
        // The backend's IRSA role may connect through the proxy as the application's role, and do nothing else.
        proxy.GrantConnect("backend-connect", new IamRoleName(cluster.BackendRoleName), appUser.UserName, $"{Prefix}-backend-database-connect");

        // The vault an administrator cannot empty: locked (compliance in production), and where nothing is destroyed
        // a vault policy that leaves deleting recovery points, the vault, its lock or its policy to break-glass.
        var keys = KeyGovernanceOf(env, Name);
        var backup = new ScheduledBackup(this, "backup", new ScheduledBackupProps(
            BackupVaultName(env), [aurora.Arn], config.SnapshotRetentionDays)
        {
            CopyToRegion = env.DisasterRecovery?.Region,
            DeletionProtection = Posture.DeletionProtection,
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            VaultLock = env.BackupVaultLock,
            BreakGlassRoleArns = keys.ProtectFromDeletion ? keys.BreakGlass : [],
            DeployerRoleArns = keys.Administrators,
        });

        var cacheConfig = env.Cache;
        var cache = new ValkeyReplicationGroup(this, "cache", new ValkeyReplicationGroupProps
        {
            Name = Prefix,
            EngineVersion = cacheConfig.EngineVersion,
            NodeType = cacheConfig.NodeType,
            ReplicaCount = cacheConfig.ReplicaCount,
            AvailabilityZones = network.AvailabilityZones,
            VpcId = network.VpcId,
            SubnetIds = network.DataSubnetIds,
            ApplicationUserId = PlatformContract.CacheUser(env),
            SnapshotRetentionDays = cacheConfig.SnapshotRetentionDays,
            SnapshotWindow = cacheConfig.SnapshotWindow,
            MaintenanceWindow = cacheConfig.MaintenanceWindow,
            LogRetentionDays = env.LogRetentionDays,
            DeletionProtection = Posture.DeletionProtection,
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            ApplyImmediately = cacheConfig.ApplyImmediately ?? Posture.ApplyDatabaseChangesImmediately,
        });
        // The same path as the database's: pods reach the data subnets from the node security group; the backend's
        // NetworkPolicy and the cluster-wide Calico policy keep every other pod away, and only the backend's role
        // may authenticate.
        cache.AllowClientsFrom("cache-from-nodes", nodes, "Valkey from the EKS nodes and pods");
        cache.GrantConnect("backend-cache-connect", new IamRoleName(cluster.BackendRoleName), $"{Prefix}-backend-cache-connect");
        new ConnectionParameters(this, "cache-parameters", new ConnectionParametersProps($"/easypay/{env.Name}/cache", new Dictionary<string, string>
        {
            ["primary-endpoint"] = cache.PrimaryEndpoint,
            ["reader-endpoint"] = cache.ReaderEndpoint,
            ["port"] = ValkeyReplicationGroup.Port.ToString(CultureInfo.InvariantCulture),
            ["user"] = cache.ApplicationUserId,
            ["auth-mode"] = PlatformContract.CacheAuthMode,
            ["tls"] = "required",
        }));

        var readOnlyEndpoint = proxy.ReadOnlyEndpoint ?? proxy.Endpoint;
        new ConnectionParameters(this, "parameters", new ConnectionParametersProps($"/easypay/{env.Name}/database", new Dictionary<string, string>
        {
            ["writer-endpoint"] = aurora.WriterEndpoint,
            ["reader-endpoint"] = aurora.ReaderEndpoint,
            ["proxy-endpoint"] = proxy.Endpoint,
            ["proxy-readonly-endpoint"] = readOnlyEndpoint,
            ["port"] = AuroraPostgresCluster.Port.ToString(CultureInfo.InvariantCulture),
            ["name"] = aurora.DatabaseName,
            ["user"] = appUser.UserName,
            ["secret-arn"] = aurora.SecretArn,
        }));

        Outputs = new DatabaseOutputs
        {
            ClusterIdentifier = aurora.ClusterIdentifier,
            WriterEndpoint = aurora.WriterEndpoint,
            ReaderEndpoint = aurora.ReaderEndpoint,
            ProxyEndpoint = proxy.Endpoint,
            ProxyReadOnlyEndpoint = readOnlyEndpoint,
            Port = AuroraPostgresCluster.Port,
            DatabaseName = aurora.DatabaseName,
            SecretArn = aurora.SecretArn,
            ApplicationUser = appUser.UserName,
            KmsKeyArn = aurora.KmsKeyArn,
            SecurityGroupId = aurora.SecurityGroupId,
            InstanceIdentifiers = aurora.InstanceIdentifiers,
            MaxConnections = aurora.MaxConnections,
            Cache = new CacheOutputs
            {
                ReplicationGroupId = cache.ReplicationGroupId,
                PrimaryEndpoint = cache.PrimaryEndpoint,
                ReaderEndpoint = cache.ReaderEndpoint,
                Port = ValkeyReplicationGroup.Port,
                AuthMode = PlatformContract.CacheAuthMode,
                User = cache.ApplicationUserId,
                MemberClusterIds = cache.MemberClusterIds,
                MultiAz = cache.MultiAz,
            },
            BackupVaultName = BackupVaultName(env),
        };
        Output("backup_restore_role_arn", "Role to pass to AWS Backup StartRestoreJob (restores only; the plan's role cannot restore)", backup.RestoreRoleArn);
    }
}
