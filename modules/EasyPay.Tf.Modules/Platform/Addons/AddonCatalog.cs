using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Registry;

namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>What the cluster stack knows that an add-on's IAM policy is scoped to.</summary>
/// <param name="TargetGroupArns">The ALB target groups pods are registered in.</param>
/// <param name="NodeSecurityGroupId">The nodes' (and so the pods') security group.</param>
/// <param name="VeleroBucketArn">Velero's backup bucket.</param>
/// <param name="VeleroKeyArn">The key that encrypts Velero's bucket.</param>
/// <param name="ApplicationSecretsPrefix">Name prefix of the application's own Secrets Manager secrets, e.g.
/// "easypay-prod/app/": what External Secrets may read.</param>
public sealed record AddonIamInputs(
    AwsEnvironment Aws,
    string ClusterName,
    IReadOnlyList<string> TargetGroupArns,
    string NodeSecurityGroupId,
    string VeleroBucketArn,
    string VeleroKeyArn,
    string ApplicationSecretsPrefix);

/// <summary>What an add-on's chart values are built from.</summary>
/// <param name="Platform">The platform's inputs (cluster, VPC, Velero settings).</param>
/// <param name="Region">The stack's region.</param>
/// <param name="ServiceAccountName">The add-on's <see cref="HelmAddon.ServiceAccountName"/>.</param>
/// <param name="RoleArn">The add-on's IRSA role; null for an add-on without <see cref="HelmAddon.IamPolicy"/>.</param>
/// <param name="ImageRegistry">The account's registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com), whose pull-through cache
/// serves <see cref="HelmAddon.Images"/>.</param>
public sealed record AddonValuesInputs(PlatformAddonsProps Platform, string Region, string? ServiceAccountName, string? RoleArn, string ImageRegistry)
{
    /// <summary>image.repository and image.tag of <paramref name="image"/> in the account's registry.</summary>
    public ImageRef Image(MirroredImage image) => ImageRef.Of(image, ImageRegistry);
}

/// <summary>A cluster add-on installed with helm, declared as data (EKS Blueprints' add-on defaultProps): the
/// platform stack builds its release from this record and the cluster stack its IRSA role, so chart, version,
/// namespace and service account are written once.</summary>
public sealed record HelmAddon
{
    /// <summary>Release name; also the IRSA role's name suffix (easypay-ENV-NAME).</summary>
    public required string Name { get; init; }

    public required string Chart { get; init; }
    public required string Repository { get; init; }

    /// <summary>Exact chart version (<see cref="ChartVersions"/>).</summary>
    public required string Version { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The Pod Security Standard (privileged, baseline, restricted) the add-on's own namespace enforces, audits
    /// and warns at: the platform creates that namespace with these labels before the release (helm creates none).
    /// Null for a namespace that always exists (kube-system). @default null</summary>
    public string? PodSecurityLevel { get; init; }

    /// <summary>The service account the chart creates for the component that calls AWS: the only subject its
    /// IRSA role trusts. @default null (no AWS identity)</summary>
    public string? ServiceAccountName { get; init; }

    /// <summary>Least-privilege permissions of the IRSA role (<see cref="AddonPolicies"/>); null = the add-on
    /// needs no AWS access and gets no role. @default null</summary>
    public Func<AddonIamInputs, IReadOnlyList<PolicyStatement>>? IamPolicy { get; init; }

    /// <summary>Every image the release runs with <see cref="Values"/> (<see cref="AddonImages"/>), all of which the
    /// values point at the account's pull-through cache.</summary>
    public required IReadOnlyList<MirroredImage> Images { get; init; }

    /// <summary>The chart values, typed (<c>ChartValues.cs</c>).</summary>
    public required Func<AddonValuesInputs, object> Values { get; init; }

    /// <summary>An aggregated API the chart's operator registers after helm considers the release ready (helm's
    /// wait ignores it): a Job waits until it is served before anything that uses it. @default null</summary>
    public string? AggregatedApi { get; init; }

    /// <summary>The application chart creates objects this add-on serves or admits (CRDs, webhooks, APIs):
    /// the application release waits for it. @default false</summary>
    public bool ApplicationPrerequisite { get; init; }

    /// <summary>Construct id of the release when it differs from <see cref="Name"/>: keeps the Terraform address
    /// an earlier release gave it. @default <see cref="Name"/></summary>
    public string? ConstructId { get; init; }

    public string Id => ConstructId ?? Name;

    /// <summary>The IRSA subject; null without <see cref="ServiceAccountName"/>.</summary>
    public KubernetesServiceAccount? ServiceAccount => ServiceAccountName is null ? null : new(Namespace, ServiceAccountName);
}

/// <summary>The helm add-ons of the platform, in install order. Adding an add-on means adding a record here
/// (and, if it calls AWS, an output of its role in the cluster stack).</summary>
public static class HelmAddons
{
    /// <summary>Calico's tigera-operator: NetworkPolicy enforcement beside the AWS VPC CNI, and the API server
    /// for projectcalico.org/v3 that the app chart's policy uses.</summary>
    public static readonly HelmAddon Calico = new()
    {
        Name = "tigera-operator",
        ConstructId = "calico",
        Chart = "tigera-operator",
        Repository = "https://docs.tigera.io/calico/charts",
        Version = ChartVersions.TigeraOperator,
        Namespace = "tigera-operator",
        // The operator runs with hostNetwork (tigera-operator chart v3.30.7, 02-tigera-operator.yaml), which baseline
        // forbids; the calico-system and calico-apiserver namespaces are the operator's own, labelled by it.
        PodSecurityLevel = "privileged",
        // As Calico's EKS guide installs it: the VPC CNI keeps networking, no BGP. Goldmane and Whisker
        // (flow aggregation and its UI, on by default since 3.30) stay off: nothing here reads them.
        Images = [AddonImages.TigeraOperator, .. AddonImages.CalicoOperands],
        Values = i => new TigeraOperatorValues(
            new TigeraInstallation("EKS", new TigeraCni("AmazonVPC"), new TigeraCalicoNetwork("Disabled"), $"{AddonImages.CalicoOperands[0].Registry.MirrorIn(i.ImageRegistry)}/"),
            ApiServer: new EnabledFlag(true), Goldmane: new EnabledFlag(false), Whisker: new EnabledFlag(false),
            new TigeraOperatorImage(AddonImages.TigeraOperator.Registry.MirrorIn(i.ImageRegistry), AddonImages.TigeraOperator.Repository, AddonImages.TigeraOperator.Tag)),
        // The operator registers the APIService v3.projectcalico.org only after it has rolled out
        // calico-apiserver, long after helm considers the release ready.
        AggregatedApi = "projectcalico.org/v3",
        ApplicationPrerequisite = true,
    };

    /// <summary>metrics-server: the resource metrics the HPAs scale on.</summary>
    public static readonly HelmAddon MetricsServer = new()
    {
        Name = "metrics-server",
        Chart = "metrics-server",
        Repository = "https://kubernetes-sigs.github.io/metrics-server/",
        Version = ChartVersions.MetricsServer,
        Namespace = "kube-system",
        // The chart's defaultArgs with one change: kubelets are reached on their node IP only (nodes have no
        // external IP or resolvable host name in private subnets).
        Images = [AddonImages.MetricsServer],
        Values = i => new MetricsServerValues(2, new PodDisruptionBudget(true, 1),
            ["--cert-dir=/tmp", "--kubelet-preferred-address-types=InternalIP", "--kubelet-use-node-status-port", "--metric-resolution=15s"],
            i.Image(AddonImages.MetricsServer)),
        ApplicationPrerequisite = true,
    };

    /// <summary>AWS Load Balancer Controller in TargetGroupBinding mode: registers the app's pods in the ALB's
    /// target groups the cluster stack owns.</summary>
    public static readonly HelmAddon LoadBalancerController = new()
    {
        Name = "aws-load-balancer-controller",
        Chart = "aws-load-balancer-controller",
        Repository = "https://aws.github.io/eks-charts",
        Version = ChartVersions.AwsLoadBalancerController,
        Namespace = "kube-system",
        ServiceAccountName = "aws-load-balancer-controller",
        IamPolicy = i => AddonPolicies.LoadBalancerController(i.TargetGroupArns, i.NodeSecurityGroupId, i.Aws),
        Images = [AddonImages.LoadBalancerController],
        Values = i => new LoadBalancerControllerValues(i.Platform.ClusterName, i.Region, i.Platform.VpcId, 2,
            ServiceAccount.WithRole(i.ServiceAccountName!, i.RoleArn!),
            // Shield/WAF integration needs IAM rights the least-privilege role does not grant.
            EnableShield: false, EnableWaf: false, EnableWafv2: false,
            // The Service mutator (failurePolicy Fail, every Service CREATE, no namespace selector) only
            // serves Services of type LoadBalancer, which nothing here uses; on a first install it rejects
            // the other releases' Services until the controller is up (aws-load-balancer-controller#4140).
            EnableServiceMutatorWebhook: false,
            // Its TargetGroupBinding webhooks fail closed: keep one of the two replicas through drains.
            PodDisruptionBudget: new PodDisruptionBudgetMaxUnavailable(1),
            Image: i.Image(AddonImages.LoadBalancerController)),
        ApplicationPrerequisite = true,
    };

    /// <summary>cluster-autoscaler with auto-discovery of the per-AZ node groups.</summary>
    public static readonly HelmAddon ClusterAutoscaler = new()
    {
        Name = "cluster-autoscaler",
        Chart = "cluster-autoscaler",
        Repository = "https://kubernetes.github.io/autoscaler",
        Version = ChartVersions.ClusterAutoscaler,
        Namespace = "kube-system",
        ServiceAccountName = "cluster-autoscaler",
        IamPolicy = i => AddonPolicies.ClusterAutoscaler(i.ClusterName, i.Aws),
        Images = [AddonImages.ClusterAutoscaler],
        Values = i => new ClusterAutoscalerValues("aws", i.Region, new AutoDiscovery(i.Platform.ClusterName), i.Image(AddonImages.ClusterAutoscaler),
            new RbacServiceAccount(ServiceAccount.WithRole(i.ServiceAccountName!, i.RoleArn!)),
            new Dictionary<string, string>
            {
                ["balance-similar-node-groups"] = "true", // keep the per-AZ node counts even
                ["expander"] = "least-waste",
                ["skip-nodes-with-system-pods"] = "false",
                // The app's pods (and Velero's, metrics-server's) mount emptyDir scratch space; with the
                // default (true, autoscaler 1.35 config/flags) no node running them would ever be removed.
                ["skip-nodes-with-local-storage"] = "false",
                ["scale-down-unneeded-time"] = "10m",
            },
            ReplicaCount: 2,
            new PodDisruptionBudgetMaxUnavailable(1)),
    };

    /// <summary>External Secrets: syncs the application's own secrets (under <see cref="AddonIamInputs.ApplicationSecretsPrefix"/>)
    /// into the app namespace through the app chart's ClusterSecretStore, as its controller's IRSA identity.</summary>
    public static readonly HelmAddon ExternalSecrets = new()
    {
        Name = "external-secrets",
        Chart = "external-secrets",
        Repository = "https://charts.external-secrets.io",
        Version = ChartVersions.ExternalSecrets,
        Namespace = "external-secrets",
        // Controller, webhook and cert-controller run non-root, read-only, without capabilities, RuntimeDefault
        // seccomp (securityContext defaults of chart 0.19.2's values.yaml).
        PodSecurityLevel = "restricted",
        // The identity lives with the controller in its own namespace, where developers create no pods (they may
        // in the app namespace, and so could run a pod as any service account there). The chart names this
        // account in values.yaml (serviceAccount.name, v0.19.2).
        ServiceAccountName = "external-secrets",
        IamPolicy = i => AddonPolicies.ExternalSecrets(i.ApplicationSecretsPrefix, i.Aws),
        Images = [AddonImages.ExternalSecrets],
        // Two controllers elect a leader (two active ones would both write every Secret); the webhook fails
        // closed for ExternalSecrets and SecretStores, so it runs twice with a PDB; the cert-controller
        // keeps the webhook's certificate and elects a leader too (the chart has no value for it).
        Values = i => new ExternalSecretsValues(InstallCrds: true, ReplicaCount: 2, LeaderElect: true, new PodDisruptionBudget(true, 1),
            // Chart 0.19.2: scopedNamespace + scopedRBAC turn the controller's ClusterRole (CRUD on every Secret,
            // serviceaccounts/token in every namespace) into a Role in the app namespace, pass --namespace, and
            // disable the cluster store, ClusterExternalSecret and ClusterPushSecret reconcilers; PushSecrets are
            // unused too. No aggregation into view/edit: whoever may edit a namespace would otherwise write
            // ExternalSecrets that read anything the store can; the servicebindings ClusterRole is unused.
            ScopedNamespace: i.Platform.ApplicationNamespace, ScopedRbac: true,
            ProcessClusterStore: false, ProcessClusterExternalSecret: false, ProcessClusterPushSecret: false, ProcessPushSecret: false,
            new ExternalSecretsRbac(AggregateToView: false, AggregateToEdit: false, new EnabledCreate(false)),
            ServiceAccount.WithRole(i.ServiceAccountName!, i.RoleArn!),
            // EKS injects IRSA credentials when a pod starts: naming the role in the pod template rolls the controller
            // whenever the role changes, including the upgrade that first gives its account one.
            new Dictionary<string, string> { ["easypay.example/irsa-role"] = i.RoleArn! },
            Webhook: new ExternalSecretsComponent(2, new PodDisruptionBudget(true, 1), i.Image(AddonImages.ExternalSecrets)),
            CertController: new ExternalSecretsComponent(2, new PodDisruptionBudget(true, 1), i.Image(AddonImages.ExternalSecrets))
            {
                ExtraArgs = new Dictionary<string, string> { ["enable-leader-election"] = "true" },
            },
            Image: i.Image(AddonImages.ExternalSecrets)),
        ApplicationPrerequisite = true,
    };

    /// <summary>Velero: 6-hourly backups of the cluster's objects and volumes to its own bucket.</summary>
    public static readonly HelmAddon Velero = new()
    {
        Name = "velero",
        Chart = "velero",
        Repository = "https://vmware-tanzu.github.io/helm-charts",
        Version = ChartVersions.Velero,
        Namespace = "velero",
        // No node agent (deployNodeAgent false, the chart default): the server pod alone, with the security contexts below.
        PodSecurityLevel = "restricted",
        ServiceAccountName = "velero-server",
        IamPolicy = i => AddonPolicies.Velero(i.VeleroBucketArn, i.VeleroKeyArn, i.Aws),
        Images = [AddonImages.Velero, AddonImages.VeleroAwsPlugin],
        Values = i => new VeleroValues(
            [new VeleroInitContainer("velero-plugin-for-aws", AddonImages.VeleroAwsPlugin.ReferenceIn(i.ImageRegistry), "IfNotPresent", [new VolumeMount("/target", "plugins")], RestrictedSecurity.Container)],
            new VeleroConfiguration(
                [new VeleroLocation("default", "aws", new Dictionary<string, string> { ["region"] = i.Region }) { Bucket = i.Platform.VeleroBucketName, Default = true }],
                [new VeleroLocation("default", "aws", new Dictionary<string, string> { ["region"] = i.Region })]),
            new VeleroCredentials(UseSecret: false), // IRSA, no static keys
            new VeleroServiceAccounts(ServiceAccount.WithRole(i.ServiceAccountName!, i.RoleArn!)),
            new Dictionary<string, VeleroSchedule>
            {
                // Secrets stay out of the bucket: External Secrets re-creates the app's from Secrets Manager, the
                // charts re-create the rest (webhook certificates, service account tokens).
                ["six-hourly"] = new(false, i.Platform.VeleroSchedule, new VeleroBackupTemplate(i.Platform.VeleroBackupTtl, ["*"], ["secrets"], true, "default")),
            },
            // The CRD-upgrade job needs a kubectl image the chart does not pin; CRDs install with the chart.
            UpgradeCrds: false,
            // Chart 10.0.10 binds the server to rbac.clusterAdministratorName (default cluster-admin) when
            // rbac.clusterAdministrator: bound instead to VeleroRbac.BackupClusterRole, read-only and without
            // Secrets, which the chart renders through extraObjects. A restore writes: break-glass binds
            // cluster-admin for its duration (docs/disaster-recovery.md).
            new VeleroChartRbac(Create: true, ClusterAdministrator: true, ClusterAdministratorName: VeleroRbac.BackupClusterRoleName),
            [VeleroRbac.BackupClusterRole],
            // Restricted: non-root (the images' own users are cnb and 65532; any non-root UID can run them),
            // no privilege escalation, no capabilities, RuntimeDefault seccomp.
            new VeleroPodSecurityContext(true, RestrictedSecurity.Uid, RestrictedSecurity.Uid, RestrictedSecurity.Uid, RestrictedSecurity.RuntimeDefault),
            RestrictedSecurity.Container,
            i.Image(AddonImages.Velero)),
    };

    /// <summary>Every helm add-on, in install order.</summary>
    public static readonly IReadOnlyList<HelmAddon> All = [Calico, MetricsServer, LoadBalancerController, ClusterAutoscaler, ExternalSecrets, Velero];

    /// <summary>Every image the add-ons and their API waits run: what the account's pull-through cache must serve.</summary>
    public static IReadOnlyList<MirroredImage> Images { get; } = [.. All.SelectMany(a => a.Images), AddonImages.Curl];

    /// <summary>The add-ons that call AWS and so get an IRSA role.</summary>
    public static IEnumerable<HelmAddon> WithIamRole => All.Where(a => a.IamPolicy is not null);
}
