using EasyPay.Tf.Tests.Support;
using YamlDotNet.Serialization;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Renders of charts/easypay for the chart tests: release "easypay" in namespace "easypay", with
/// the chart defaults ("default") or one of the ci/&lt;env&gt;-values.yaml files the platform stack mirrors.</summary>
public static class EasypayChart
{
    public const string Release = "easypay";
    public const string Namespace = "easypay";

    /// <summary>The chart defaults plus every per-environment values file.</summary>
    public static TheoryData<string> Environments => ["default", "dev", "staging", "prod"];

    /// <summary>The per-environment values files only.</summary>
    public static TheoryData<string> CiEnvironments => ["dev", "staging", "prod"];

    public static string ChartDirectory => HelmCli.ChartDirectory();

    public static string CiValuesFile(string environment) => Path.Combine(ChartDirectory, "ci", $"{environment}-values.yaml");

    /// <summary>helm arguments for an environment, plus optional inline values and --set pairs.</summary>
    public static HelmArgs Args(string environment, string? valuesYaml = null, params string[] set) => new()
    {
        Release = Release,
        Namespace = Namespace,
        ValuesFiles = environment == "default" ? [] : [CiValuesFile(environment)],
        ValuesYaml = valuesYaml,
        Set = set,
    };

    public static ChartRender Render(string environment) => Render(Args(environment));

    public static ChartRender Render(HelmArgs args) => new(HelmCli.RenderManifests(args));

    /// <summary>The values the chart sees for an environment: values.yaml deep-merged with the ci file
    /// (maps merge, scalars and lists replace, as in helm).</summary>
    public static KubeManifest Values(string environment)
    {
        var merged = Load(Path.Combine(ChartDirectory, "values.yaml"));
        if (environment != "default")
        {
            Merge(merged, Load(CiValuesFile(environment)));
        }
        return new KubeManifest(new System.Collections.ObjectModel.ReadOnlyDictionary<object, object?>(merged), $"values:{environment}");
    }

    private static Dictionary<object, object?> Load(string path)
    {
        var parsed = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(File.ReadAllText(path));
        return parsed ?? [];
    }

    private static void Merge(Dictionary<object, object?> target, Dictionary<object, object?> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is Dictionary<object, object?> child && target.TryGetValue(key, out var existing) && existing is Dictionary<object, object?> current)
            {
                Merge(current, child);
            }
            else
            {
                target[key] = value;
            }
        }
    }
}

/// <summary>The manifests of one render, with lookups by kind and name.</summary>
public sealed class ChartRender(IReadOnlyList<KubeManifest> manifests)
{
    public IReadOnlyList<KubeManifest> All { get; } = manifests;

    public IReadOnlyList<KubeManifest> OfKind(string kind) => [.. All.Where(m => m.Kind == kind)];

    public KubeManifest? Find(string kind, string name) => All.SingleOrDefault(m => m.Kind == kind && m.Name == name);

    public KubeManifest Single(string kind, string name)
    {
        var found = Find(kind, name);
        found.ShouldNotBeNull($"no {kind} {name}; rendered {kind}s: {string.Join(", ", OfKind(kind).Select(m => m.Name))}");
        return found;
    }

    /// <summary>The Deployment of a component (frontend, backend).</summary>
    public KubeManifest Deployment(string component) => Single("Deployment", $"{EasypayChart.Release}-{component}");

    /// <summary>The helm test pod.</summary>
    public KubeManifest TestPod => Single("Pod", $"{EasypayChart.Release}-test-backend-health");

    /// <summary>Every pod spec of the release: the Deployments' templates and bare Pods (the helm test).</summary>
    public IReadOnlyList<(KubeManifest Owner, KubeManifest PodSpec)> PodSpecs =>
    [
        .. OfKind("Deployment").Select(d => (d, d.Node("spec.template.spec"))),
        .. OfKind("Pod").Select(p => (p, p.Node("spec"))),
    ];
}
