using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Props of <see cref="PlatformAddons"/>: what the add-ons need from the cluster and network.</summary>
public sealed record PlatformAddonsProps(
    string ClusterName,
    string VpcId,
    string LoadBalancerControllerRoleArn,
    string ClusterAutoscalerRoleArn,
    string VeleroRoleArn,
    string VeleroBucketName)
{
    /// <summary>Velero backup schedule: every 6 hours (replaces the old design's 6-hourly etcd snapshots).</summary>
    public string VeleroSchedule { get; init; } = "0 */6 * * *";

    /// <summary>How long Velero keeps a backup.</summary>
    public string VeleroBackupTtl { get; init; } = "168h0m0s";

    // Service account names: they must equal the subjects the IRSA roles trust (the cluster stack sets them).
    public string LoadBalancerControllerServiceAccount { get; init; } = "aws-load-balancer-controller";
    public string ClusterAutoscalerServiceAccount { get; init; } = "cluster-autoscaler";
    public string VeleroServiceAccount { get; init; } = "velero-server";
}

/// <summary>The cluster add-ons the application relies on, each a pinned helm release with typed values:
/// Calico (network policy), metrics-server (HPA metrics), AWS Load Balancer Controller (TargetGroupBinding),
/// cluster-autoscaler (nodes follow pods), External Secrets (database credentials) and Velero (backups).</summary>
public sealed class PlatformAddons : Construct
{
    public HelmRelease Calico { get; }
    public HelmRelease MetricsServer { get; }
    public HelmRelease LoadBalancerController { get; }
    public HelmRelease ClusterAutoscaler { get; }
    public HelmRelease ExternalSecrets { get; }
    public HelmRelease Velero { get; }

    /// <summary>Completes once Calico's API server serves projectcalico.org/v3 (the app chart creates a v3 policy).</summary>
    public ApiAvailability CalicoApi { get; }

    /// <summary>What an application release must wait for: every API, CRD and webhook its objects use —
    /// projectcalico.org/v3 (Calico API server, registered by the operator after its own rollout),
    /// metrics.k8s.io (HPAs), TargetGroupBinding webhooks and CRD, ExternalSecret/SecretStore webhooks and CRDs.</summary>
    public IReadOnlyList<ITerraformDependable> ApplicationPrerequisites =>
        [Calico.Release, CalicoApi.Resource, MetricsServer.Release, LoadBalancerController.Release, ExternalSecrets.Release];

    public PlatformAddons(Construct scope, string id, PlatformAddonsProps props, HelmProvider helm, KubernetesProvider kubernetes) : base(scope, id)
    {
        var v = new PropsValidator(nameof(PlatformAddonsProps));
        foreach (var (field, value) in new[]
        {
            (nameof(props.ClusterName), props.ClusterName), (nameof(props.VpcId), props.VpcId),
            (nameof(props.LoadBalancerControllerRoleArn), props.LoadBalancerControllerRoleArn),
            (nameof(props.ClusterAutoscalerRoleArn), props.ClusterAutoscalerRoleArn),
            (nameof(props.VeleroRoleArn), props.VeleroRoleArn), (nameof(props.VeleroBucketName), props.VeleroBucketName),
        })
        {
            v.CheckNotEmpty(value, field);
        }
        v.ThrowIfInvalid();
        var region = AwsEnvironment.Of(this).Region;

        Calico = new HelmRelease(this, "calico", new HelmReleaseProps("tigera-operator", "tigera-operator", "tigera-operator", ChartVersions.TigeraOperator,
            // As Calico's EKS guide installs it: the VPC CNI keeps networking, no BGP. Goldmane and Whisker
            // (flow aggregation and its UI, on by default since 3.30) stay off: nothing here reads them.
            new TigeraOperatorValues(new TigeraInstallation("EKS", new TigeraCni("AmazonVPC"), new TigeraCalicoNetwork("Disabled")),
                ApiServer: new EnabledFlag(true), Goldmane: new EnabledFlag(false), Whisker: new EnabledFlag(false)))
        {
            Repository = "https://docs.tigera.io/calico/charts",
        }, helm);

        // The operator registers the APIService v3.projectcalico.org only after it has rolled out calico-apiserver,
        // long after helm considers the release ready (custom resources count as ready at once).
        CalicoApi = new ApiAvailability(this, "calico-api", new ApiAvailabilityProps(
            $"calico-api-available-{ChartVersions.TigeraOperator.Replace('.', '-')}", "projectcalico.org/v3", ChartVersions.ApiAvailabilityImage)
        {
            DependsOn = [Calico.Release],
        }, kubernetes);

        MetricsServer = new HelmRelease(this, "metrics-server", new HelmReleaseProps("metrics-server", "kube-system", "metrics-server", ChartVersions.MetricsServer,
            // The chart's defaultArgs with one change: kubelets are reached on their node IP only (nodes have no
            // external IP or resolvable host name in private subnets).
            new MetricsServerValues(2, new PodDisruptionBudget(true, 1),
                ["--cert-dir=/tmp", "--kubelet-preferred-address-types=InternalIP", "--kubelet-use-node-status-port", "--metric-resolution=15s"]))
        {
            Repository = "https://kubernetes-sigs.github.io/metrics-server/",
            CreateNamespace = false,
        }, helm);

        LoadBalancerController = new HelmRelease(this, "aws-load-balancer-controller", new HelmReleaseProps(
            "aws-load-balancer-controller", "kube-system", "aws-load-balancer-controller", ChartVersions.AwsLoadBalancerController,
            new LoadBalancerControllerValues(props.ClusterName, region, props.VpcId, 2,
                ServiceAccount.WithRole(props.LoadBalancerControllerServiceAccount, props.LoadBalancerControllerRoleArn),
                // Shield/WAF integration needs IAM rights the least-privilege role does not grant.
                EnableShield: false, EnableWaf: false, EnableWafv2: false,
                // The Service mutator (failurePolicy Fail, every Service CREATE, no namespace selector) only
                // serves Services of type LoadBalancer, which nothing here uses; on a first install it rejects
                // the other releases' Services until the controller is up (aws-load-balancer-controller#4140).
                EnableServiceMutatorWebhook: false,
                // Its TargetGroupBinding webhooks fail closed: keep one of the two replicas through drains.
                PodDisruptionBudget: new PodDisruptionBudgetMaxUnavailable(1)))
        {
            Repository = "https://aws.github.io/eks-charts",
            CreateNamespace = false,
        }, helm);

        ClusterAutoscaler = new HelmRelease(this, "cluster-autoscaler", new HelmReleaseProps(
            "cluster-autoscaler", "kube-system", "cluster-autoscaler", ChartVersions.ClusterAutoscaler,
            new ClusterAutoscalerValues("aws", region, new AutoDiscovery(props.ClusterName), new ImageTag(ChartVersions.ClusterAutoscalerImageTag),
                new RbacServiceAccount(ServiceAccount.WithRole(props.ClusterAutoscalerServiceAccount, props.ClusterAutoscalerRoleArn)),
                new Dictionary<string, string>
                {
                    ["balance-similar-node-groups"] = "true", // keep the per-AZ node counts even
                    ["expander"] = "least-waste",
                    ["skip-nodes-with-system-pods"] = "false",
                    // The app's pods (and Velero's, metrics-server's) mount emptyDir scratch space; with the
                    // default (true, autoscaler 1.33 config/flags) no node running them would ever be removed.
                    ["skip-nodes-with-local-storage"] = "false",
                    ["scale-down-unneeded-time"] = "10m",
                },
                ReplicaCount: 2,
                new PodDisruptionBudgetMaxUnavailable(1)))
        {
            Repository = "https://kubernetes.github.io/autoscaler",
            CreateNamespace = false,
        }, helm);

        ExternalSecrets = new HelmRelease(this, "external-secrets", new HelmReleaseProps(
            "external-secrets", "external-secrets", "external-secrets", ChartVersions.ExternalSecrets,
            // The controller needs no AWS role: the app's SecretStore authenticates as the app's own IRSA
            // service account, the only subject the database-secret role trusts.
            // Two controllers elect a leader (two active ones would both write every Secret); the webhook fails
            // closed for ExternalSecrets and SecretStores, so it runs twice with a PDB; the cert-controller
            // keeps the webhook's certificate and elects a leader too (the chart has no value for it).
            new ExternalSecretsValues(InstallCrds: true, ReplicaCount: 2, LeaderElect: true, new PodDisruptionBudget(true, 1),
                Webhook: new ExternalSecretsComponent(2, new PodDisruptionBudget(true, 1)),
                CertController: new ExternalSecretsComponent(2, new PodDisruptionBudget(true, 1))
                {
                    ExtraArgs = new Dictionary<string, string> { ["enable-leader-election"] = "true" },
                }))
        {
            Repository = "https://charts.external-secrets.io",
        }, helm);

        Velero = new HelmRelease(this, "velero", new HelmReleaseProps("velero", "velero", "velero", ChartVersions.Velero,
            new VeleroValues(
                [new VeleroInitContainer("velero-plugin-for-aws", ChartVersions.VeleroAwsPluginImage, "IfNotPresent", [new VolumeMount("/target", "plugins")])],
                new VeleroConfiguration(
                    [new VeleroLocation("default", "aws", new Dictionary<string, string> { ["region"] = region }) { Bucket = props.VeleroBucketName, Default = true }],
                    [new VeleroLocation("default", "aws", new Dictionary<string, string> { ["region"] = region })]),
                new VeleroCredentials(UseSecret: false), // IRSA, no static keys
                new VeleroServiceAccounts(ServiceAccount.WithRole(props.VeleroServiceAccount, props.VeleroRoleArn)),
                new Dictionary<string, VeleroSchedule>
                {
                    ["six-hourly"] = new(false, props.VeleroSchedule, new VeleroBackupTemplate(props.VeleroBackupTtl, ["*"], true, "default")),
                },
                // The CRD-upgrade job needs a kubectl image the chart does not pin; CRDs install with the chart.
                UpgradeCrds: false))
        {
            Repository = "https://vmware-tanzu.github.io/helm-charts",
        }, helm);
    }
}
