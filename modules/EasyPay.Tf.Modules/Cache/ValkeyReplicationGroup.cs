using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.ElasticacheParameterGroup;
using HashiCorp.Cdktf.Providers.Aws.ElasticacheReplicationGroup;
using HashiCorp.Cdktf.Providers.Aws.ElasticacheSubnetGroup;
using HashiCorp.Cdktf.Providers.Aws.ElasticacheUser;
using HashiCorp.Cdktf.Providers.Aws.ElasticacheUserGroup;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;

namespace EasyPay.Tf.Modules.Cache;

/// <summary>Props of <see cref="ValkeyReplicationGroup"/>.</summary>
public sealed record ValkeyReplicationGroupProps
{
    /// <summary>Replication group id and prefix of every resource name, e.g. "easypay-prod" (at most 40 characters).</summary>
    public required string Name { get; init; }

    /// <summary>Pinned Valkey version "major.minor", e.g. "8.1" (one of <see cref="ValkeyReplicationGroup.SupportedEngineVersions"/>).</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Node type of the primary and every replica, e.g. "cache.r7g.large".</summary>
    public required string NodeType { get; init; }

    /// <summary>AZs of the environment: the primary in the first, replica i in AZ (i mod count).</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    public required string VpcId { get; init; }

    /// <summary>Isolated data subnets, one per AZ (the cache subnet group).</summary>
    public required IReadOnlyList<string> SubnetIds { get; init; }

    /// <summary>The IAM-authenticated user the application connects as (user id = user name, as IAM authentication
    /// requires), e.g. "easypay-prod-app".</summary>
    public required string ApplicationUserId { get; init; }

    /// <summary>Replicas besides the primary. One or more turns on Multi-AZ with automatic failover: ElastiCache
    /// promotes a replica in another AZ when the primary fails. 0 = a single node (development only). @default 2</summary>
    public int ReplicaCount { get; init; } = 2;

    /// <summary>Days ElastiCache keeps the automatic daily snapshots, 1-35. @default 7</summary>
    public int SnapshotRetentionDays { get; init; } = 7;

    /// <summary>Daily snapshot window, UTC "hh:mm-hh:mm", at least 60 minutes. @default "03:00-04:00"</summary>
    public string SnapshotWindow { get; init; } = "03:00-04:00";

    /// <summary>Weekly maintenance window, UTC "ddd:hh:mm-ddd:hh:mm", at least 60 minutes. @default "sun:05:00-sun:06:00"</summary>
    public string MaintenanceWindow { get; init; } = "sun:05:00-sun:06:00";

    /// <summary>Retention of the slow log and engine log groups (a CloudWatch Logs retention value). @default 365</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>On: a final snapshot when the group is deleted and prevent_destroy on the group and its key.
    /// Off: everything destroys cleanly (development). @default true</summary>
    public bool DeletionProtection { get; init; } = true;

    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>False: modifications wait for the maintenance window (production); true: applied at once. @default false</summary>
    public bool ApplyImmediately { get; init; }

    /// <summary>What Valkey evicts when memory is full. volatile-lru (the ElastiCache default, stated so a parameter
    /// group change cannot move it): only keys with a TTL are evicted, least recently used first. Everything the
    /// payment service caches (sessions, idempotency windows, rate-limit counters) carries a TTL; a key without one
    /// is never evicted silently, and a full cache refuses writes (OOM, alarmed) rather than dropping a counter
    /// that enforces a limit. @default "volatile-lru"</summary>
    public string MaxMemoryPolicy { get; init; } = "volatile-lru";

    /// <summary>Commands the application user may run: every command except the dangerous category (FLUSHALL,
    /// FLUSHDB, KEYS, CONFIG, DEBUG, ...), on every key; INFO, which is in that category, stays allowed because client
    /// libraries send it on connect and in health checks. @default "on ~* +@all -@dangerous +info"</summary>
    public string ApplicationAccessString { get; init; } = "on ~* +@all -@dangerous +info";
}

/// <summary>A Valkey replication group (cluster mode disabled: one primary, N replicas, a primary and a reader
/// endpoint) built to survive a node or an AZ: replicas spread over the AZs with Multi-AZ and automatic failover,
/// encryption at rest with its own rotating CMK and in transit (TLS required), IAM authentication for the one
/// application user and the default user switched off (no password exists), daily snapshots, a weekly
/// maintenance window, the slow log and engine log in KMS-encrypted log groups with retention, and a security
/// group without any rule until callers allow specific sources.</summary>
public sealed class ValkeyReplicationGroup : Construct
{
    public const int Port = 6379;

    public const string Engine = "valkey";

    /// <summary>Engine of the users and the user group: REDIS. A VALKEY user group admits only users that authenticate
    /// (password or IAM), so the switched-off default user would need a password; a REDIS user group admits a
    /// no-password user and serves Valkey clusters too (ElastiCache user guide, "Role-Based Access Control (RBAC)").</summary>
    public const string UserEngine = "redis";

    /// <summary>Valkey versions with the valkey8 parameter family (ElastiCache user guide, "Engine specific parameters":
    /// valkey8 covers 8.0, 8.1 and 8.2); the provider accepts "major.minor" for valkey (engine_version.go).</summary>
    public static readonly IReadOnlyList<string> SupportedEngineVersions = ["8.0", "8.1", "8.2"];

    /// <summary>The log types ElastiCache delivers (ElastiCache user guide, "Log delivery").</summary>
    public static readonly IReadOnlyList<string> LogTypes = ["slow-log", "engine-log"];

    /// <summary>Known at synth time.</summary>
    public string ReplicationGroupId { get; }
    public string Arn { get; }
    /// <summary>The primary endpoint: writes (and reads that must see them); follows a failover.</summary>
    public string PrimaryEndpoint { get; }
    /// <summary>The reader endpoint: spreads reads over the replicas (the primary when there is none).</summary>
    public string ReaderEndpoint { get; }
    /// <summary>Known at synth time.</summary>
    public string ApplicationUserId { get; }
    public string ApplicationUserArn { get; }
    public string KmsKeyArn { get; }
    public string SecurityGroupId { get; }
    /// <summary>Known at synth time: the member clusters (nodes), "NAME-001" for the first, the CacheClusterId
    /// dimension of their CloudWatch metrics.</summary>
    public IReadOnlyList<string> MemberClusterIds { get; }
    /// <summary>Known at synth time: whether a replica takes over automatically (Multi-AZ).</summary>
    public bool MultiAz { get; }

    public ValkeyReplicationGroup(Construct scope, string id, ValkeyReplicationGroupProps props) : base(scope, id)
    {
        Validate(props);
        var nodes = props.ReplicaCount + 1;
        var multiAz = props.ReplicaCount > 0;
        var logGroupNames = LogTypes.ToDictionary(type => type, type => LogGroupName(props.Name, type));

        var key = new EncryptionKey(this, "key", new EncryptionKeyProps(
            props.Name + "-cache", $"ElastiCache data, snapshots and logs of {props.Name}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, [.. logGroupNames.Values])],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });

        // Created first, encrypted and expiring: ElastiCache delivers into existing groups only.
        var logGroups = LogTypes.ToDictionary(type => type, type => new LogGroup(this, $"{type}-group", new LogGroupProps(
            logGroupNames[type], props.LogRetentionDays, key.Arn)));

        var subnetGroup = new ElasticacheSubnetGroup(this, "subnets", new ElasticacheSubnetGroupConfig
        {
            Name = props.Name,
            Description = $"Isolated data subnets of {props.Name}'s cache",
            SubnetIds = [.. props.SubnetIds],
        });

        // No rules here, and Terraform removes the default allow-all egress: nothing reaches the cache until a
        // caller allows a specific source (AllowClientsFrom).
        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = $"{props.Name}-cache",
            Description = $"Valkey: {Port} from named security groups only",
            VpcId = props.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-cache" },
        });

        var family = ParameterFamily(props.EngineVersion);
        var parametersDescription = $"Eviction policy of {props.Name}'s cache";
        var parameters = new ElasticacheParameterGroup(this, "parameters", new ElasticacheParameterGroupConfig
        {
            Name = ParameterGroupName(props.Name, family, parametersDescription),
            Family = family,
            Description = parametersDescription,
            Parameter = new[]
            {
                new ElasticacheParameterGroupParameter { Name = "maxmemory-policy", Value = props.MaxMemoryPolicy },
            },
            // name, family and description force a new group (parameter_group.go: ForceNew) and the resource has no
            // name_prefix: the name carries the family and a hash of the description, so the replacement, created
            // before the old group goes, never collides with it.
            Lifecycle = new TerraformResourceLifecycle { CreateBeforeDestroy = true },
        });

        // IAM authentication for the application, and the mandatory "default" user switched off ("off": it cannot
        // authenticate, and a new connection is not logged in as it): a user group must contain a user named default
        // (ElastiCache RBAC), and ElastiCache's own default user (no password, every command) would answer anyone who
        // reaches the port.
        var defaultUser = new ElasticacheUser(this, "default-user", new ElasticacheUserConfig
        {
            UserId = $"{props.Name}-default",
            UserName = "default",
            Engine = UserEngine,
            AccessString = "off -@all",
            AuthenticationMode = new ElasticacheUserAuthenticationMode { Type = "no-password-required" },
        });
        var appUser = new ElasticacheUser(this, "app-user", new ElasticacheUserConfig
        {
            UserId = props.ApplicationUserId,
            UserName = props.ApplicationUserId,
            Engine = UserEngine,
            AccessString = props.ApplicationAccessString,
            AuthenticationMode = new ElasticacheUserAuthenticationMode { Type = "iam" },
        });
        var userGroup = new ElasticacheUserGroup(this, "users", new ElasticacheUserGroupConfig
        {
            UserGroupId = props.Name,
            Engine = UserEngine,
            UserIds = [defaultUser.UserId, appUser.UserId],
        });

        var group = new ElasticacheReplicationGroup(this, "group", new ElasticacheReplicationGroupConfig
        {
            ReplicationGroupId = props.Name,
            Description = $"Cache of {props.Name}: sessions, idempotency windows, rate limits",
            Engine = Engine,
            EngineVersion = props.EngineVersion,
            NodeType = props.NodeType,
            Port = Port,
            NumCacheClusters = nodes,
            // The primary in the first AZ, then the replicas round the AZs: a failover always has another AZ to go to.
            PreferredCacheClusterAzs = [.. Enumerable.Range(0, nodes).Select(i => props.AvailabilityZones[i % props.AvailabilityZones.Count])],
            AutomaticFailoverEnabled = multiAz,
            MultiAzEnabled = multiAz,
            SubnetGroupName = subnetGroup.Name,
            SecurityGroupIds = [sg.Id],
            ParameterGroupName = parameters.Name,
            AtRestEncryptionEnabled = "true",
            KmsKeyId = key.Arn,
            TransitEncryptionEnabled = true,
            TransitEncryptionMode = "required",
            UserGroupIds = [userGroup.UserGroupId],
            SnapshotRetentionLimit = props.SnapshotRetentionDays,
            SnapshotWindow = props.SnapshotWindow,
            MaintenanceWindow = props.MaintenanceWindow,
            // The engine version is pinned in configuration; AWS must not move it.
            AutoMinorVersionUpgrade = "false",
            // With false, a later change of log_delivery_configuration fails ("set the apply-immediately parameter to
            // true", ElastiCache user guide "Log delivery"; provider issue 49842): such a change is applied with
            // ApplyImmediately for that run (docs/runbook-cache.md, "Changing log delivery").
            ApplyImmediately = props.ApplyImmediately,
            FinalSnapshotIdentifier = props.DeletionProtection ? $"{props.Name}-final" : null,
            LogDeliveryConfiguration = LogTypes.Select(type => new ElasticacheReplicationGroupLogDeliveryConfiguration
            {
                Destination = logGroups[type].Name,
                DestinationType = "cloudwatch-logs",
                LogFormat = "json",
                LogType = type,
            }).ToArray(),
            Lifecycle = props.DeletionProtection ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
            DependsOn = [.. logGroups.Values.Select(g => g.Resource)],
        });
        if (props.DeletionProtection)
        {
            // Losing the key loses every snapshot encrypted with it.
            ConstructTree.PreventDestroy(key, "aws_kms_key");
        }

        ReplicationGroupId = props.Name;
        Arn = group.Arn;
        PrimaryEndpoint = group.PrimaryEndpointAddress;
        ReaderEndpoint = group.ReaderEndpointAddress;
        ApplicationUserId = props.ApplicationUserId;
        ApplicationUserArn = appUser.Arn;
        KmsKeyArn = key.Arn;
        SecurityGroupId = sg.Id;
        MemberClusterIds = [.. Enumerable.Range(1, nodes).Select(i => MemberClusterId(props.Name, i))];
        MultiAz = multiAz;
    }

    /// <summary>The id ElastiCache gives member cluster <paramref name="number"/> (1-based) of a cluster-mode-disabled
    /// replication group: the group id and a three-digit number.</summary>
    public static string MemberClusterId(string replicationGroupId, int number) =>
        $"{replicationGroupId}-{number.ToString("000", CultureInfo.InvariantCulture)}";

    /// <summary>The log group of one log type of the group named <paramref name="replicationGroupId"/>. Under
    /// /aws/vendedlogs/: CloudWatch Logs then covers every vended-log group of the account with one resource-policy
    /// entry instead of one per group, which keeps the 5,120-character resource policy (shared with WAF's log delivery)
    /// from filling up (CloudWatch Logs user guide, "Logs sent to CloudWatch Logs").</summary>
    public static string LogGroupName(string replicationGroupId, string logType) => $"/aws/vendedlogs/elasticache/{replicationGroupId}/{logType}";

    /// <summary>"NAME-FAMILY-xxxxxx": the family and the first 6 hex digits of the description's SHA-256.</summary>
    public static string ParameterGroupName(string replicationGroupId, string family, string description) =>
        $"{replicationGroupId}-{family}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(description)))[..6]}";

    /// <summary>The parameter group family of a Valkey version: valkey8 for 8.x.</summary>
    public static string ParameterFamily(string engineVersion) => $"valkey{engineVersion.Split('.')[0]}";

    /// <summary>Allows Valkey (6379) from one security group, as its own rule resource (never a CIDR).</summary>
    public void AllowClientsFrom(string id, SecurityGroupId source, string description) =>
        PeerIngress.Allow(this, id, new SecurityGroupId(SecurityGroupId), source, Port, description);

    /// <summary>Lets <paramref name="role"/> connect to this replication group as the application user with IAM
    /// auth tokens, and nothing else (ElastiCache user guide, "Authenticating with IAM": elasticache:Connect on the
    /// replication group and the user).</summary>
    public void GrantConnect(string id, IamRoleName role, string policyName) =>
        new IamRolePolicy(this, id, new IamRolePolicyConfig
        {
            Name = policyName,
            Role = role.Value,
            Policy = PolicyDocument.Render(new PolicyStatement("ConnectAsApplicationUser", ["elasticache:Connect"], [Arn, ApplicationUserArn])),
        });

    private static void Validate(ValkeyReplicationGroupProps props)
    {
        var azs = props.AvailabilityZones ?? [];
        new PropsValidator(nameof(ValkeyReplicationGroupProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$"), nameof(props.Name),
                $"'{props.Name}' is not a replication group id: lower-case letters, digits and single hyphens, starting with a letter, at most 40 characters")
            .Check(SupportedEngineVersions.Contains(props.EngineVersion), nameof(props.EngineVersion),
                $"'{props.EngineVersion}' is not a Valkey version this construct supports; use one of {string.Join(", ", SupportedEngineVersions)}")
            .Check(Regex.IsMatch(props.NodeType ?? "", "^cache\\.[a-z][a-z0-9]*\\.[a-z0-9]+$"), nameof(props.NodeType),
                $"'{props.NodeType}' is not a node type such as cache.r7g.large")
            .Check(Regex.IsMatch(props.ApplicationUserId ?? "", "^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$") && props.ApplicationUserId != "default", nameof(props.ApplicationUserId),
                $"'{props.ApplicationUserId}' is not an IAM-authenticated user id: lower-case letters, digits and single hyphens, starting with a letter, at most 40 characters, not 'default'")
            .Check(props.ReplicaCount is >= 0 and <= 5, nameof(props.ReplicaCount), $"{props.ReplicaCount} is outside 0-5 replicas (ElastiCache's limit per shard)")
            .Check(azs.Count >= 2 && azs.Distinct().Count() == azs.Count, nameof(props.AvailabilityZones), "needs at least 2 distinct AZs")
            .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "a cache subnet group for Multi-AZ needs subnets in at least 2 AZs")
            .Check(props.SnapshotRetentionDays is >= 1 and <= 35, nameof(props.SnapshotRetentionDays), $"{props.SnapshotRetentionDays} is outside ElastiCache's 1-35 days")
            .CheckDailyWindow(props.SnapshotWindow, nameof(props.SnapshotWindow), "03:00-04:00")
            .CheckWeeklyWindow(props.MaintenanceWindow, nameof(props.MaintenanceWindow), "sun:05:00-sun:06:00")
            .Check(MaxMemoryPolicies.Contains(props.MaxMemoryPolicy), nameof(props.MaxMemoryPolicy),
                $"'{props.MaxMemoryPolicy}' is not a maxmemory-policy; use one of {string.Join(", ", MaxMemoryPolicies)}")
            .Check((props.ApplicationAccessString ?? "").StartsWith("on ", StringComparison.Ordinal), nameof(props.ApplicationAccessString),
                $"'{props.ApplicationAccessString}' must start with 'on' (an 'off' user cannot connect)")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .ThrowIfInvalid();
    }

    /// <summary>The values of maxmemory-policy.</summary>
    public static readonly IReadOnlyList<string> MaxMemoryPolicies =
        ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"];
}
