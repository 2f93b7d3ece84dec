using YamlDotNet.Serialization;

namespace EasyPay.Tf.Report.Facts;

/// <summary>What one component (frontend, backend) of the easypay chart really runs with: the chart's
/// values.yaml overlaid with the values the platform stack passes to the release.</summary>
public sealed record ComponentFacts(
    string Name,
    int MinReplicas,
    int MaxReplicas,
    bool Autoscaling,
    double CpuRequestCores,
    double MemoryRequestGiB,
    int? PdbMinAvailable,
    int LivenessPeriodSeconds,
    int LivenessFailureThreshold,
    int ReadinessPeriodSeconds,
    int ReadinessFailureThreshold,
    int? ZoneMinDomains,
    string ZoneWhenUnsatisfiable,
    int ZoneMaxSkew,
    string ZoneNodeTaintsPolicy)
{
    /// <summary>Whether a lost zone still counts in the zone spread (with zero pods) and so caps the others:
    /// minDomains counts it as missing; with nodeTaintsPolicy Ignore its NotReady nodes keep it counted; with
    /// Honor and no minDomains its nodes' node.kubernetes.io/unreachable:NoSchedule taint drops it.</summary>
    public bool LostZoneCapsSpread => ZoneWhenUnsatisfiable == "DoNotSchedule" && (ZoneMinDomains is > 0 || ZoneNodeTaintsPolicy != "Honor");
}

/// <summary>The chart values the environment's release gets, merged and read.</summary>
/// <param name="DatabasePasswordInPods">The release still hands the backend a database password (the chart's old
/// database.credentials modes): the pods read it once, so a rotation breaks their new connections.</param>
public sealed record ChartFacts(IReadOnlyList<ComponentFacts> Components, bool DatabasePasswordInPods)
{
    public static ChartFacts From(string chartValuesYaml, string releaseValuesYaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var defaults = deserializer.Deserialize<Dictionary<object, object?>>(chartValuesYaml) ?? [];
        var release = deserializer.Deserialize<Dictionary<object, object?>>(releaseValuesYaml) ?? [];
        var values = Merge(defaults, release);
        ComponentFacts Component(string name)
        {
            var c = Map(values, name);
            var autoscaling = Map(c, "autoscaling");
            var requests = Map(Map(c, "resources"), "requests");
            var probes = Map(c, "probes");
            var zone = Map(Map(c, "topologySpread"), "zone");
            var hpa = Bool(autoscaling, "enabled", true);
            var min = hpa ? Int(autoscaling, "minReplicas") : Int(c, "replicas");
            return new ComponentFacts(name,
                min,
                hpa ? Int(autoscaling, "maxReplicas") : min,
                hpa,
                Cpu(Str(requests, "cpu")),
                Memory(Str(requests, "memory")),
                IntOrNull(Map(c, "pdb"), "minAvailable"),
                Int(Map(probes, "liveness"), "periodSeconds", 10),
                Int(Map(probes, "liveness"), "failureThreshold", 3),
                Int(Map(probes, "readiness"), "periodSeconds", 10),
                Int(Map(probes, "readiness"), "failureThreshold", 3),
                IntOrNull(zone, "minDomains"),
                Str(zone, "whenUnsatisfiable") ?? "DoNotSchedule",
                Int(zone, "maxSkew", 1),
                Str(zone, "nodeTaintsPolicy") ?? "Ignore");
        }
        var credentials = Map(Map(values, "database"), "credentials");
        return new ChartFacts([Component("frontend"), Component("backend")],
            Bool(Map(credentials, "externalSecret"), "enabled", false) || Bool(Map(credentials, "plain"), "enabled", false));
    }

    private static Dictionary<object, object?> Merge(Dictionary<object, object?> lower, Dictionary<object, object?> upper)
    {
        var result = new Dictionary<object, object?>(lower);
        foreach (var (key, value) in upper)
        {
            result[key] = value is Dictionary<object, object?> u && result.TryGetValue(key, out var l) && l is Dictionary<object, object?> lm
                ? Merge(lm, u)
                : value;
        }
        return result;
    }

    private static Dictionary<object, object?> Map(Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is Dictionary<object, object?> m ? m : [];

    private static string? Str(Dictionary<object, object?> map, string key) => map.TryGetValue(key, out var v) ? v?.ToString() : null;

    private static int? IntOrNull(Dictionary<object, object?> map, string key) => int.TryParse(Str(map, key), out var i) ? i : null;

    private static int Int(Dictionary<object, object?> map, string key, int? fallback = null) =>
        IntOrNull(map, key) ?? fallback ?? throw new InvalidDataException($"chart values: {key} is not set");

    private static bool Bool(Dictionary<object, object?> map, string key, bool fallback) =>
        bool.TryParse(Str(map, key), out var b) ? b : fallback;

    /// <summary>Kubernetes CPU quantity ("250m", "1") in cores.</summary>
    public static double Cpu(string? quantity) => quantity is null ? 0
        : quantity.EndsWith('m') ? double.Parse(quantity[..^1]) / 1000 : double.Parse(quantity);

    /// <summary>Kubernetes memory quantity ("256Mi", "1Gi") in GiB.</summary>
    public static double Memory(string? quantity) => quantity switch
    {
        null => 0,
        _ when quantity.EndsWith("Gi") => double.Parse(quantity[..^2]),
        _ when quantity.EndsWith("Mi") => double.Parse(quantity[..^2]) / 1024,
        _ when quantity.EndsWith("Ki") => double.Parse(quantity[..^2]) / (1024 * 1024),
        _ => double.Parse(quantity) / (1024d * 1024 * 1024),
    };
}
