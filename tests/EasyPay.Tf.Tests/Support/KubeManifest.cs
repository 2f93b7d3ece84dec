using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace EasyPay.Tf.Tests.Support;

/// <summary>One rendered Kubernetes object, parsed by YamlDotNet into dictionaries (mappings), lists
/// (sequences) and strings (scalars), with navigation helpers. Paths are dot-separated keys with
/// <c>[i]</c> list indexes, e.g. <c>spec.template.spec.containers[0].image</c>; use
/// <see cref="StringMap"/> for maps whose keys contain dots (labels, annotations).</summary>
public sealed partial class KubeManifest
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public KubeManifest(IReadOnlyDictionary<object, object?> root, string source)
    {
        Root = root;
        Source = source;
    }

    public IReadOnlyDictionary<object, object?> Root { get; }

    /// <summary>The template file, from helm's "# Source:" comment.</summary>
    public string Source { get; }

    public string ApiVersion => Text("apiVersion") ?? "";

    public string Kind => Text("kind") ?? "";

    public string Name => Text("metadata.name") ?? "";

    public string? TargetNamespace => Text("metadata.namespace");

    public Dictionary<string, string> Labels => StringMap("metadata.labels");

    public Dictionary<string, string> Annotations => StringMap("metadata.annotations");

    public bool IsHook => Annotations.ContainsKey("helm.sh/hook");

    public override string ToString() => $"{ApiVersion} {Kind} {Name} ({Source})";

    /// <summary>The node at <paramref name="path"/>, or null when any step is missing.</summary>
    public object? At(string path) => Navigate(Root, path);

    public bool Has(string path) => At(path) is not null;

    public string? Text(string path) => At(path) as string;

    /// <summary>The integer at <paramref name="path"/>; fails when missing or not a number.</summary>
    public int Number(string path)
    {
        var text = Text(path);
        text.ShouldNotBeNull($"{this}: {path} is missing");
        return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    /// <summary>The boolean at <paramref name="path"/>, or null when missing.</summary>
    public bool? Flag(string path) => Text(path) is { } t ? bool.Parse(t) : null;

    /// <summary>The list at <paramref name="path"/> (empty when missing).</summary>
    public IReadOnlyList<object?> Items(string path) => At(path) as IReadOnlyList<object?> ?? [];

    /// <summary>The list of strings at <paramref name="path"/> (empty when missing).</summary>
    public IReadOnlyList<string> Texts(string path) => [.. Items(path).Select(i => i?.ToString() ?? "")];

    /// <summary>The string map at <paramref name="path"/> (empty when missing).</summary>
    public Dictionary<string, string> StringMap(string path) => ToStringMap(At(path));

    /// <summary>A sub-node as a manifest-like view, for navigating list items (containers, rules ...).</summary>
    public KubeManifest Node(string path)
    {
        var node = At(path);
        node.ShouldBeAssignableTo<IDictionary<object, object?>>($"{this}: {path} is not a mapping");
        return new KubeManifest(AsReadOnly((IDictionary<object, object?>)node!), $"{Source}#{path}");
    }

    /// <summary>The mapping items of the list at <paramref name="path"/> as views.</summary>
    public IReadOnlyList<KubeManifest> Nodes(string path)
    {
        var items = Items(path);
        return [.. items.Select((_, i) => Node($"{path}[{i}]"))];
    }

    /// <summary>Converts a parsed mapping of scalars to a string dictionary (empty for null).</summary>
    public static Dictionary<string, string> ToStringMap(object? node) =>
        node is IDictionary<object, object?> map
            ? map.ToDictionary(kv => kv.Key.ToString() ?? "", kv => kv.Value?.ToString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Splits helm's multi-document output and parses each non-empty document.</summary>
    public static IReadOnlyList<KubeManifest> ParseAll(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var manifests = new List<KubeManifest>();
        foreach (var document in DocumentSeparator().Split(yaml.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var source = SourceComment().Match(document) is { Success: true } m ? m.Groups[1].Value.Trim() : "";
            if (Deserializer.Deserialize<object?>(document) is IDictionary<object, object?> root)
            {
                manifests.Add(new KubeManifest(AsReadOnly(root), source));
            }
        }
        return manifests;
    }

    private static ReadOnlyDictionary<object, object?> AsReadOnly(IDictionary<object, object?> map) => new(map);

    private static object? Navigate(object? node, string path)
    {
        foreach (var step in PathStep().Matches(path).Cast<Match>())
        {
            if (step.Groups["key"].Success)
            {
                node = node is IDictionary<object, object?> map && map.TryGetValue(step.Groups["key"].Value, out var value)
                    ? value
                    : null;
            }
            else
            {
                var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = node is IList<object?> list && index < list.Count ? list[index] : null;
            }
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^# Source: (.+)$", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    [GeneratedRegex(@"(?<key>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}
