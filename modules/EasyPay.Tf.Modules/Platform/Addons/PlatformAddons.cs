using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Props of <see cref="PlatformAddons"/>: what the add-ons need from the cluster and network.</summary>
/// <param name="RoleArns">The IRSA role of every add-on with an <see cref="HelmAddon.IamPolicy"/>, by add-on name.</param>
/// <param name="VeleroBucketName">Velero's backup bucket.</param>
/// <param name="ImageRegistry">The account's registry, ACCOUNT.dkr.ecr.REGION.amazonaws.com: its pull-through cache serves
/// every add-on image (<see cref="HelmAddon.Images"/>).</param>
public sealed record PlatformAddonsProps(
    string ClusterName,
    string VpcId,
    IReadOnlyDictionary<string, string> RoleArns,
    string VeleroBucketName,
    string ImageRegistry)
{
    /// <summary>The add-ons to install, in order. @default <see cref="HelmAddons.All"/></summary>
    public IReadOnlyList<HelmAddon> Addons { get; init; } = HelmAddons.All;

    /// <summary>Velero backup schedule: every 6 hours (replaces the old design's 6-hourly etcd snapshots).
    /// @default "0 */6 * * *"</summary>
    public string VeleroSchedule { get; init; } = "0 */6 * * *";

    /// <summary>The application's namespace: the only one External Secrets reconciles. @default "easypay"</summary>
    public string ApplicationNamespace { get; init; } = "easypay";

    /// <summary>Upgrade: the add-on namespaces exist (helm created them in an earlier release) and are imported into
    /// state rather than created. @default false</summary>
    public bool AdoptNamespaces { get; init; }

    /// <summary>How long Velero keeps a backup. @default "168h0m0s"</summary>
    public string VeleroBackupTtl { get; init; } = "168h0m0s";

    /// <summary>Seconds helm waits for each add-on's resources. @default 600</summary>
    public int ReleaseTimeoutSeconds { get; init; } = 600;

    /// <summary>Seconds an aggregated API may take to be served after its release (the wait Job's deadline).
    /// @default 300</summary>
    public int ApiTimeoutSeconds { get; init; } = 300;
}

/// <summary>The cluster add-ons the application relies on (<see cref="HelmAddons"/>), each a pinned helm release
/// with typed values built from its record, plus a wait for every aggregated API an add-on registers late.</summary>
public sealed class PlatformAddons : Construct
{
    private readonly Dictionary<string, HelmRelease> _releases = [];

    /// <summary>Each add-on's release, by add-on name.</summary>
    public IReadOnlyDictionary<string, HelmRelease> Releases => _releases;

    /// <summary>What an application release must wait for: every add-on marked
    /// <see cref="HelmAddon.ApplicationPrerequisite"/> and the availability of the APIs they register —
    /// projectcalico.org/v3 (Calico API server), metrics.k8s.io (HPAs), TargetGroupBinding webhooks and CRD,
    /// ExternalSecret/SecretStore webhooks and CRDs.</summary>
    public IReadOnlyList<ITerraformDependable> ApplicationPrerequisites { get; }

    public PlatformAddons(Construct scope, string id, PlatformAddonsProps props, HelmProvider helm, KubernetesProvider kubernetes) : base(scope, id)
    {
        Validate(props);
        var region = AwsEnvironment.Of(this).Region;
        var prerequisites = new List<ITerraformDependable>();
        foreach (var addon in props.Addons)
        {
            var roleArn = addon.IamPolicy is null ? null : props.RoleArns[addon.Name];
            // The namespace comes first with its Pod Security labels, so the release's first pod is already checked.
            List<ITerraformDependable> after = addon.PodSecurityLevel is { } level
                ? [new AddonNamespace(this, $"{addon.Id}-namespace", new AddonNamespaceProps(addon.Namespace, level) { Adopt = props.AdoptNamespaces }, kubernetes).Resource]
                : [];
            var release = new HelmRelease(this, addon.Id, new HelmReleaseProps(addon.Name, addon.Namespace, addon.Chart, addon.Version,
                addon.Values(new AddonValuesInputs(props, region, addon.ServiceAccountName, roleArn, props.ImageRegistry)))
            {
                Repository = addon.Repository,
                CreateNamespace = false,
                TimeoutSeconds = props.ReleaseTimeoutSeconds,
                DependsOn = after,
            }, helm);
            _releases[addon.Name] = release;
            ITerraformDependable? api = addon.AggregatedApi is { } groupVersion
                ? new ApiAvailability(this, $"{addon.Id}-api", new ApiAvailabilityProps(
                    $"{addon.Id}-api-available-{addon.Version.Replace('.', '-')}", groupVersion, AddonImages.Curl.ReferenceIn(props.ImageRegistry))
                {
                    DependsOn = [release.Release],
                    TimeoutSeconds = props.ApiTimeoutSeconds,
                }, kubernetes).Resource
                : null;
            if (addon.ApplicationPrerequisite)
            {
                prerequisites.Add(release.Release);
                if (api is not null)
                {
                    prerequisites.Add(api);
                }
            }
        }
        ApplicationPrerequisites = prerequisites;
    }

    /// <summary>The release of <paramref name="addon"/>.</summary>
    public HelmRelease Release(HelmAddon addon) => _releases[addon.Name];

    private static void Validate(PlatformAddonsProps props)
    {
        var v = new PropsValidator(nameof(PlatformAddonsProps))
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .CheckNotEmpty(props.VeleroBucketName, nameof(props.VeleroBucketName))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.ImageRegistry ?? "", @"^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$"), nameof(props.ImageRegistry),
                $"'{props.ImageRegistry}' is not an ECR registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com)");
        var addons = props.Addons ?? [];
        foreach (var dup in addons.GroupBy(a => a.Name).Where(g => g.Count() > 1))
        {
            v.Check(false, nameof(props.Addons), $"add-on '{dup.Key}' is listed twice");
        }
        foreach (var addon in addons.Where(a => a.IamPolicy is not null))
        {
            v.Check(props.RoleArns.TryGetValue(addon.Name, out var arn) && !string.IsNullOrWhiteSpace(arn), nameof(props.RoleArns),
                $"no role for add-on '{addon.Name}': it declares an IAM policy, so the cluster stack creates its IRSA role; pass that role's ARN");
            v.Check(addon.ServiceAccountName is not null, nameof(props.Addons),
                $"add-on '{addon.Name}' declares an IAM policy but no ServiceAccountName for its IRSA role to trust");
        }
        foreach (var name in props.RoleArns.Keys.Where(k => !addons.Any(a => a.Name == k && a.IamPolicy is not null)))
        {
            v.Check(false, nameof(props.RoleArns), $"'{name}' is not an add-on with an IAM policy; remove it");
        }
        v.ThrowIfInvalid();
    }
}
