using YamlDotNet.Serialization;

namespace EasyPay.Tf.Modules.Platform.Addons;

// Typed values of the third-party charts: only the keys this platform sets, named as each chart names them
// (each record is checked against the chart's values.yaml at the version in ChartVersions).
#pragma warning disable CA1812 // instantiated by the add-on constructs and serialized

/// <summary>tigera-operator: Calico enforces NetworkPolicy while the AWS VPC CNI keeps pod networking (the
/// chart renders everything under installation but "enabled" as the Installation's spec).</summary>
public sealed record TigeraOperatorValues(TigeraInstallation Installation, EnabledFlag ApiServer, EnabledFlag Goldmane, EnabledFlag Whisker, TigeraOperatorImage TigeraOperator);
/// <summary><paramref name="Registry"/>: where the operator pulls every Calico image from, REGISTRY + calico/NAME:VERSION
/// (operator v1.38.13 pkg/components/references.go; the Installation CRD asks for a trailing '/').</summary>
public sealed record TigeraInstallation(string KubernetesProvider, TigeraCni Cni, TigeraCalicoNetwork CalicoNetwork, string Registry);
/// <summary>The chart renders REGISTRY/IMAGE:VERSION (templates/_helpers.tpl, tigera-operator.image).</summary>
public sealed record TigeraOperatorImage(string Registry, string Image, string Version);
public sealed record TigeraCni(string Type);
public sealed record TigeraCalicoNetwork(string Bgp);
public sealed record EnabledFlag(bool Enabled);

/// <summary>metrics-server: the chart appends <c>args</c> after <c>defaultArgs</c> without de-duplicating, so a
/// changed default flag is set by replacing <c>defaultArgs</c> whole.</summary>
public sealed record MetricsServerValues(int Replicas, PodDisruptionBudget PodDisruptionBudget, IReadOnlyList<string> DefaultArgs, ImageRef Image);
public sealed record PodDisruptionBudget(bool Enabled, int MinAvailable);

public sealed record LoadBalancerControllerValues(
    string ClusterName, string Region, string VpcId, int ReplicaCount, ServiceAccount ServiceAccount,
    bool EnableShield, bool EnableWaf, bool EnableWafv2, bool EnableServiceMutatorWebhook,
    PodDisruptionBudgetMaxUnavailable PodDisruptionBudget, ImageRef Image);

public sealed record ServiceAccount(bool Create, string Name, IReadOnlyDictionary<string, string> Annotations)
{
    public static ServiceAccount WithRole(string name, string roleArn) =>
        new(true, name, new Dictionary<string, string> { [EasyPay.Tf.Modules.Cluster.KubernetesServiceAccount.RoleArnAnnotation] = roleArn });
}

public sealed record ClusterAutoscalerValues(
    string CloudProvider, string AwsRegion, AutoDiscovery AutoDiscovery, ImageRef Image, RbacServiceAccount Rbac,
    IReadOnlyDictionary<string, string> ExtraArgs, int ReplicaCount, PodDisruptionBudgetMaxUnavailable PodDisruptionBudget);
public sealed record AutoDiscovery(string ClusterName);
/// <summary>image.repository and image.tag, which metrics-server 3.12.2, aws-load-balancer-controller 1.13.4,
/// cluster-autoscaler 9.59.0, external-secrets 0.19.2 and velero 10.0.10 all render as REPOSITORY:TAG.</summary>
public sealed record ImageRef(string Repository, string Tag)
{
    public static ImageRef Of(EasyPay.Tf.Modules.Registry.MirroredImage image, string registryHost) => new(image.RepositoryIn(registryHost), image.Tag);
}
public sealed record RbacServiceAccount(ServiceAccount ServiceAccount);
public sealed record PodDisruptionBudgetMaxUnavailable(int MaxUnavailable);

public sealed record ExternalSecretsValues(
    [property: YamlMember(Alias = "installCRDs")] bool InstallCrds, int ReplicaCount, bool LeaderElect, PodDisruptionBudget PodDisruptionBudget,
    string ScopedNamespace, [property: YamlMember(Alias = "scopedRBAC")] bool ScopedRbac,
    bool ProcessClusterStore, bool ProcessClusterExternalSecret, bool ProcessClusterPushSecret, bool ProcessPushSecret,
    ExternalSecretsRbac Rbac, ServiceAccount ServiceAccount, IReadOnlyDictionary<string, string> PodAnnotations, ExternalSecretsComponent Webhook, ExternalSecretsComponent CertController, ImageRef Image);

public sealed record ExternalSecretsRbac(bool AggregateToView, bool AggregateToEdit, [property: YamlMember(Alias = "servicebindings")] EnabledCreate ServiceBindings);
public sealed record EnabledCreate(bool Create);

/// <summary>The webhook's and cert-controller's replicas and PDB; <c>extraArgs</c> render as --KEY=VALUE.</summary>
public sealed record ExternalSecretsComponent(int ReplicaCount, PodDisruptionBudget PodDisruptionBudget, ImageRef Image)
{
    public IReadOnlyDictionary<string, string>? ExtraArgs { get; init; }
}

public sealed record VeleroValues(
    IReadOnlyList<VeleroInitContainer> InitContainers, VeleroConfiguration Configuration, VeleroCredentials Credentials,
    VeleroServiceAccounts ServiceAccount, IReadOnlyDictionary<string, VeleroSchedule> Schedules,
    [property: YamlMember(Alias = "upgradeCRDs")] bool UpgradeCrds,
    VeleroChartRbac Rbac, IReadOnlyList<object> ExtraObjects,
    VeleroPodSecurityContext PodSecurityContext, ContainerSecurityContext ContainerSecurityContext, ImageRef Image);
public sealed record VeleroInitContainer(string Name, string Image, string ImagePullPolicy, IReadOnlyList<VolumeMount> VolumeMounts, ContainerSecurityContext SecurityContext);
public sealed record VeleroChartRbac(bool Create, bool ClusterAdministrator, string ClusterAdministratorName);
public sealed record VeleroPodSecurityContext(bool RunAsNonRoot, long RunAsUser, long RunAsGroup, long FsGroup, SeccompProfile SeccompProfile);
public sealed record ContainerSecurityContext(bool AllowPrivilegeEscalation, Capabilities Capabilities, SeccompProfile SeccompProfile);
public sealed record Capabilities(IReadOnlyList<string> Drop);
public sealed record SeccompProfile(string Type);

/// <summary>What the restricted Pod Security Standard asks of a pod and its containers.</summary>
public static class RestrictedSecurity
{
    /// <summary>A non-root UID (the nonroot user of distroless images).</summary>
    public const long Uid = 65532;
    public static readonly SeccompProfile RuntimeDefault = new("RuntimeDefault");
    public static readonly ContainerSecurityContext Container = new(false, new Capabilities(["ALL"]), RuntimeDefault);
}
public sealed record VolumeMount(string MountPath, string Name);
public sealed record VeleroConfiguration(IReadOnlyList<VeleroLocation> BackupStorageLocation, IReadOnlyList<VeleroLocation> VolumeSnapshotLocation);
public sealed record VeleroLocation(string Name, string Provider, IReadOnlyDictionary<string, string> Config)
{
    public string? Bucket { get; init; }
    public bool? Default { get; init; }
}
public sealed record VeleroCredentials(bool UseSecret);
public sealed record VeleroServiceAccounts(ServiceAccount Server);
public sealed record VeleroSchedule(bool Disabled, string Schedule, VeleroBackupTemplate Template);
public sealed record VeleroBackupTemplate(string Ttl, IReadOnlyList<string> IncludedNamespaces, IReadOnlyList<string> ExcludedResources, bool SnapshotVolumes, string StorageLocation);
#pragma warning restore CA1812
