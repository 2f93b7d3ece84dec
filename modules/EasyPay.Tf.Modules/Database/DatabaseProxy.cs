using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.DbProxy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.DbProxyDefaultTargetGroup;
using HashiCorp.Cdktf.Providers.Aws.DbProxyEndpoint;
using HashiCorp.Cdktf.Providers.Aws.DbProxyTarget;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupEgressRule;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="DatabaseProxy"/>.</summary>
/// <param name="Name">Proxy name and prefix of its resources, e.g. "easypay-prod".</param>
/// <param name="Cluster">The Aurora cluster behind the proxy.</param>
/// <param name="SubnetIds">Subnets of the proxy (at least 2 AZs), normally the cluster's data subnets.</param>
/// <param name="DatabaseUsers">The PostgreSQL roles clients may connect as. The proxy logs in to the database as the
/// same role with IAM authentication (end-to-end IAM): each must exist with the rds_iam role granted
/// (<see cref="IamDatabaseUser"/>), and never the master user, whose password only RDS and the Data API use.</param>
public sealed record DatabaseProxyProps(string Name, AuroraPostgresCluster Cluster, IReadOnlyList<string> SubnetIds, IReadOnlyList<string> DatabaseUsers)
{
    /// <summary>Seconds an idle client connection stays open (the app's pool keeps its connections
    /// shorter than this). @default 1800</summary>
    public int IdleClientTimeoutSeconds { get; init; } = 1800;

    /// <summary>Seconds a client waits for a database connection, e.g. while Aurora fails over, before
    /// the proxy gives up: long enough to ride out a failover without an error. @default 120</summary>
    public int ConnectionBorrowTimeoutSeconds { get; init; } = 120;

    /// <summary>Share of the cluster's max_connections the proxy may open (the rest stays for operators). @default 90</summary>
    public int MaxConnectionsPercent { get; init; } = 90;

    /// <summary>Retention of the proxy's log group (a CloudWatch Logs retention value). @default 365</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>A read-only endpoint over the readers; only meaningful when the cluster has readers. @default true</summary>
    public bool ReadOnlyEndpoint { get; init; } = true;

    /// <summary>Upgrade only: the proxy of the previous design, kept unchanged while running clients still log in as the
    /// master user with the RDS-managed secret's password (auth SECRETS, iam_auth DISABLED; its role reads that one
    /// secret). <see cref="DatabaseProxyProps.DatabaseUsers"/> must then be empty. Never for a new environment.
    /// @default false</summary>
    public bool MasterSecretPasswordClients { get; init; }

    /// <summary>Resources the proxy's target must wait for, e.g. the creation of <see cref="DatabaseUsers"/>, so the
    /// proxy never reports its target available before the roles it connects as exist. @default none</summary>
    public IReadOnlyList<ITerraformDependable> TargetDependsOn { get; init; } = [];
}

/// <summary>RDS Proxy in front of an Aurora cluster: clients keep their connections to the proxy while
/// the cluster fails over, so a writer failure costs them a pause, not their pool. TLS is required of clients,
/// and so is IAM authentication end to end (default_auth_scheme IAM_AUTH): clients present an IAM auth token
/// for the proxy, and the proxy connects to the database as the same role with a token of its own role, so no
/// password exists anywhere on the path and nothing needs rotating. Its own security group admits 5432 only from
/// callers' security groups and talks only to the cluster's.</summary>
public sealed class DatabaseProxy : Construct
{
    /// <summary>DefaultAuthScheme for end-to-end IAM authentication (RDS API reference, CreateDBProxy:
    /// IAM_AUTH | NONE; provider aws 6.25.0 validates it against the SDK's DefaultAuthScheme enum).</summary>
    public const string EndToEndIamAuth = "IAM_AUTH";

    /// <summary>Read-write endpoint (to the writer, wherever it is after a failover).</summary>
    public string Endpoint { get; }

    /// <summary>Read-only endpoint over the readers; null without one.</summary>
    public string? ReadOnlyEndpoint { get; }

    public string Arn { get; }
    public string SecurityGroupId { get; }

    /// <summary>prx-XXXX, the last part of the proxy ARN: what clients' rds-db:connect resources name.</summary>
    public string ResourceId { get; }

    /// <summary>Known at synth time: the roles clients may connect as.</summary>
    public IReadOnlyList<string> DatabaseUsers { get; }

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
        // "from-<id>": one rule per proxy of the cluster (an upgrade runs two for a while).
        cluster.AllowPostgresFrom($"from-{id}", new SecurityGroupId(sg.Id),
            props.MasterSecretPasswordClients ? "PostgreSQL from the RDS Proxy" : $"PostgreSQL from the RDS Proxy {props.Name}");

        // End-to-end IAM: the proxy's role may connect to the cluster as exactly the listed roles and reads no secret.
        // The upgrade-only password proxy reads the master secret instead, as the previous design did.
        var role = new ServiceRole(this, "role", new ServiceRoleProps($"{props.Name}-rds-proxy",
            props.MasterSecretPasswordClients
                ? $"Lets RDS Proxy {props.Name} read the database's master secret"
                : $"Lets RDS Proxy {props.Name} connect to the database as its IAM database users", "rds.amazonaws.com")
        {
            InlineStatements = props.MasterSecretPasswordClients
                ? cluster.SecretReadStatements()
                : [new("ConnectAsDatabaseUsers", ["rds-db:connect"], [.. props.DatabaseUsers.Select(user => DbUserArn(this, cluster.ClusterResourceId, user))])],
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
            DefaultAuthScheme = props.MasterSecretPasswordClients ? null : EndToEndIamAuth,
            Auth = props.MasterSecretPasswordClients
                ? new[]
                {
                    new DbProxyAuth
                    {
                        Description = "RDS-managed master secret; clients authenticate with its password",
                        AuthScheme = "SECRETS",
                        SecretArn = cluster.SecretArn,
                        IamAuth = "DISABLED",
                        ClientPasswordAuthType = "POSTGRES_SCRAM_SHA_256",
                    },
                }
                : null,
            DependsOn = [logs.Resource, role.InlinePolicy!],
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
            DependsOn = [.. cluster.Instances, .. props.TargetDependsOn],
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
        // A local, so the policies that name it hold no quoted expression (their JSON parses before Terraform runs).
        ResourceId = new TerraformLocal(this, "resource_id", Fn.Element(Fn.Split(":", proxy.Arn), 6)).AsString;
        DatabaseUsers = [.. props.DatabaseUsers];
    }

    /// <summary>The rds-db:connect resource of one database user behind <paramref name="resourceId"/> (a cluster's
    /// cluster-XXXX or a proxy's prx-XXXX; RDS User Guide, "Creating and using an IAM policy for IAM database access").</summary>
    internal static string DbUserArn(Construct scope, string resourceId, string user) =>
        AwsEnvironment.Of(scope).Arn("rds-db", $"dbuser:{resourceId}/{user}");

    /// <summary>Lets <paramref name="role"/> connect through the proxy as <paramref name="user"/> (one of
    /// <see cref="DatabaseUsers"/>) with IAM auth tokens, and nothing else.</summary>
    public void GrantConnect(string id, IamRoleName role, string user, string policyName)
    {
        new PropsValidator(nameof(GrantConnect))
            .Check(DatabaseUsers.Contains(user), nameof(user), $"'{user}' is not one of the proxy's database users ({string.Join(", ", DatabaseUsers)})")
            .ThrowIfInvalid();
        new IamRolePolicy(this, id, new IamRolePolicyConfig
        {
            Name = policyName,
            Role = role.Value,
            Policy = PolicyDocument.Render(new PolicyStatement("ConnectThroughProxy", ["rds-db:connect"], [DbUserArn(this, ResourceId, user)])),
        });
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
            .Check(props.MasterSecretPasswordClients || (props.DatabaseUsers ?? []).Count > 0, nameof(props.DatabaseUsers), "is empty: name the IAM database users clients connect as")
            .Check(!props.MasterSecretPasswordClients || (props.DatabaseUsers ?? []).Count == 0, nameof(props.DatabaseUsers),
                "must be empty for the upgrade-only password proxy (MasterSecretPasswordClients): its clients log in as the master user")
            .Check((props.DatabaseUsers ?? []).All(IamDatabaseUser.IsValidName), nameof(props.DatabaseUsers),
                $"[{string.Join(", ", props.DatabaseUsers ?? [])}] must be PostgreSQL role names (lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters)")
            .Check(props.Cluster is null || !(props.DatabaseUsers ?? []).Contains(props.Cluster.MasterUsername), nameof(props.DatabaseUsers),
                "names the master user: clients connect as a dedicated application role, never as the master user")
            .Check(props.IdleClientTimeoutSeconds is >= 1 and <= 28800, nameof(props.IdleClientTimeoutSeconds), $"{props.IdleClientTimeoutSeconds} is outside 1-28800 seconds")
            .Check(props.ConnectionBorrowTimeoutSeconds is >= 1 and <= 3600, nameof(props.ConnectionBorrowTimeoutSeconds), $"{props.ConnectionBorrowTimeoutSeconds} is outside 1-3600 seconds")
            .Check(props.MaxConnectionsPercent is >= 1 and <= 100, nameof(props.MaxConnectionsPercent), $"{props.MaxConnectionsPercent} is outside 1-100 percent")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .ThrowIfInvalid();
}
