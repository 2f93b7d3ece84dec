using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Helm.Release;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Props of <see cref="HelmRelease"/>.</summary>
/// <param name="Name">Release name.</param>
/// <param name="Namespace">Target namespace.</param>
/// <param name="Chart">Chart name in <see cref="Repository"/>, or a local chart path.</param>
/// <param name="Version">Exact chart version: ranges are rejected, upgrades are reviewed changes.</param>
/// <param name="Values">Typed values object, serialized with <see cref="HelmValues"/>.</param>
public sealed record HelmReleaseProps(string Name, string Namespace, string Chart, string Version, object Values)
{
    /// <summary>Chart repository URL; null for a local chart.</summary>
    public string? Repository { get; init; }

    public bool CreateNamespace { get; init; } = true;

    /// <summary>Seconds helm waits for resources to become ready (kept under the 15-minute EKS token life).</summary>
    public int TimeoutSeconds { get; init; } = 600;

    /// <summary>Releases (or other resources) that must exist first, e.g. the ones installing CRDs this chart uses.</summary>
    public IReadOnlyList<ITerraformDependable> DependsOn { get; init; } = [];

    /// <summary>Shown in the release history; a change forces an upgrade.</summary>
    public string? Description { get; init; }
}

/// <summary>A helm_release with the safe defaults every release of the platform uses: a pinned version,
/// atomic install/upgrade (rolled back on failure), wait for readiness, cleanup on failure, bounded history,
/// and values from typed objects rather than string templates.</summary>
public sealed partial class HelmRelease : Construct
{
    public Release Release { get; }
    public string Name { get; }
    public string Namespace { get; }
    public string ValuesYaml { get; }

    public HelmRelease(Construct scope, string id, HelmReleaseProps props, HelmProvider provider) : base(scope, id)
    {
        new PropsValidator(nameof(HelmReleaseProps))
            .Check(ReleaseName().IsMatch(props.Name ?? ""), nameof(props.Name), $"'{props.Name}' is not a valid release name (lower case, digits, '-', at most 53 characters)")
            .CheckNotEmpty(props.Namespace, nameof(props.Namespace))
            .CheckNotEmpty(props.Chart, nameof(props.Chart))
            .Check(ExactVersion().IsMatch(props.Version ?? ""), nameof(props.Version), $"'{props.Version}' is not an exact chart version such as 1.2.3 or v3.29.3: pin it")
            .Check(props.TimeoutSeconds is > 0 and <= 840, nameof(props.TimeoutSeconds), "must be 1-840 s: the EKS token used by the provider expires after 15 minutes")
            .ThrowIfInvalid();
        ValuesYaml = HelmValues.ToYaml(props.Values);
        Release = new Release(this, "release", new ReleaseConfig
        {
            Provider = provider,
            Name = props.Name!,
            Namespace = props.Namespace,
            Chart = props.Chart,
            Repository = props.Repository,
            Version = props.Version,
            Values = [ValuesYaml],
            CreateNamespace = props.CreateNamespace,
            Atomic = true,
            CleanupOnFail = true,
            Wait = true,
            WaitForJobs = true,
            Timeout = props.TimeoutSeconds,
            MaxHistory = 10,
            Description = props.Description,
            DependsOn = props.DependsOn.Count > 0 ? [.. props.DependsOn] : null,
        });
        Name = props.Name!;
        Namespace = props.Namespace!;
    }

    /// <summary>Also wait for <paramref name="resources"/>: for what is built after this release's construct (the
    /// External Secrets release waits for the application namespace its scoped Role goes into).</summary>
    public void WaitFor(IEnumerable<TerraformResource> resources) =>
        // depends_on takes addresses (type.logical_id); Fqn would render as an interpolation.
        Release.DependsOn = [.. Release.DependsOn ?? [], .. resources.Select(r => $"{r.TerraformResourceType}.{r.FriendlyUniqueId}")];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$")]
    private static partial Regex ReleaseName();

    [GeneratedRegex("^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex ExactVersion();
}
