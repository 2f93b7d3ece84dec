using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf.Providers.Aws.DbProxy;
using HashiCorp.Cdktf.Providers.Aws.DbProxyDefaultTargetGroup;
using HashiCorp.Cdktf.Providers.Aws.DbProxyEndpoint;
using HashiCorp.Cdktf.Providers.Aws.DbProxyTarget;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupEgressRule;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="DatabaseProxy"/>.</summary>
/// <param name="Name">Proxy name and prefix of its resources, e.g. "easypay-prod".</param>
/// <param name="Cluster">The Aurora cluster behind the proxy; the proxy logs in with its managed master secret.</param>
/// <param name="SubnetIds">Subnets of the proxy (at least 2 AZs), normally the cluster's data subnets.</param>
public sealed record DatabaseProxyProps(string Name, AuroraPostgresCluster Cluster, IReadOnlyList<string> SubnetIds)
{
    /// <summary>Seconds an idle client connection stays open (the app's pool keeps its connections
    /// shorter than this).</summary>
    public int IdleClientTimeoutSeconds { get; init; } = 1800;

    /// <summary>Seconds a client waits for a database connection, e.g. while Aurora fails over, before
    /// the proxy gives up: long enough to ride out a failover without an error.</summary>
    public int ConnectionBorrowTimeoutSeconds { get; init; } = 120;

    /// <summary>Share of the cluster's max_connections the proxy may open (the rest stays for operators).</summary>
    public int MaxConnectionsPercent { get; init; } = 90;

    /// <summary>Retention of the proxy's log group (a CloudWatch Logs retention value). @default 365</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>A read-only endpoint over the readers; only meaningful when the cluster has readers.</summary>
    public bool ReadOnlyEndpoint { get; init; } = true;

    /// <summary>True: clients must authenticate with IAM auth tokens (iam_auth REQUIRED). False: clients log in
    /// with the database user's password and IAM tokens are refused (DISABLED). RDS Proxy has no mode that
    /// accepts both for PostgreSQL (ENABLED is SQL Server only). TLS is required either way. @default true</summary>
    public bool RequireIamAuth { get; init; } = true;
}

/// <summary>RDS Proxy in front of an Aurora cluster: clients keep their connections to the proxy while
/// the cluster fails over, so a writer failure costs them a pause, not their pool. TLS is required of
/// clients, and IAM authentication too unless <see cref="DatabaseProxyProps.RequireIamAuth"/> is off; the
/// proxy logs in to the database with the RDS-managed master secret through a role that can read exactly
/// that secret. Its own security group admits
/// 5432 only from callers' security groups and talks only to the cluster's.</summary>
public sealed class DatabaseProxy : Construct
{
    /// <summary>UserAuthConfig.IAMAuth values RDS accepts for PostgreSQL (RDS API reference: DISABLED | REQUIRED;
    /// ENABLED is SQL Server only).</summary>
    public const string IamAuthRequired = "REQUIRED";
    public const string IamAuthDisabled = "DISABLED";

    /// <summary>Read-write endpoint (to the writer, wherever it is after a failover).</summary>
    public string Endpoint { get; }

    /// <summary>Read-only endpoint over the readers; null without one.</summary>
    public string? ReadOnlyEndpoint { get; }

    public string Arn { get; }
    public string SecurityGroupId { get; }

    public DatabaseProxy(Construct scope, string id, DatabaseProxyProps props) : base(scope, id)
    {
        Validate(props);
        var cluster = props.Cluster;
        var port = AuroraPostgresCluster.Port;

        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = $"{props.Name}-rds-proxy",
            Description = "RDS Proxy: 5432 from named security groups, 5432 to the database only",
            VpcId = cluster.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-rds-proxy" },
        });
        new VpcSecurityGroupEgressRule(this, "to-database", new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = sg.Id,
            Description = "PostgreSQL to the Aurora cluster",
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            ReferencedSecurityGroupId = cluster.SecurityGroupId,
        });
        cluster.AllowPostgresFrom("from-proxy", new SecurityGroupId(sg.Id), "PostgreSQL from the RDS Proxy");

        var role = new ServiceRole(this, "role", new ServiceRoleProps(
            $"{props.Name}-rds-proxy", $"Lets RDS Proxy {props.Name} read the database's master secret", "rds.amazonaws.com")
        {
            InlineStatements = cluster.SecretReadStatements(),
        });

        // RDS Proxy logs to /aws/rds/proxy/NAME and would create the group itself (unencrypted, kept forever);
        // created first under the cluster's key, as terraform-aws-modules/rds-proxy (v4.4.0 main.tf) does.
        var logs = new LogGroup(this, "logs", new LogGroupProps(LogGroupName(props.Name), props.LogRetentionDays, cluster.KmsKeyArn));

        var proxy = new DbProxy(this, "proxy", new DbProxyConfig
        {
            Name = props.Name,
            EngineFamily = "POSTGRESQL",
            RequireTls = true,
            IdleClientTimeout = props.IdleClientTimeoutSeconds,
            RoleArn = role.Arn,
            VpcSubnetIds = [.. props.SubnetIds],
            VpcSecurityGroupIds = [sg.Id],
            DebugLogging = false, // would log SQL text, including payment data
            DependsOn = [logs.Resource],
            Auth = new[]
            {
                new DbProxyAuth
                {
                    Description = props.RequireIamAuth
                        ? "RDS-managed master secret; clients authenticate with IAM tokens"
                        : "RDS-managed master secret; clients authenticate with its password",
                    AuthScheme = "SECRETS",
                    SecretArn = cluster.SecretArn,
                    IamAuth = props.RequireIamAuth ? IamAuthRequired : IamAuthDisabled,
                    ClientPasswordAuthType = "POSTGRES_SCRAM_SHA_256",
                },
            },
        });

        var targetGroup = new DbProxyDefaultTargetGroup(this, "target-group", new DbProxyDefaultTargetGroupConfig
        {
            DbProxyName = proxy.Name,
            ConnectionPoolConfig = new DbProxyDefaultTargetGroupConnectionPoolConfig
            {
                ConnectionBorrowTimeout = props.ConnectionBorrowTimeoutSeconds,
                MaxConnectionsPercent = props.MaxConnectionsPercent,
            },
        });
        new DbProxyTarget(this, "target", new DbProxyTargetConfig
        {
            DbProxyName = proxy.Name,
            TargetGroupName = targetGroup.Name,
            DbClusterIdentifier = cluster.ClusterIdentifier,
            // Registering a cluster without available instances fails.
            DependsOn = [.. cluster.Instances],
        });

        if (props.ReadOnlyEndpoint)
        {
            var readOnly = new DbProxyEndpoint(this, "read-only", new DbProxyEndpointConfig
            {
                DbProxyEndpointName = $"{props.Name}-read-only",
                DbProxyName = proxy.Name,
                TargetRole = "READ_ONLY",
                VpcSubnetIds = [.. props.SubnetIds],
                VpcSecurityGroupIds = [sg.Id],
            });
            ReadOnlyEndpoint = readOnly.Endpoint;
        }

        Endpoint = proxy.Endpoint;
        Arn = proxy.Arn;
        SecurityGroupId = sg.Id;
    }

    /// <summary>The log group RDS Proxy writes to.</summary>
    public static string LogGroupName(string proxyName) => $"/aws/rds/proxy/{proxyName}";

    /// <summary>Lets clients in <paramref name="source"/> connect to the proxy on 5432.</summary>
    public void AllowClientsFrom(string id, SecurityGroupId source, string description) =>
        AuroraPostgresCluster.AllowPostgres(this, id, new SecurityGroupId(SecurityGroupId), source, description);

    private static void Validate(DatabaseProxyProps props) =>
        new PropsValidator(nameof(DatabaseProxyProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z](?!.*--)[a-z0-9-]{0,50}(?<!-)$"), nameof(props.Name),
                $"'{props.Name}' is not a proxy name: lower-case letters, digits and single hyphens, starting with a letter, at most 51 characters (room for -read-only)")
            .Check(props.Cluster is not null, nameof(props.Cluster), "is required")
            .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "RDS Proxy needs subnets in at least 2 AZs")
            .Check(props.IdleClientTimeoutSeconds is >= 1 and <= 28800, nameof(props.IdleClientTimeoutSeconds), $"{props.IdleClientTimeoutSeconds} is outside 1-28800 seconds")
            .Check(props.ConnectionBorrowTimeoutSeconds is >= 1 and <= 3600, nameof(props.ConnectionBorrowTimeoutSeconds), $"{props.ConnectionBorrowTimeoutSeconds} is outside 1-3600 seconds")
            .Check(props.MaxConnectionsPercent is >= 1 and <= 100, nameof(props.MaxConnectionsPercent), $"{props.MaxConnectionsPercent} is outside 1-100 percent")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .ThrowIfInvalid();
}
