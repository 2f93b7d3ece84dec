using System.Text.Json.Nodes;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Queries over a synthesized cdk.tf.json.</summary>
public static class TerraformJson
{
    /// <summary>Every resource of <paramref name="type"/> as (logical name, body).</summary>
    public static IReadOnlyList<(string Name, JsonObject Body)> Resources(this JsonObject stack, string type) =>
        Block(stack, "resource", type);

    /// <summary>Every data source of <paramref name="type"/> as (logical name, body).</summary>
    public static IReadOnlyList<(string Name, JsonObject Body)> DataSources(this JsonObject stack, string type) =>
        Block(stack, "data", type);

    /// <summary>All resources of the stack as (type, logical name, body).</summary>
    public static IEnumerable<(string Type, string Name, JsonObject Body)> AllResources(this JsonObject stack) =>
        stack["resource"] is JsonObject r
            ? r.SelectMany(t => ((JsonObject)t.Value!).Select(n => (t.Key, n.Key, (JsonObject)n.Value!)))
            : [];

    /// <summary>The single resource of <paramref name="type"/>; fails when there are none or several.</summary>
    public static JsonObject Single(this JsonObject stack, string type)
    {
        var all = stack.Resources(type);
        all.Count.ShouldBe(1, $"expected exactly one {type}");
        return all[0].Body;
    }

    public static string? Str(this JsonNode? node, string path)
    {
        var n = node;
        foreach (var part in path.Split('.'))
        {
            n = int.TryParse(part, out var i) ? (n as JsonArray)?[i] : (n as JsonObject)?[part];
        }
        return n?.ToString();
    }

    public static IReadOnlyList<string> Strings(this JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x!.ToString())] : [];

    private static IReadOnlyList<(string, JsonObject)> Block(JsonObject stack, string kind, string type) =>
        stack[kind]?[type] is JsonObject o ? [.. o.Select(kv => (kv.Key, (JsonObject)kv.Value!))] : [];
}
