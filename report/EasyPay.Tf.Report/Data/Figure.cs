using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyPay.Tf.Report.Data;

/// <summary>One documented number: a price, a duration, a size, with where it comes from.</summary>
public sealed record Figure(string Key, double? Value, string Unit, string Source, string? Quote, string? Note)
{
    /// <summary>The value stands in for the one asked for: a price of another region (us-east-1) because the
    /// table has no source for the environment's region. Reports mark every line that uses one.</summary>
    public string? StandIn { get; init; }

    public bool Known => Value is not null;

    /// <summary>"value unit (source)" for reports.</summary>
    public string Cite => $"{Key}: {(Value is { } v ? v.ToString("0.#####") : "unknown")} {Unit} — {Source}";
}

/// <summary>A JSON file of figures: {"key": {"value"|"usd": n, "unit", "source", "quote", "note"}} under
/// "prices" or at the top level. Missing keys are an error naming the file and key: a report never prices
/// or times anything with a number it does not have.</summary>
public sealed class FigureSet
{
    private readonly Dictionary<string, Figure> _figures;

    public string File { get; }
    public JsonObject Root { get; }

    private FigureSet(string file, JsonObject root, Dictionary<string, Figure> figures)
    {
        File = file;
        Root = root;
        _figures = figures;
    }

    public IReadOnlyCollection<Figure> All => _figures.Values;

    public static FigureSet Load(string path, string? section = null)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var node = section is null ? root : root[section]?.AsObject()
            ?? throw new InvalidDataException($"{path}: no \"{section}\" object");
        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        foreach (var (key, value) in node)
        {
            if (value is not JsonObject o || (!o.ContainsKey("value") && !o.ContainsKey("usd")))
            {
                continue; // metadata or nested tables (instance type records) are read by their own loaders
            }
            var number = (o["value"] ?? o["usd"]) is JsonValue v && v.TryGetValue<double>(out var d) ? d : (double?)null;
            string? standIn = null;
            if (number is null && o["usEast1Usd"] is JsonValue east && east.TryGetValue<double>(out var eastPrice))
            {
                number = eastPrice;
                standIn = "us-east-1 price: the table has no source for this region";
            }
            figures[key] = new Figure(key, number, o["unit"]?.ToString() ?? "", o["source"]?.ToString() ?? "(no source)",
                o["quote"]?.ToString(), o["note"]?.ToString()) { StandIn = standIn };
        }
        return new FigureSet(path, root, figures);
    }

    /// <summary>{"SECTION": {"GROUP": {"KEY": figure}}} as keys "GROUP.KEY" (usage.json: per environment).</summary>
    public static FigureSet LoadNested(string path, string section)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        foreach (var (group, groupNode) in root[section]?.AsObject() ?? throw new InvalidDataException($"{path}: no \"{section}\" object"))
        {
            foreach (var (key, value) in groupNode!.AsObject())
            {
                var o = value!.AsObject();
                figures[$"{group}.{key}"] = new Figure($"{group}.{key}", o["value"]?.GetValue<double>(), o["unit"]?.ToString() ?? "",
                    path, null, o["note"]?.ToString());
            }
        }
        return new FigureSet(path, root, figures);
    }

    public bool TryGet(string key, out Figure figure) => _figures.TryGetValue(key, out figure!);

    public Figure Get(string key) => _figures.TryGetValue(key, out var f) ? f
        : throw new KeyNotFoundException($"{File}: no figure \"{key}\" (add it with its source)");

    public double ValueOf(string key) => Get(key).Value
        ?? throw new InvalidDataException($"{File}: \"{key}\" has no value ({Get(key).Note}); the report cannot use it");
}
