using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Ingress;
using EasyPay.Tf.Modules.Observability;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Modules.Storage;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>What the cluster stack gives database, monitoring and platform. Values are Terraform tokens
/// (outputs here, remote-state lookups in consumers) unless noted as known at synth time.</summary>
public sealed record ClusterOutputs
{
    public required string ClusterName { get; init; }
    public required string ClusterEndpoint { get; init; }
    /// <summary>Base64 PEM of the cluster CA, as EKS returns it.</summary>
    public required string ClusterCertificateAuthorityData { get; init; }
    public required string OidcProviderArn { get; init; }
    /// <summary>Issuer URL without the https:// scheme (the form IRSA trust conditions use).</summary>
    public required string OidcIssuer { get; init; }
    /// <summary>Security group of the nodes (and so of the pods, with the VPC CNI).</summary>
    public required string NodeSecurityGroupId { get; init; }
    /// <summary>The EKS-managed cluster security group (control plane ⇄ nodes).</summary>
    public required string ClusterSecurityGroupId { get; init; }
    public required string AlbSecurityGroupId { get; init; }
    public required string LoadBalancerControllerRoleArn { get; init; }
    public required string ClusterAutoscalerRoleArn { get; init; }
    public required string ExternalSecretsRoleArn { get; init; }
    /// <summary>Name of the External Secrets IRSA role: the database stack grants it read access to exactly
    /// its own secret (the secret does not exist yet when the cluster is built).</summary>
    public required string ExternalSecretsRoleName { get; init; }
    public required string VeleroRoleArn { get; init; }
    public required string VeleroBucketName { get; init; }
    public required string AlbArn { get; init; }
    /// <summary>"app/name/id": the LoadBalancer dimension of ALB CloudWatch metrics.</summary>
    public required string AlbArnSuffix { get; init; }
    public required string AlbDnsName { get; init; }
    public required string AlbZoneId { get; init; }
    public required string FrontendTargetGroupArn { get; init; }
    public required string BackendTargetGroupArn { get; init; }
    /// <summary>"targetgroup/name/id": the TargetGroup dimension of ALB CloudWatch metrics.</summary>
    public required string FrontendTargetGroupArnSuffix { get; init; }
    public required string BackendTargetGroupArnSuffix { get; init; }
    /// <summary>Known at synth time: the node group's minimum, for the node-count alarm.</summary>
    public required int NodeGroupMinSize { get; init; }
    /// <summary>Known at synth time: the Kubernetes group developers are mapped to (chart RBAC binds it).</summary>
    public required string DeveloperGroup { get; init; }
}

/// <summary>&lt;env&gt;-cluster: the EKS control plane and managed nodes in the private subnets, the IRSA roles
/// of the platform add-ons, the EKS-managed add-ons, and the internet-facing ALB whose target groups the app
/// chart binds pods to. docs/cluster.md tells operators how to reach the cluster and who may do what.</summary>
public sealed class ClusterStack : EasyPayStack
{
    public const string Name = "cluster";

    /// <summary>Kubernetes group of the developer role; the app chart's RoleBinding in <see cref="AppNamespace"/>
    /// gives it the namespace-scoped pod rights (no cluster-wide EKS access policy).</summary>
    public const string DeveloperGroup = "easypay-developers";

    /// <summary>Namespace of the application (chart, SecretStore, developer rights).</summary>
    public const string AppNamespace = "easypay";

    /// <summary>Container port of the frontend and backend pods: target group port and node ingress from the ALB.</summary>
    public const int AppPort = 8080;

    /// <summary>Path routed to the backend; everything else goes to the frontend.</summary>
    public const string BackendPathPattern = "/api/*";

    // The service accounts the IRSA roles trust. The platform stack installs the charts with exactly these.
    public static readonly KubernetesServiceAccount LoadBalancerControllerAccount = new("kube-system", "aws-load-balancer-controller");
    public static readonly KubernetesServiceAccount ClusterAutoscalerAccount = new("kube-system", "cluster-autoscaler");

    /// <summary>The app chart's SecretStore service account, not the External Secrets controller's own: only
    /// SecretStores authenticating as it (in the app namespace) can read the database secret.</summary>
    public static readonly KubernetesServiceAccount ExternalSecretsAccount = new(AppNamespace, "easypay-external-secrets");
    public static readonly KubernetesServiceAccount VeleroAccount = new("velero", "velero-server");
    public static readonly KubernetesServiceAccount EbsCsiAccount = new("kube-system", "ebs-csi-controller-sa");
    public static readonly KubernetesServiceAccount CloudWatchAgentAccount = new("amazon-cloudwatch", "cloudwatch-agent");

    /// <summary>Container Insights (the metrics the monitoring stack alarms on: node_cpu_utilization,
    /// cluster_node_count, pod_number_of_container_restarts). Pinned here rather than per environment
    /// because no environment needs another; bump it with the Kubernetes version
    /// (aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability).</summary>
    public const string CloudWatchObservabilityVersion = "v4.5.0-eksbuild.1";

    /// <summary>Container logs stay off: the add-on's Fluent Bit would create log groups without KMS or
    /// retention. Application logs go to the monitoring stack's log group instead.</summary>
    public const string CloudWatchObservabilityConfiguration = """{"containerLogs":{"enabled":false}}""";

    public ClusterOutputs Outputs { get; }

    public ClusterStack(Construct scope, EnvironmentConfig env, NetworkOutputs network) : base(scope, env, Name)
    {
        ArgumentNullException.ThrowIfNull(network);
        var config = env.Cluster;
        var clusterName = NetworkStack.ClusterName(env);
        var keyWindow = env.Production ? 30 : 7;

        var eks = new EksControlPlane(this, "eks", new EksControlPlaneProps(
            clusterName, config.KubernetesVersion, network.PrivateSubnetIds, config.PublicAccessCidrs, Aws.Region, Aws.AccountId)
        {
            LogRetentionDays = env.LogRetentionDays,
            DeletionProtection = env.Production,
            AllowPublicAccessFromAnywhere = !env.Production,
            KeyDeletionWindowInDays = keyWindow,
            Partition = Aws.Partition,
        });
        _ = new ClusterAccess(this, "admin-access", new ClusterAccessProps(eks.Name, config.AdminRoleArn)
        {
            ClusterScopePolicy = ClusterAccess.ClusterAdminPolicy,
            Partition = Aws.Partition,
        });
        _ = new ClusterAccess(this, "developer-access", new ClusterAccessProps(eks.Name, config.DeveloperRoleArn)
        {
            KubernetesGroups = [DeveloperGroup],
            Partition = Aws.Partition,
        });

        var alb = new PublicLoadBalancer(this, "alb", new PublicLoadBalancerProps(
            Prefix, network.VpcId, network.PublicSubnetIds,
            [new LoadBalancerTarget("frontend", AppPort), new LoadBalancerTarget("backend", AppPort) { PathPatterns = [BackendPathPattern] }],
            Aws.AccountId)
        {
            CertificateArn = config.CertificateArn,
            DeletionProtection = env.Production,
            AccessLogRetentionDays = env.LogRetentionDays,
            ForceDestroyLogs = !env.Production,
            Partition = Aws.Partition,
        });
        var nodeSg = new NodeSecurityGroup(this, "node-sg", new NodeSecurityGroupProps(
            $"{Prefix}-eks-nodes", network.VpcId, eks.ClusterSecurityGroupId, alb.SecurityGroupId)
        {
            AppPorts = [AppPort],
        });

        // Networking add-ons come before the nodes (a node is Ready only with the CNI); the rest run on nodes.
        // vpc-cni keeps the node role's AmazonEKS_CNI_Policy rather than an IRSA role: one role less, and the
        // node role needs the policy anyway while the add-on starts.
        var vpcCni = Addon(eks, "vpc-cni", config.Addons.VpcCni, [eks.Resource]);
        var kubeProxy = Addon(eks, "kube-proxy", config.Addons.KubeProxy, [eks.Resource]);
        var ng = config.NodeGroup;
        var nodes = new ManagedNodeGroup(this, "nodes", new ManagedNodeGroupProps(
            $"{Prefix}-general", clusterName, network.PrivateSubnetIds, [nodeSg.Id, eks.ClusterSecurityGroupId], ng.InstanceTypes, Aws.Region, Aws.AccountId)
        {
            CapacityType = ng.CapacityType,
            MinSize = ng.MinSize,
            DesiredSize = ng.DesiredSize,
            MaxSize = ng.MaxSize,
            DiskSizeGiB = ng.DiskSizeGiB,
            LaunchedResourceTags = DefaultTags(env, Name),
            // One general-purpose pool runs everything, so no taints; the label lets workloads pin to it and
            // keeps room for tainted special-purpose pools later.
            Labels = new Dictionary<string, string> { ["easypay.io/node-pool"] = "general" },
            KeyDeletionWindowInDays = keyWindow,
            Partition = Aws.Partition,
        }, eks.Resource, vpcCni.Resource, kubeProxy.Resource);

        var tgs = alb.TargetGroups;
        var lbc = Irsa("aws-load-balancer-controller", LoadBalancerControllerAccount, eks,
            AddonPolicies.LoadBalancerController([.. tgs.Select(t => t.Arn)], nodeSg.Id, Aws.Partition, Aws.Region, Aws.AccountId));
        var autoscaler = Irsa("cluster-autoscaler", ClusterAutoscalerAccount, eks,
            AddonPolicies.ClusterAutoscaler(clusterName, Aws.Partition, Aws.Region, Aws.AccountId));
        // No permissions here: the database stack attaches a policy for exactly its secret and key to this
        // role (by name), because the secret does not exist until the database does.
        var externalSecrets = Irsa("external-secrets", ExternalSecretsAccount, eks, []);
        var (velero, veleroBucket) = Velero(env, eks, keyWindow);
        var ebsCsi = Irsa("ebs-csi-driver", EbsCsiAccount, eks, [],
            [$"arn:{Aws.Partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
        var cloudWatch = Irsa("cloudwatch-agent", CloudWatchAgentAccount, eks, [],
            [$"arn:{Aws.Partition}:iam::aws:policy/CloudWatchAgentServerPolicy"]);

        _ = Addon(eks, "coredns", config.Addons.CoreDns, [nodes.Resource]);
        _ = Addon(eks, "aws-ebs-csi-driver", config.Addons.EbsCsiDriver, [nodes.Resource], ebsCsi.Arn);
        // The agent writes Container Insights metrics as embedded-metric logs to this group: created here so
        // it is KMS-encrypted and expires.
        var performanceLogs = new LogGroup(this, "container-insights", new LogGroupProps(
            $"/aws/containerinsights/{clusterName}/performance", env.LogRetentionDays, eks.LogsKeyArn));
        _ = Addon(eks, "amazon-cloudwatch-observability", CloudWatchObservabilityVersion, [nodes.Resource, performanceLogs.Resource],
            cloudWatch.Arn, CloudWatchObservabilityConfiguration);

        var frontend = alb.TargetGroup("frontend");
        var backend = alb.TargetGroup("backend");
        Outputs = new ClusterOutputs
        {
            ClusterName = eks.Name,
            ClusterEndpoint = eks.Endpoint,
            ClusterCertificateAuthorityData = eks.CertificateAuthorityData,
            OidcProviderArn = eks.OidcProviderArn,
            OidcIssuer = eks.OidcIssuer,
            NodeSecurityGroupId = nodeSg.Id,
            ClusterSecurityGroupId = eks.ClusterSecurityGroupId,
            AlbSecurityGroupId = alb.SecurityGroupId,
            LoadBalancerControllerRoleArn = lbc.Arn,
            ClusterAutoscalerRoleArn = autoscaler.Arn,
            ExternalSecretsRoleArn = externalSecrets.Arn,
            ExternalSecretsRoleName = externalSecrets.Name,
            VeleroRoleArn = velero.Arn,
            VeleroBucketName = veleroBucket.Name,
            AlbArn = alb.Arn,
            AlbArnSuffix = alb.ArnSuffix,
            AlbDnsName = alb.DnsName,
            AlbZoneId = alb.ZoneId,
            FrontendTargetGroupArn = frontend.Arn,
            BackendTargetGroupArn = backend.Arn,
            FrontendTargetGroupArnSuffix = frontend.ArnSuffix,
            BackendTargetGroupArnSuffix = backend.ArnSuffix,
            NodeGroupMinSize = ng.MinSize,
            DeveloperGroup = DeveloperGroup,
        };
        ExportOutputs();
    }

    private ClusterAddon Addon(EksControlPlane eks, string name, string version, IReadOnlyList<ITerraformDependable> after,
        string? roleArn = null, string? configuration = null) =>
        new(this, $"addon-{name}", new ClusterAddonProps(eks.Name, name, version)
        {
            ServiceAccountRoleArn = roleArn,
            ConfigurationValues = configuration,
            DependsOn = after,
        });

    private IrsaRole Irsa(string name, KubernetesServiceAccount account, EksControlPlane eks,
        IReadOnlyList<Modules.Core.PolicyStatement> statements, IReadOnlyList<string>? managedPolicies = null) =>
        new(this, $"irsa-{name}", new IrsaRoleProps($"{Prefix}-{name}", eks.OidcProviderArn, eks.OidcIssuer, account)
        {
            Description = $"IRSA role of {account} in {Prefix}",
            Statements = statements,
            ManagedPolicyArns = managedPolicies ?? [],
        });

    /// <summary>Velero's bucket (name made globally unique with the account id), its key and its IRSA role.
    /// Production backups survive a destroy: no force_destroy and lifecycle prevent_destroy.</summary>
    private (IrsaRole Role, SecureBucket Bucket) Velero(EnvironmentConfig env, EksControlPlane eks, int keyWindow)
    {
        var key = new EncryptionKey(this, "velero-key", new EncryptionKeyProps($"{Prefix}-velero", $"Velero backups of {Prefix}", Aws.AccountId)
        {
            DeletionWindowInDays = keyWindow,
            Partition = Aws.Partition,
        });
        var name = $"{Prefix}-velero-{Aws.AccountId}";
        var bucket = new SecureBucket(this, "velero-bucket", new SecureBucketProps(name, key.Arn)
        {
            ForceDestroy = !env.Production,
            PreventDestroy = env.Production,
            NoncurrentVersionExpirationDays = 30,
            AbortIncompleteUploadsAfterDays = 7,
            Partition = Aws.Partition,
        });
        var role = Irsa("velero", VeleroAccount, eks,
            AddonPolicies.Velero($"arn:{Aws.Partition}:s3:::{name}", key.Arn, Aws.Partition, Aws.Region, Aws.AccountId));
        return (role, bucket);
    }

    /// <summary>Every ClusterOutputs field as a stack output (snake_case), for operators (cdktf output) and
    /// scripts; consumers still get their values through CDKTF's own cross-stack outputs.</summary>
    private void ExportOutputs()
    {
        foreach (var property in typeof(ClusterOutputs).GetProperties())
        {
            _ = new TerraformOutput(this, SnakeCase(property.Name), new TerraformOutputConfig { Value = property.GetValue(Outputs)! });
        }
    }

    private static string SnakeCase(string name) => Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
}
