using System.Security.Cryptography;
using System.Text;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.NamespaceV1;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Props of <see cref="EasypayApplication"/>.</summary>
/// <param name="ChartDirectory">Absolute path of charts/easypay on the synthesizing machine; it is copied
/// into the stack as an asset, so only a relative path reaches the synthesized JSON.</param>
/// <param name="Values">The typed values for this environment.</param>
public sealed record EasypayApplicationProps(string ChartDirectory, EasypayChartValues Values)
{
    public string Namespace { get; init; } = "easypay";
    public string ReleaseName { get; init; } = "easypay";

    /// <summary>Pod Security Admission level the namespace enforces.</summary>
    public string PodSecurityLevel { get; init; } = "restricted";

    /// <summary>How long helm waits for the release to be ready before its atomic upgrade rolls it back. With the
    /// chart's progressDeadlineSeconds (240) below it, a crashing rollout is reported, failed and rolled back within
    /// the README's 5-minute deployment target; a healthy rollout of every replica (maxSurge 25%, one pod at a
    /// time at the minimum) needs about two minutes. @default 270</summary>
    public int TimeoutSeconds { get; init; } = 270;

    /// <summary>Releases installing the CRDs and webhooks the chart uses.</summary>
    public IReadOnlyList<ITerraformDependable> DependsOn { get; init; } = [];
}

/// <summary>The application: its namespace (labelled for Pod Security Admission) and the easypay chart
/// released from this repository. The chart ships inside the stack as an asset (a Terraform Cloud remote
/// run has only the stack directory), and its content hash goes into the release description, so any
/// chart edit is an upgrade on the next deploy, never a silent no-op.</summary>
public sealed class EasypayApplication : Construct
{
    /// <summary>Namespace label that turns on the controller's readiness gate injection.</summary>
    public const string PodReadinessGateLabel = "elbv2.k8s.aws/pod-readiness-gate-inject";

    public HelmRelease Release { get; }

    /// <summary>The namespace, labelled for Pod Security Admission.</summary>
    public TerraformResource Namespace { get; }
    public string ChartHash { get; }
    public string ChartVersion { get; }

    public EasypayApplication(Construct scope, string id, EasypayApplicationProps props, KubernetesProvider kubernetes, HelmProvider helm)
        : base(scope, id)
    {
        var chartYaml = Path.Combine(props.ChartDirectory ?? "", "Chart.yaml");
        new PropsValidator(nameof(EasypayApplicationProps))
            .Check(File.Exists(chartYaml), nameof(props.ChartDirectory), $"'{props.ChartDirectory}' holds no Chart.yaml")
            .Check(props.PodSecurityLevel is "restricted" or "baseline", nameof(props.PodSecurityLevel), "must be restricted or baseline")
            .ThrowIfInvalid();

        ChartVersion = File.ReadLines(chartYaml).Select(l => l.Trim())
            .First(l => l.StartsWith("version:", StringComparison.Ordinal))["version:".Length..].Trim().Trim('"');
        ChartHash = ContentHash(props.ChartDirectory!);
        var chart = new TerraformAsset(this, "chart", new TerraformAssetConfig { Path = props.ChartDirectory!, Type = AssetType.DIRECTORY });

        var ns = new NamespaceV1(this, "namespace", new NamespaceV1Config
        {
            Provider = kubernetes,
            Metadata = new NamespaceV1Metadata
            {
                Name = props.Namespace,
                Labels = new Dictionary<string, string>
                {
                    ["pod-security.kubernetes.io/enforce"] = props.PodSecurityLevel,
                    ["pod-security.kubernetes.io/enforce-version"] = "latest",
                    ["pod-security.kubernetes.io/audit"] = props.PodSecurityLevel,
                    ["pod-security.kubernetes.io/warn"] = props.PodSecurityLevel,
                    // The AWS Load Balancer Controller adds a readiness gate to every new pod behind a
                    // TargetGroupBinding here: a rolling update waits until the ALB reports the new pod
                    // healthy before it removes an old one (docs/deploy/pod_readiness_gate.md, v2.13.4).
                    [PodReadinessGateLabel] = "enabled",
                },
            },
        });

        Namespace = ns;
        Release = new HelmRelease(this, "release", new HelmReleaseProps(props.ReleaseName, props.Namespace, chart.Path, ChartVersion, props.Values)
        {
            CreateNamespace = false,
            Description = $"easypay chart {ChartVersion}, content sha256:{ChartHash}",
            TimeoutSeconds = props.TimeoutSeconds,
            DependsOn = [ns, .. props.DependsOn],
        }, helm);
    }

    /// <summary>sha256 over every file of the chart (relative path and bytes, in ordinal path order):
    /// the same on every clone, different after any edit.</summary>
    public static string ContentHash(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(directory, file)));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
