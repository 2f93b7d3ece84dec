using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>One resource (or data source) of a synthesized stack.</summary>
/// <param name="Stack">Id of the stack that declares it.</param>
/// <param name="Kind">"resource" or "data".</param>
public sealed record TfResource(string Stack, string Kind, string Type, string Name, JsonObject Body)
{
    /// <summary>The Terraform address: type.name (data.type.name for data sources).</summary>
    public string Address => Kind == "data" ? $"data.{Type}.{Name}" : $"{Type}.{Name}";

    public JsonNode? this[string attribute] => Body[attribute];

    public override string ToString() => $"{Stack} {Address}";
}

/// <summary>What a rule evaluates: one stack of one environment, with the lookups rules share. References are
/// followed through the "${type.name.attr}" tokens of the JSON, and across stacks through CDKTF's
/// terraform_remote_state data sources and the producing stack's outputs.</summary>
public sealed partial class PolicyContext : IPolicyTarget
{
    private const int MaxHops = 8;
    private readonly IReadOnlyDictionary<string, JsonObject> _app;

    /// <param name="stackId">"&lt;env&gt;-&lt;stack&gt;".</param>
    /// <param name="app">Every stack of the app by id (for cross-stack references); defaults to this stack only.</param>
    public PolicyContext(string stackId, EnvironmentConfig env, JsonObject stack, IReadOnlyDictionary<string, JsonObject>? app = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        StackId = stackId;
        Env = env;
        Json = stack;
        _app = app ?? new Dictionary<string, JsonObject> { [stackId] = stack };
    }

    public string StackId { get; }

    /// <summary>The day date-dependent rules judge (a fixture pins it; real stacks are judged today, UTC).</summary>
    public DateOnly Today { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    string IPolicyTarget.Target => StackId;

    public bool Contains(string subject) => Resources(subject).Any();

    /// <summary>The stack part of the id: "network" for "prod-network".</summary>
    public string StackName => StackId.StartsWith(Env.Name + "-", StringComparison.Ordinal) ? StackId[(Env.Name.Length + 1)..] : StackId;

    public EnvironmentConfig Env { get; }

    public JsonObject Json { get; }

    public bool Production => Env.Production;

    /// <summary>How many AZs the environment is configured to span.</summary>
    public int AzCount => Env.AvailabilityZones.Count;

    /// <summary>The "easypay-&lt;env&gt;" prefix every name carries.</summary>
    public string Prefix => Env.ResourcePrefix;

    public Violation Violation(TfResource resource, string message) => new(StackId, resource.Address, message);

    public Violation Violation(string address, string message) => new(StackId, address, message);

    /// <summary>One violation of <paramref name="resource"/> per broken check.</summary>
    public IEnumerable<Violation> Violations(TfResource resource, params (bool Broken, string Message)[] checks) =>
        checks.Where(c => c.Broken).Select(c => Violation(resource, c.Message));

    /// <summary>Every resource of the given types, in declaration order.</summary>
    public IEnumerable<TfResource> Resources(params string[] types) => types.SelectMany(t => Block(StackId, Json, "resource", t));

    /// <summary>Every resource of the stack.</summary>
    public IEnumerable<TfResource> AllResources() =>
        Json["resource"] is JsonObject all ? all.SelectMany(t => Block(StackId, Json, "resource", t.Key)) : [];

    /// <summary>The blocks of a provider (an array in CDKTF's JSON: one entry per alias).</summary>
    public IEnumerable<JsonObject> Providers(string name) => TfValue.Blocks(Json["provider"]?[name]);

    /// <summary>The resources a value refers to, through every "${...}" token in it (strings, lists, nested
    /// objects), following remote-state lookups into the producing stack.</summary>
    public IReadOnlyList<TfResource> References(JsonNode? value) => [.. ReferencesIn(StackId, value, 0).Distinct()];

    /// <summary>The single resource a value refers to (the first, when it refers to several), or null.</summary>
    public TfResource? Resolve(JsonNode? value) => References(value) is { Count: > 0 } all ? all[0] : null;

    /// <summary>Whether <paramref name="value"/> refers to <paramref name="target"/>.</summary>
    public bool RefersTo(JsonNode? value, TfResource target) => References(value).Contains(target);

    private IEnumerable<TfResource> ReferencesIn(string stackId, JsonNode? value, int hops)
    {
        if (hops > MaxHops || !_app.TryGetValue(stackId, out var stack))
        {
            yield break;
        }
        foreach (var text in TfValue.Strings(value))
        {
            foreach (Match token in TokenPattern().Matches(text))
            {
                foreach (Match reference in ReferencePattern().Matches(token.Groups["expr"].Value))
                {
                    var kind = reference.Groups["data"].Success ? "data" : "resource";
                    var type = reference.Groups["type"].Value;
                    var name = reference.Groups["name"].Value;
                    if (stack[kind]?[type]?[name] is not JsonObject body)
                    {
                        continue;
                    }
                    if (kind == "data" && type == "terraform_remote_state")
                    {
                        foreach (var remote in RemoteOutput(body, reference.Groups["rest"].Value, hops))
                        {
                            yield return remote;
                        }
                        continue;
                    }
                    yield return new TfResource(stackId, kind, type, name, body);
                }
            }
        }
    }

    /// <summary>Follows data.terraform_remote_state.X.outputs.NAME to the output's value in the stack whose
    /// state X reads (a local path or a Terraform Cloud workspace that names the stack id).</summary>
    private IEnumerable<TfResource> RemoteOutput(JsonObject remoteState, string rest, int hops)
    {
        var output = rest.StartsWith("outputs.", StringComparison.Ordinal) ? rest["outputs.".Length..].Split('.', '[')[0] : null;
        var config = remoteState.ToJsonString();
        var producer = _app.Keys.Where(id => config.Contains(id, StringComparison.Ordinal)).OrderByDescending(id => id.Length).FirstOrDefault();
        if (output is null || producer is null || _app[producer]["output"]?[output] is not JsonObject declared)
        {
            return [];
        }
        return ReferencesIn(producer, declared["value"], hops + 1);
    }

    /// <summary>The value as it will be at apply time when synthesis already fixes it: a literal string as is; a
    /// string whose "${...}" tokens each name a literal attribute of a resource (or a remote-state output that
    /// resolves to one, across stacks) with those tokens replaced; otherwise null (known only at apply time).</summary>
    public string? SynthTimeValue(JsonNode? value) => SynthTimeValue(StackId, TfValue.Text(value), 0);

    /// <summary>The names of the stacks of this stack's environment (this one included).</summary>
    public IReadOnlyList<string> EnvironmentStackIds =>
        [.. _app.Keys.Where(id => id.StartsWith(Env.Name + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>A context over another stack of the same app (same environment), for rules that compare stacks.</summary>
    public PolicyContext Sibling(string stackId) => new(stackId, Env, _app[stackId], _app);

    private string? SynthTimeValue(string stackId, string? text, int hops)
    {
        if (text is null || !TfValue.IsToken(text))
        {
            return text;
        }
        if (hops > MaxHops || !_app.TryGetValue(stackId, out var stack))
        {
            return null;
        }
        var unresolved = false;
        var result = TokenPattern().Replace(text, token =>
        {
            var reference = ReferencePattern().Match(token.Groups["expr"].Value);
            if (!reference.Success || reference.Length != token.Groups["expr"].Value.Length)
            {
                unresolved = true; // a function call or an expression: not a plain reference
                return token.Value;
            }
            var kind = reference.Groups["data"].Success ? "data" : "resource";
            var type = reference.Groups["type"].Value;
            var rest = reference.Groups["rest"].Value;
            string? resolved = null;
            if (kind == "data" && type == "terraform_remote_state" && stack["data"]?[type]?[reference.Groups["name"].Value] is JsonObject remote)
            {
                var output = rest.StartsWith("outputs.", StringComparison.Ordinal) ? rest["outputs.".Length..] : null;
                var config = remote.ToJsonString();
                var producer = _app.Keys.Where(id => config.Contains(id, StringComparison.Ordinal)).OrderByDescending(id => id.Length).FirstOrDefault();
                if (output is not null && producer is not null && _app[producer]["output"]?[output] is JsonObject declared)
                {
                    resolved = SynthTimeValue(producer, TfValue.Text(declared["value"]), hops + 1);
                }
            }
            else if (stack[kind]?[type]?[reference.Groups["name"].Value] is JsonObject body && !rest.Contains('.') && !rest.Contains('['))
            {
                resolved = SynthTimeValue(stackId, TfValue.Text(body[rest]), hops + 1);
            }
            unresolved |= resolved is null;
            return resolved ?? token.Value;
        });
        return unresolved ? null : result;
    }

    private static IEnumerable<TfResource> Block(string stackId, JsonObject stack, string kind, string type) =>
        stack[kind]?[type] is JsonObject o ? o.Select(kv => new TfResource(stackId, kind, type, kv.Key, (JsonObject)kv.Value!)) : [];

    [GeneratedRegex(@"\$\{(?<expr>[^{}]*)\}")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?<![\w.-])(?:(?<data>data)\.)?(?<type>[a-z][a-z0-9_]*)\.(?<name>[A-Za-z0-9_-]+)(?:\.(?<rest>[A-Za-z0-9_.\[\]*-]+))?")]
    private static partial Regex ReferencePattern();
}

/// <summary>Reading Terraform JSON values the way Terraform does: booleans and numbers may arrive as
/// strings, nested blocks as an object or a list of objects, and anything may be a "${...}" token.</summary>
public static class TfValue
{
    public static bool IsToken(string? text) => text is not null && text.Contains("${", StringComparison.Ordinal);

    /// <summary>The scalar as text (strings as they are, booleans lower-case, numbers invariant), else null.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    public static bool IsTrue(JsonNode? node) => string.Equals(Text(node), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsFalse(JsonNode? node) => string.Equals(Text(node), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A non-empty scalar (literal or token).</summary>
    public static bool IsSet(JsonNode? node) => !string.IsNullOrWhiteSpace(Text(node));

    public static double? Number(JsonNode? node) =>
        double.TryParse(Text(node), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The objects of a nested block, whether the JSON holds one object or a list of them.</summary>
    public static IEnumerable<JsonObject> Blocks(JsonNode? node) => node switch
    {
        JsonObject o => [o],
        JsonArray a => a.OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>The first object of a nested block, or null.</summary>
    public static JsonObject? Block(JsonNode? node) => Blocks(node).FirstOrDefault();

    /// <summary>The scalar items of a list (or the scalar itself) as text.</summary>
    public static IReadOnlyList<string> List(JsonNode? node) => node switch
    {
        JsonArray a => [.. a.Select(Text).OfType<string>()],
        JsonValue v => [v.ToString()],
        _ => [],
    };

    /// <summary>Every string anywhere in the value (for token scanning).</summary>
    public static IEnumerable<string> Strings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var s in o.SelectMany(kv => Strings(kv.Value)))
                {
                    yield return s;
                }
                break;
            case JsonArray a:
                foreach (var s in a.SelectMany(Strings))
                {
                    yield return s;
                }
                break;
            case JsonValue v when v.TryGetValue<string>(out var text):
                yield return text;
                break;
            default:
                break;
        }
    }

    /// <summary>The string map at <paramref name="node"/> (tags), empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject o
            ? o.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
