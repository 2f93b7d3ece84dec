using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>Names and numbers more than one stack (or the easypay chart) must agree on, in one place. Values a
/// stack computes go through its typed outputs instead; these are known before anything is created.</summary>
public static class PlatformContract
{
    /// <summary>The EKS cluster's name: the network stack tags subnets with it (load balancer discovery)
    /// before the cluster stack creates the cluster.</summary>
    public static string ClusterName(EnvironmentConfig env) => env.ResourcePrefix;

    /// <summary>The ECR repositories of the application's images start with this (easypay-&lt;env&gt;/frontend,
    /// easypay-&lt;env&gt;/payment-api): the cluster stack replicates them to the disaster-recovery region.</summary>
    public const string ImageRepositoryPrefix = "easypay";

    /// <summary>The account stack's ECR repository of the frontend (nginx) image, e.g. easypay-prod/frontend:
    /// named by environment like every other resource, so environments may even share an account.</summary>
    public static string FrontendRepository(EnvironmentConfig env) => $"{env.ResourcePrefix}/frontend";

    /// <summary>The account stack's ECR repository of the payment API image.</summary>
    public static string BackendRepository(EnvironmentConfig env) => $"{env.ResourcePrefix}/payment-api";

    public static IReadOnlyList<string> ImageRepositories(EnvironmentConfig env) => [FrontendRepository(env), BackendRepository(env)];

    /// <summary>Namespace of the application (chart, developer rights).</summary>
    public const string AppNamespace = "easypay";

    /// <summary>Container port of the frontend and backend pods (the chart's containerPort); the ALB reaches the
    /// frontend's only.</summary>
    public const int AppPort = 8080;

    /// <summary>Path of the payment API, routed to its own target group of frontend pods (ApiTargetGroupArn).</summary>
    public const string ApiPathPattern = "/api/*";

    /// <summary>Kubernetes group of the developer role; the app chart's RoleBinding in <see cref="AppNamespace"/>
    /// gives it the namespace-scoped pod rights (no cluster-wide EKS access policy).</summary>
    public const string DeveloperGroup = "easypay-developers";

    /// <summary>The backend's service account (the chart's easypay-backend): the only subject of the backend's IRSA
    /// role, whose one permission is rds-db:connect through the proxy as <see cref="DatabaseUser"/>. The chart's
    /// admission policy keeps developers, who may create pods in the namespace, from running as it.</summary>
    public static readonly KubernetesServiceAccount BackendAccount = new(AppNamespace, "easypay-backend");

    /// <summary>The ports of the data tier's services (the data subnets), one entry per service: the network stack's ACL on
    /// the data subnets, the nodes' security group egress and the chart's cluster-wide Calico policy (only the backend's
    /// pods may open them) all follow this list. A new data service is one more entry, at the end (the ACL's rule numbers follow the order).</summary>
    public static readonly IReadOnlyList<DataPort> DataPorts =
        [new("postgresql", AuroraPostgresCluster.Port), new("valkey", EasyPay.Tf.Modules.Cache.ValkeyReplicationGroup.Port)];

    /// <summary>The PostgreSQL role the backend connects as (IAM auth only): the database stack creates it, the
    /// proxy connects as it, the chart gives the name to the app.</summary>
    public const string DatabaseUser = "easypay_app";

    /// <summary>The ElastiCache user the backend connects to the cache as (IAM authentication: user id = user name),
    /// e.g. easypay-prod-app: named by environment, since ElastiCache user ids are unique per account and region.</summary>
    public static string CacheUser(EnvironmentConfig env) => $"{env.ResourcePrefix}-app";

    /// <summary>How the backend authenticates to the cache: an IAM auth token signed with its service account's role.</summary>
    public const string CacheAuthMode = "iam";

    /// <summary>Name prefix of the application's own Secrets Manager secrets (third-party credentials): External
    /// Secrets may read these and nothing else, e.g. easypay-prod/app/.</summary>
    public static string ApplicationSecretsPrefix(EnvironmentConfig env) => $"{env.ResourcePrefix}/app/";

    /// <summary>The AWS APIs the app's pods call, each served by an interface endpoint (private DNS) in every
    /// environment, whatever network.interfaceEndpoints says, so the backend's AWS egress stays inside the VPC:
    /// STS, for AssumeRoleWithWebIdentity (IRSA). RDS IAM auth tokens are presigned locally (no call).</summary>
    public static readonly IReadOnlyList<string> AppAwsServices = ["sts"];

    /// <summary>Known at synth time: the Container Insights log group of one type,
    /// /aws/containerinsights/CLUSTER/TYPE (the cluster stack creates them; the monitoring stack's runbooks name them).</summary>
    public static string ContainerInsightsLogGroupName(EnvironmentConfig env, string type) =>
        $"/aws/containerinsights/{ClusterName(env)}/{type}";
}
