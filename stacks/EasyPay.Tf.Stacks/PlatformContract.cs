using EasyPay.Tf.Modules.Cluster;
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

    /// <summary>Namespace of the application (chart, SecretStore, developer rights).</summary>
    public const string AppNamespace = "easypay";

    /// <summary>Container port of the frontend and backend pods (the chart's containerPort); the ALB reaches the
    /// frontend's only.</summary>
    public const int AppPort = 8080;

    /// <summary>Path of the payment API, routed to its own target group of frontend pods (ApiTargetGroupArn).</summary>
    public const string ApiPathPattern = "/api/*";

    /// <summary>Kubernetes group of the developer role; the app chart's RoleBinding in <see cref="AppNamespace"/>
    /// gives it the namespace-scoped pod rights (no cluster-wide EKS access policy).</summary>
    public const string DeveloperGroup = "easypay-developers";

    /// <summary>The app chart's SecretStore service account, not the External Secrets controller's own: only
    /// SecretStores authenticating as it (in the app namespace) can read the database secret.</summary>
    public static readonly KubernetesServiceAccount SecretStoreAccount = new(AppNamespace, "easypay-external-secrets");

    /// <summary>Known at synth time: the Container Insights log group of one type,
    /// /aws/containerinsights/CLUSTER/TYPE (the cluster stack creates them; the monitoring stack's runbooks name them).</summary>
    public static string ContainerInsightsLogGroupName(EnvironmentConfig env, string type) =>
        $"/aws/containerinsights/{ClusterName(env)}/{type}";
}
