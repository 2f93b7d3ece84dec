using System.Text.Json;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Support;

/// <summary>A synthesized CDKTF app: every stack's cdk.tf.json, parsed and normalized (metadata removed,
/// keys sorted, as Testing.Synth does) so it can be snapshotted and queried.</summary>
public sealed class SynthesizedApp
{
    private static readonly Lazy<SynthesizedApp> RepositoryApp = new(() =>
        Synthesize(TestEnvironments.All));

    /// <summary>Every environment of the repository, synthesized once per test run (jsii start-up and
    /// synthesis dominate the suite's time) and shared by every test that reads it.</summary>
    public static SynthesizedApp Repository => RepositoryApp.Value;

    public IReadOnlyList<EnvironmentStacks> Environments { get; }
    public string OutDir { get; }
    private readonly Dictionary<string, JsonObject> _stacks;

    private SynthesizedApp(IReadOnlyList<EnvironmentStacks> environments, string outDir, Dictionary<string, JsonObject> stacks)
    {
        Environments = environments;
        OutDir = outDir;
        _stacks = stacks;
    }

    public IReadOnlyCollection<string> StackIds => _stacks.Keys;

    /// <summary>The normalized cdk.tf.json of stack <paramref name="id"/> (a copy: mutate freely).</summary>
    public JsonObject Stack(string id) =>
        _stacks.TryGetValue(id, out var json) ? (JsonObject)json.DeepClone()
            : throw new KeyNotFoundException($"No stack '{id}'; synthesized: {string.Join(", ", _stacks.Keys)}");

    public string StackText(string id) => _stacks[id].ToJsonString(Pretty);

    public static SynthesizedApp Synthesize(IReadOnlyList<EnvironmentConfig> environments)
    {
        IReadOnlyList<EnvironmentStacks> composed = [];
        var stacks = AppSynth.Run(app => composed = EasyPayApp.Compose(app, environments, RepoPaths.App), out var outDir);
        return new SynthesizedApp(composed, outDir, stacks.ToDictionary());
    }

    public static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Drops CDKTF's "//" metadata and sorts object keys, recursively.</summary>
    public static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(kv => kv.Key != "//")
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Normalize(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        null => null,
        _ => node.DeepClone(),
    };
}
