using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>A rule's fixture, Policy/Fixtures/&lt;rule id&gt;.json: a compliant base (stacks by id, or chart
/// manifests by "Kind/name") and cases, each a JSON merge patch (RFC 7396) of the base with the exact set
/// of "&lt;target&gt; &lt;resource&gt;" violations the rule must report. The base passing while each minimal
/// patch fails proves the rule examines those resources (it does not pass vacuously).</summary>
public sealed class PolicyFixture
{
    public const string Compliant = "compliant base";

    private readonly JsonObject _json;

    private PolicyFixture(string ruleId, JsonObject json)
    {
        RuleId = ruleId;
        _json = json;
    }

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "EasyPay.Tf.Tests", "Policy", "Fixtures");

    public string RuleId { get; }

    public static PolicyFixture Load(string ruleId) =>
        new(ruleId, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, $"{ruleId}.json")))!);

    public static IEnumerable<string> RuleIds() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    /// <summary>The base followed by every case name.</summary>
    public IReadOnlyList<string> CaseNames =>
        [Compliant, .. Cases.Select(c => TfValue.Text(c["name"]) ?? throw new InvalidDataException($"{RuleId}: a case has no name"))];

    public IReadOnlyList<JsonObject> Cases => [.. TfValue.Blocks(_json["cases"])];

    private JsonObject Case(string name) => Cases.SingleOrDefault(c => TfValue.Text(c["name"]) == name)
        ?? throw new KeyNotFoundException($"{RuleId}: no case '{name}'");

    /// <summary>The "&lt;target&gt; &lt;resource&gt;" violations a case expects (none for the base).</summary>
    public IReadOnlyList<string> Expected(string caseName) =>
        caseName == Compliant ? [] : [.. TfValue.List(Case(caseName)["expect"]).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The environment of a case: its own "env", else the fixture's.</summary>
    public EnvironmentConfig Env(string caseName)
    {
        var name = (caseName == Compliant ? null : TfValue.Text(Case(caseName)["env"])) ?? TfValue.Text(_json["env"]) ?? "prod";
        return TestEnvironments.Repository(name);
    }

    /// <summary>Runs the fixture's rule on a case and returns the distinct "&lt;target&gt; &lt;resource&gt;" it reports.</summary>
    public (IReadOnlyList<string> Reported, IReadOnlyList<Violation> Violations) Run(string caseName)
    {
        var rule = PolicyRegistry.Get(RuleId);
        var env = Env(caseName);
        var patch = caseName == Compliant ? null : Case(caseName)["patch"];
        IReadOnlyList<Violation> violations = rule is ChartRule chart
            ? chart.Evaluate(ChartContext(env, patch))
            : [.. StackContexts(env, patch).SelectMany(((StackRule)rule).Evaluate)];
        return ([.. violations.Select(v => $"{v.Stack} {v.Resource}").Distinct().Order(StringComparer.Ordinal)], violations);
    }

    /// <summary>Whether the compliant base lacks everything the rule examines in every target.</summary>
    public bool IsVacuous()
    {
        var env = Env(Compliant);
        return PolicyRegistry.Get(RuleId) is ChartRule chart
            ? chart.IsVacuousFor(ChartContext(env, null))
            : StackContexts(env, null).All(((StackRule)PolicyRegistry.Get(RuleId)).IsVacuousFor);
    }

    private ChartContext ChartContext(EnvironmentConfig env, JsonNode? patch)
    {
        var manifests = (JsonObject)Apply(_json["manifests"]!.DeepClone(), patch)!;
        return new ChartContext(env, [.. manifests.Select(kv => KubeManifest.ParseAll(kv.Value!.ToJsonString()).Single())]);
    }

    private IReadOnlyList<PolicyContext> StackContexts(EnvironmentConfig env, JsonNode? patch)
    {
        var stacks = (JsonObject)Apply(_json["stacks"]!.DeepClone(), patch)!;
        // The case's environment decides which stacks are evaluated: ids are "<env>-<stack>".
        // "today" pins the day for date-dependent rules, so the fixture keeps proving the same thing.
        var today = TfValue.Text(_json["today"]) is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
        return PolicyEngine.Contexts([env], stacks.ToDictionary(kv => Retarget(kv.Key, env), kv => (JsonObject)kv.Value!), today);
    }

    /// <summary>Fixture stack ids are written for the fixture's environment; a case in another environment
    /// evaluates the same stacks under its own ids.</summary>
    private string Retarget(string stackId, EnvironmentConfig env)
    {
        var fixtureEnv = TfValue.Text(_json["env"]) ?? "prod";
        return stackId.StartsWith(fixtureEnv + "-", StringComparison.Ordinal) ? $"{env.Name}-{stackId[(fixtureEnv.Length + 1)..]}" : stackId;
    }

    /// <summary>RFC 7396 JSON merge patch: objects merge recursively, null deletes, anything else replaces.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone() ?? target;
        }
        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Apply(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }
        return result;
    }
}
