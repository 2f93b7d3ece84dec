using System.Text.Json.Nodes;

namespace EasyPay.Tf.Report.Facts;

/// <summary>Small queries over synthesized cdk.tf.json.</summary>
internal static class Json
{
    public static IEnumerable<(string Name, JsonObject Body)> Resources(this JsonObject stack, string type) =>
        stack["resource"]?[type] is JsonObject o ? o.Select(kv => (kv.Key, (JsonObject)kv.Value!)) : [];

    public static IEnumerable<string> ResourceTypes(this JsonObject stack) =>
        stack["resource"] is JsonObject o ? o.Select(kv => kv.Key) : [];

    public static int Count(this JsonObject stack, string type) => stack.Resources(type).Count();

    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var i) ? (node as JsonArray)?[i] : (node as JsonObject)?[part];
        }
        return node;
    }

    public static string? Str(this JsonNode? node, string path) => node.At(path)?.ToString();

    public static double? Num(this JsonNode? node, string path) =>
        node.At(path) is JsonValue v && (v.TryGetValue<double>(out var d) || double.TryParse(v.ToString(), out d)) ? d : null;

    public static bool Flag(this JsonNode? node, string path) =>
        node.At(path) is JsonValue v && ((v.TryGetValue<bool>(out var b) && b) || v.ToString() == "true");
}
