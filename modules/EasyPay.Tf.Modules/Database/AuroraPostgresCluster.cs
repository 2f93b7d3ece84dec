using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.DbSubnetGroup;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.RdsCluster;
using HashiCorp.Cdktf.Providers.Aws.RdsClusterInstance;
using HashiCorp.Cdktf.Providers.Aws.RdsClusterParameterGroup;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="AuroraPostgresCluster"/>.</summary>
public sealed record AuroraPostgresClusterProps
{
    /// <summary>Cluster identifier and prefix of every resource name, e.g. "easypay-prod".</summary>
    public required string Name { get; init; }

    /// <summary>Pinned Aurora PostgreSQL version "major.minor", e.g. "16.6".</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Class of the writer and the readers, e.g. "db.r6g.large".</summary>
    public required string InstanceClass { get; init; }

    /// <summary>AZs to place instances in: the writer in the first, reader i in AZ i.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    public required string VpcId { get; init; }

    /// <summary>Isolated data subnets, one per AZ (the DB subnet group).</summary>
    public required IReadOnlyList<string> SubnetIds { get; init; }

    /// <summary>The database created in the cluster.</summary>
    public required string DatabaseName { get; init; }

    /// <summary>Readers besides the writer, each in its own AZ: what Aurora fails over to.</summary>
    public int ReaderCount { get; init; } = 1;

    /// <summary>Not a secret: RDS generates the password and keeps it in Secrets Manager.</summary>
    public string MasterUsername { get; init; } = "easypay_admin";

    /// <summary>Automated backups / point-in-time restore window, 1-35 days.</summary>
    public int BackupRetentionDays { get; init; } = 7;

    /// <summary>UTC "hh:mm-hh:mm".</summary>
    public string PreferredBackupWindow { get; init; } = "02:00-03:00";

    /// <summary>UTC "ddd:hh:mm-ddd:hh:mm".</summary>
    public string PreferredMaintenanceWindow { get; init; } = "sun:04:00-sun:05:00";

    /// <summary>Retention of the exported PostgreSQL log.</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>On (the default): deletion protection, a final snapshot, automated backups kept after a
    /// delete, and prevent_destroy on the cluster and its key. Off: everything destroys cleanly (development).</summary>
    public bool DeletionProtection { get; init; } = true;

    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>Enhanced monitoring granularity: 1, 5, 10, 15, 30 or 60 seconds (0 = off).</summary>
    public int MonitoringIntervalSeconds { get; init; } = 60;

    /// <summary>Create the region's RDSOSMetrics log group (where enhanced monitoring writes for every instance
    /// of the account in the region) under this cluster's key with <see cref="LogRetentionDays"/>. RDS creates it
    /// on first use unencrypted with 30 days' retention; turn this off when the account already has it (it is one
    /// group per account and region, so one cluster owns it). @default true</summary>
    public bool CreateEnhancedMonitoringLogGroup { get; init; } = true;

    /// <summary>7 (free tier) or a multiple of 31 up to 713, or 731 (paid per vCPU and month).</summary>
    public int PerformanceInsightsRetentionDays { get; init; } = 7;

    /// <summary>False: modifications wait for the maintenance window (production); true: applied at once.</summary>
    public bool ApplyImmediately { get; init; }

    /// <summary>Statements slower than this are logged (log_min_duration_statement).</summary>
    public int SlowStatementMilliseconds { get; init; } = 1000;

    /// <summary>Pinned server certificate authority the clients verify against.</summary>
    public string CaCertificateIdentifier { get; init; } = "rds-ca-rsa2048-g1";

    /// <summary>Turns on the RDS Data API (enable_http_endpoint): SQL over HTTPS, authorized by IAM and a Secrets
    /// Manager secret, with no network path to the database. Aurora PostgreSQL 16.1+ (and 15.3+, 14.8+, 13.11+)
    /// supports it on provisioned clusters (Aurora User Guide, "Supported Regions and Aurora DB engines for RDS
    /// Data API"). Only callers allowed rds-data:ExecuteStatement on this cluster and GetSecretValue on a
    /// database secret can use it. @default false</summary>
    public bool EnableDataApi { get; init; }

    /// <summary>Names of the other log groups encrypted with the cluster's key (its proxies', the functions that
    /// manage it): the key admits CloudWatch Logs for exactly these, the PostgreSQL log and RDSOSMetrics.
    /// @default none</summary>
    public IReadOnlyList<string> AdditionalLogGroupNames { get; init; } = [];
}

/// <summary>An Aurora PostgreSQL cluster built to survive the loss of an instance or an AZ: one writer and
/// N readers in distinct AZs with promotion tiers in AZ order, storage, secret, Performance Insights and
/// logs encrypted with its own rotating CMK, an RDS-managed master password (never in code or state),
/// IAM database authentication, an SSL-only parameter group that logs slow statements and DDL, enhanced
/// monitoring, and a security group without any rule until callers allow specific sources.</summary>
public sealed class AuroraPostgresCluster : Construct
{
    public const int Port = 5432;

    /// <summary>The log group enhanced monitoring writes to: one per account and region, named by RDS
    /// (RDS user guide, "Viewing OS metrics using CloudWatch Logs").</summary>
    public const string EnhancedMonitoringLogGroup = "RDSOSMetrics";

    /// <summary>pgAudit session classes logged for every role: writes (INSERT, UPDATE, DELETE, TRUNCATE, COPY TO a
    /// table), role and privilege changes, and DDL (pgAudit README, pgaudit.log).</summary>
    public const string AuditLogClasses = "write,role,ddl";

    /// <summary>The log type Aurora PostgreSQL exports to CloudWatch Logs.</summary>
    public const string LogExport = "postgresql";

    /// <summary>Known at synth time.</summary>
    public string ClusterIdentifier { get; }
    public string Arn { get; }
    /// <summary>cluster-XXXX: the resource id IAM database authentication policies name
    /// (arn:aws:rds-db:REGION:ACCOUNT:dbuser:RESOURCE_ID/USER).</summary>
    public string ClusterResourceId { get; }
    /// <summary>Whether the RDS Data API is on (<see cref="AuroraPostgresClusterProps.EnableDataApi"/>).</summary>
    public bool DataApiEnabled { get; }
    public string WriterEndpoint { get; }
    public string ReaderEndpoint { get; }
    /// <summary>Known at synth time.</summary>
    public string DatabaseName { get; }
    /// <summary>ARN of the RDS-managed master secret.</summary>
    public string SecretArn { get; }
    /// <summary>Known at synth time: the master user (only RDS and the Data API log in as it).</summary>
    public string MasterUsername { get; }
    public string KmsKeyArn { get; }
    public string SecurityGroupId { get; }
    public string VpcId { get; }
    public string LogGroupName { get; }
    /// <summary>Known at synth time: writer first, then the readers.</summary>
    public IReadOnlyList<string> InstanceIdentifiers { get; }
    /// <summary>Known at synth time: AZ of each instance, in <see cref="InstanceIdentifiers"/> order.</summary>
    public IReadOnlyList<string> InstanceAvailabilityZones { get; }
    /// <summary>Known at synth time: Aurora's default max_connections for the instance class.</summary>
    public int MaxConnections { get; }

    /// <summary>The instances, for resources that need a cluster with members (RDS Proxy targets).</summary>
    internal IReadOnlyList<ITerraformDependable> Instances { get; }

    public AuroraPostgresCluster(Construct scope, string id, AuroraPostgresClusterProps props) : base(scope, id)
    {
        var instanceClass = Validate(props);
        var major = props.EngineVersion.Split('.')[0];

        var key = new EncryptionKey(this, "key", new EncryptionKeyProps(
            props.Name + "-database", $"Aurora storage, master secret, Performance Insights and logs of {props.Name}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, [$"/aws/rds/cluster/{props.Name}/{LogExport}", EnhancedMonitoringLogGroup, .. props.AdditionalLogGroupNames])],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });

        // Created before the cluster so the exported log is encrypted and expires (RDS would create it
        // without either).
        var logGroup = new LogGroup(this, "postgresql-log", new LogGroupProps(
            $"/aws/rds/cluster/{props.Name}/{LogExport}", props.LogRetentionDays, key.Arn));

        var subnetGroup = new DbSubnetGroup(this, "subnets", new DbSubnetGroupConfig
        {
            Name = props.Name,
            Description = $"Isolated data subnets of {props.Name}",
            SubnetIds = [.. props.SubnetIds],
        });

        // No rules here, and Terraform removes the default allow-all egress: nothing reaches the
        // database until a caller allows a specific source (AllowPostgresFrom).
        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = $"{props.Name}-database",
            Description = "Aurora PostgreSQL: 5432 from named security groups only",
            VpcId = props.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-database" },
        });

        var family = $"aurora-postgresql{major}";
        var parameters = new RdsClusterParameterGroup(this, "parameters", new RdsClusterParameterGroupConfig
        {
            // A generated suffix: create_before_destroy makes any replacement (a major upgrade's new family, a
            // changed description) create the new group first, and a fixed name would collide with the old one.
            NamePrefix = ParameterGroupNamePrefix(props.Name, family),
            Family = family,
            Description = $"SSL only, slow statement and DDL logging for {props.Name}",
            Parameter = new[]
            {
                Parameter("rds.force_ssl", "1"),
                Parameter("ssl_min_protocol_version", "TLSv1.2"),
                Parameter("log_min_duration_statement", props.SlowStatementMilliseconds.ToString(CultureInfo.InvariantCulture)),
                Parameter("log_statement", "ddl"),
                // PCI DSS 10.2: who connected, and every write, role change and DDL statement (pgAudit session
                // logging; Aurora User Guide, "Setting up the pgAudit extension"). Statement parameters stay
                // out of the log (pgaudit.log_parameter off): bound values can hold card data.
                Parameter("log_connections", "1"),
                Parameter("log_disconnections", "1"),
                Parameter("pgaudit.log", AuditLogClasses),
                Parameter("pgaudit.log_parameter", "0"),
                // Static parameter: takes effect at the next reboot (maintenance window); pgaudit.log audits
                // from then on.
                Parameter("shared_preload_libraries", "pg_stat_statements,pgaudit", "pending-reboot"),
            },
            Lifecycle = new TerraformResourceLifecycle { CreateBeforeDestroy = true },
        });

        var monitoringLogs = props.MonitoringIntervalSeconds > 0 && props.CreateEnhancedMonitoringLogGroup
            ? new LogGroup(this, "enhanced-monitoring-log", new LogGroupProps(EnhancedMonitoringLogGroup, props.LogRetentionDays, key.Arn))
            : null;

        var monitoringRole = props.MonitoringIntervalSeconds > 0
            ? new ServiceRole(this, "monitoring-role", new ServiceRoleProps(
                $"{props.Name}-rds-monitoring", $"Enhanced monitoring of {props.Name}", "monitoring.rds.amazonaws.com")
            {
                ManagedPolicyArns = [AwsEnvironment.Of(this).ManagedPolicyArn("service-role/AmazonRDSEnhancedMonitoringRole")],
            })
            : null;

        var cluster = new RdsCluster(this, "cluster", new RdsClusterConfig
        {
            ClusterIdentifier = props.Name,
            Engine = "aurora-postgresql",
            EngineMode = "provisioned",
            EngineVersion = props.EngineVersion,
            DatabaseName = props.DatabaseName,
            Port = Port,
            MasterUsername = props.MasterUsername,
            // RDS generates and rotates the password in Secrets Manager: it never appears in code,
            // configuration, synthesized JSON or Terraform state.
            ManageMasterUserPassword = true,
            MasterUserSecretKmsKeyId = key.Arn,
            IamDatabaseAuthenticationEnabled = true,
            EnableHttpEndpoint = props.EnableDataApi,
            StorageEncrypted = true,
            KmsKeyId = key.Arn,
            DbSubnetGroupName = subnetGroup.Name,
            VpcSecurityGroupIds = [sg.Id],
            DbClusterParameterGroupName = parameters.Name,
            BackupRetentionPeriod = props.BackupRetentionDays,
            PreferredBackupWindow = props.PreferredBackupWindow,
            PreferredMaintenanceWindow = props.PreferredMaintenanceWindow,
            CopyTagsToSnapshot = true,
            EnabledCloudwatchLogsExports = [LogExport],
            ApplyImmediately = props.ApplyImmediately,
            DeletionProtection = props.DeletionProtection,
            SkipFinalSnapshot = !props.DeletionProtection,
            FinalSnapshotIdentifier = props.DeletionProtection ? $"{props.Name}-final" : null,
            // Kept after an accidental delete: point-in-time restore still works from them.
            DeleteAutomatedBackups = !props.DeletionProtection,
            Lifecycle = props.DeletionProtection ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
            DependsOn = ConstructTree.Resources(logGroup),
        });
        if (props.DeletionProtection)
        {
            // Losing the key loses every snapshot and backup encrypted with it.
            ConstructTree.PreventDestroy(key, "aws_kms_key");
        }

        var identifiers = new List<string>();
        var instances = new List<ITerraformDependable>();
        for (var i = 0; i <= props.ReaderCount; i++)
        {
            var identifier = $"{props.Name}-{i + 1}";
            instances.Add(new RdsClusterInstance(this, $"instance-{i + 1}", new RdsClusterInstanceConfig
            {
                Identifier = identifier,
                ClusterIdentifier = cluster.Id,
                Engine = cluster.Engine,
                EngineVersion = cluster.EngineVersion,
                InstanceClass = props.InstanceClass,
                // One instance per AZ, and the tier follows the AZ order: on writer failure Aurora
                // promotes the reader with the lowest tier, which always lives in another AZ.
                AvailabilityZone = props.AvailabilityZones[i],
                PromotionTier = i,
                DbSubnetGroupName = subnetGroup.Name,
                PubliclyAccessible = false,
                // The engine version is pinned in configuration; AWS must not move it.
                AutoMinorVersionUpgrade = false,
                CaCertIdentifier = props.CaCertificateIdentifier,
                CopyTagsToSnapshot = true,
                PerformanceInsightsEnabled = true,
                PerformanceInsightsKmsKeyId = key.Arn,
                PerformanceInsightsRetentionPeriod = props.PerformanceInsightsRetentionDays,
                MonitoringInterval = props.MonitoringIntervalSeconds,
                MonitoringRoleArn = monitoringRole?.Arn,
                DependsOn = monitoringLogs is null ? null : [monitoringLogs.Resource],
                PreferredMaintenanceWindow = props.PreferredMaintenanceWindow,
                ApplyImmediately = props.ApplyImmediately,
            }));
            identifiers.Add(identifier);
        }

        ClusterIdentifier = props.Name;
        Arn = cluster.Arn;
        ClusterResourceId = cluster.ClusterResourceId;
        DataApiEnabled = props.EnableDataApi;
        WriterEndpoint = cluster.Endpoint;
        ReaderEndpoint = cluster.ReaderEndpoint;
        DatabaseName = props.DatabaseName;
        MasterUsername = props.MasterUsername;
        SecretArn = cluster.MasterUserSecret.Get(0).SecretArn;
        KmsKeyArn = key.Arn;
        SecurityGroupId = sg.Id;
        VpcId = props.VpcId;
        LogGroupName = logGroup.Name;
        InstanceIdentifiers = identifiers;
        InstanceAvailabilityZones = [.. props.AvailabilityZones.Take(props.ReaderCount + 1)];
        MaxConnections = instanceClass.DefaultMaxConnections;
        Instances = instances;
    }

    /// <summary>name_prefix of the cluster parameter group; Terraform appends a 26-character unique suffix.</summary>
    public static string ParameterGroupNamePrefix(string name, string family) => $"{name}-{family}-";

    /// <summary>Allows PostgreSQL (5432) from one security group, as its own rule resource. Only RDS proxies call it
    /// (<see cref="DatabaseProxy"/>): clients go through a proxy, where IAM authentication happens (policy rule NET-008).</summary>
    public void AllowPostgresFrom(string id, SecurityGroupId source, string description) =>
        AllowPostgres(this, id, new SecurityGroupId(SecurityGroupId), source, description);

    /// <summary>An ingress rule admitting 5432 into <paramref name="target"/> from another
    /// security group only (never a CIDR).</summary>
    internal static void AllowPostgres(Construct scope, string id, SecurityGroupId target, SecurityGroupId source, string description) =>
        PeerIngress.Allow(scope, id, target, source, Port, description);

    /// <summary>Lets the existing role <paramref name="role"/> read exactly the master secret (and
    /// decrypt it through Secrets Manager only), e.g. the External Secrets operator's IRSA role.</summary>
    public void GrantSecretRead(string id, IamRoleName role, string policyName) =>
        new IamRolePolicy(this, id, new IamRolePolicyConfig
        {
            Name = policyName,
            Role = role.Value,
            Policy = PolicyDocument.Render(SecretReadStatements()),
        });

    /// <summary>Read access to the master secret: GetSecretValue/DescribeSecret on that one ARN, and
    /// kms:Decrypt on the cluster key only when Secrets Manager of this region asks for it.</summary>
    public IReadOnlyList<PolicyStatement> SecretReadStatements() =>
    [
        new("ReadMasterSecret", ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], [SecretArn]),
        new("DecryptMasterSecret", ["kms:Decrypt"], [KmsKeyArn],
            Conditions: PolicyDocument.Condition("StringEquals", "kms:ViaService", $"secretsmanager.{AwsEnvironment.Of(this).Region}.amazonaws.com")),
    ];

    private static RdsClusterParameterGroupParameter Parameter(string name, string value, string applyMethod = "immediate") =>
        new() { Name = name, Value = value, ApplyMethod = applyMethod };

    private static AuroraInstanceClass Validate(AuroraPostgresClusterProps props)
    {
        var v = new PropsValidator(nameof(AuroraPostgresClusterProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z](?!.*--)[a-z0-9-]{0,47}(?<!-)$"), nameof(props.Name),
                $"'{props.Name}' is not a cluster identifier: lower-case letters, digits and single hyphens, starting with a letter, at most 48 characters")
            .Check(Regex.IsMatch(props.EngineVersion ?? "", "^[0-9]{2}\\.[0-9]+$"), nameof(props.EngineVersion),
                $"'{props.EngineVersion}' is not a pinned Aurora PostgreSQL version such as 16.6")
            .Check(Regex.IsMatch(props.DatabaseName ?? "", "^[a-z][a-z0-9_]{0,62}$"), nameof(props.DatabaseName),
                $"'{props.DatabaseName}' is not a database name: lower-case letter first, then letters, digits or _")
            .Check(props.ReaderCount >= 0, nameof(props.ReaderCount), $"{props.ReaderCount} is negative")
            .Check(props.BackupRetentionDays is >= 1 and <= 35, nameof(props.BackupRetentionDays), $"{props.BackupRetentionDays} is outside Aurora's 1-35 days")
            .CheckDailyWindow(props.PreferredBackupWindow, nameof(props.PreferredBackupWindow), "02:00-03:00")
            .CheckWeeklyWindow(props.PreferredMaintenanceWindow, nameof(props.PreferredMaintenanceWindow), "sun:04:00-sun:05:00")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .Check(props.MonitoringIntervalSeconds is 0 or 1 or 5 or 10 or 15 or 30 or 60, nameof(props.MonitoringIntervalSeconds),
                $"{props.MonitoringIntervalSeconds} is not an enhanced monitoring interval; use 0, 1, 5, 10, 15, 30 or 60")
            .Check(props.PerformanceInsightsRetentionDays == 7 || props.PerformanceInsightsRetentionDays == 731 ||
                   (props.PerformanceInsightsRetentionDays % 31 == 0 && props.PerformanceInsightsRetentionDays is >= 31 and <= 713),
                nameof(props.PerformanceInsightsRetentionDays), $"{props.PerformanceInsightsRetentionDays} is not a Performance Insights retention; use 7, a multiple of 31 up to 713, or 731")
            .Check(props.SlowStatementMilliseconds > 0, nameof(props.SlowStatementMilliseconds), "must be positive (0 would log every statement)")
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId));

        var azs = props.AvailabilityZones ?? [];
        v.Check(azs.Distinct().Count() == azs.Count, nameof(props.AvailabilityZones), "contains duplicates; every instance needs its own AZ")
         .Check(props.ReaderCount + 1 <= azs.Count, nameof(props.AvailabilityZones),
            $"{azs.Count} AZ(s) cannot hold the writer and {props.ReaderCount} reader(s) one per AZ; add AZs or lower ReaderCount")
         .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "a DB subnet group needs subnets in at least 2 AZs");

        AuroraInstanceClass.TryParse(props.InstanceClass, out var instanceClass, out var classError);
        v.Check(instanceClass is not null, nameof(props.InstanceClass), classError);
        v.Check(!(props.EnableDataApi && instanceClass is { Burstable: true }), nameof(props.EnableDataApi),
            $"the Data API does not run on T instance classes ({props.InstanceClass}; Aurora User Guide, \"Data API limitations\"): use db.r6g.large or larger");
        v.ThrowIfInvalid();
        return instanceClass!;
    }
}
