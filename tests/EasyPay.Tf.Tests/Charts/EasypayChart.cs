using System.Collections.Concurrent;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Stacks;
using EasyPay.Tf.Tests.Support;
using YamlDotNet.Serialization;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Renders of charts/easypay for the chart tests: release "easypay" in namespace "easypay", with
/// the chart defaults ("default") or the values the platform stack generates for an environment
/// (<see cref="PlatformStack.ApplicationValues"/> over realistic upstream outputs), the same values
/// charts/easypay/ci/&lt;env&gt;-values.yaml holds (a test keeps the files current).</summary>
public static class EasypayChart
{
    public const string Release = "easypay";
    public const string Namespace = "easypay";

    /// <summary>The chart defaults plus every environment's generated values.</summary>
    public static TheoryData<string> Environments => ["default", "dev", "staging", "prod"];

    /// <summary>The renders with a `helm test` pod: production needs application.testImageDigest for one (prod.json has none).</summary>
    public static TheoryData<string> EnvironmentsWithHelmTest => [.. new[] { "default", "dev", "staging", "prod" }.Where(HasHelmTest)];

    /// <summary>Whether <paramref name="environment"/>'s render has the `helm test` pod: the chart default does; an
    /// environment where the platform stack enables it.</summary>
    public static bool HasHelmTest(string environment) => environment == "default" || GeneratedValues(environment).Tests.Enabled;

    /// <summary>The environments only.</summary>
    public static TheoryData<string> CiEnvironments => ["dev", "staging", "prod"];

    public static string ChartDirectory => HelmCli.ChartDirectory();

    public static string CiValuesFile(string environment) => Path.Combine(ChartDirectory, "ci", $"{environment}-values.yaml");

    private static readonly ConcurrentDictionary<string, string> Generated = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, EasypayChartValues> GeneratedRecords = new(StringComparer.Ordinal);

    /// <summary>The values the platform stack gives the chart in <paramref name="environment"/>.</summary>
    public static EasypayChartValues GeneratedValues(string environment) => GeneratedRecords.GetOrAdd(environment, name =>
    {
        var env = TestEnvironments.Repository(name);
        return PlatformStack.ApplicationValues(env, UpstreamOutputs.Account(env), UpstreamOutputs.Network(env), UpstreamOutputs.Cluster(env), UpstreamOutputs.Database(env));
    });

    /// <summary>The values the platform stack gives the chart in <paramref name="environment"/>, as YAML.</summary>
    public static string GeneratedValuesYaml(string environment) => Generated.GetOrAdd(environment, name => HelmValues.ToYaml(GeneratedValues(name)));

    /// <summary>What charts/easypay/ci/&lt;env&gt;-values.yaml must contain: a header and the generated values.</summary>
    public static string CiValuesFileContent(string environment) =>
        $"# {environment}: generated from PlatformStack.ApplicationValues with the upstream outputs of\n" +
        "# tests/EasyPay.Tf.Tests/Stacks/UpstreamOutputs.cs. Do not edit: regenerate with\n" +
        "#   EASYPAY_UPDATE_CI_VALUES=1 npm test -- --filter Ci_values_files_are_the_generated_values\n" +
        GeneratedValuesYaml(environment);

    /// <summary>helm arguments for an environment, plus optional inline values (applied after the
    /// environment's) and --set pairs.</summary>
    public static HelmArgs Args(string environment, string? valuesYaml = null, params string[] set) => new()
    {
        Release = Release,
        Namespace = Namespace,
        ValuesFiles = environment == "default" ? [] : [HelmCli.TempValuesFile(GeneratedValuesYaml(environment))],
        ValuesYaml = valuesYaml,
        Set = set,
    };

    public static ChartRender Render(string environment) => Render(Args(environment));

    public static ChartRender Render(HelmArgs args) => new(HelmCli.RenderManifests(args));

    /// <summary>The values the chart sees for an environment: values.yaml deep-merged with the generated
    /// values (maps merge, scalars and lists replace, as in helm).</summary>
    public static KubeManifest Values(string environment)
    {
        var merged = Load(File.ReadAllText(Path.Combine(ChartDirectory, "values.yaml")));
        if (environment != "default")
        {
            Merge(merged, Load(GeneratedValuesYaml(environment)));
        }
        return new KubeManifest(new System.Collections.ObjectModel.ReadOnlyDictionary<object, object?>(merged), $"values:{environment}");
    }

    private static Dictionary<object, object?> Load(string yaml)
    {
        var parsed = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(yaml);
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
