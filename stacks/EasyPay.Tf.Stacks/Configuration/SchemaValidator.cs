using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EasyPay.Tf.Stacks.Configuration;

/// <summary>Checks a JSON document against the draft-07 subset environment.schema.json uses, returning
/// every violation with its field path. (JsonSchema.Net's dependencies are not served by this project's
/// package registry; the subset is small.) A keyword outside the subset throws, so the schema can never
/// rely on a check that silently does nothing.</summary>
public sealed class SchemaValidator
{
    private static readonly HashSet<string> Supported =
    [
        "$schema", "$id", "$ref", "title", "description", "default", "examples", "definitions",
        "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "uniqueItems", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength",
    ];

    private readonly JsonElement _root;

    public SchemaValidator(JsonElement schemaRoot)
    {
        _root = schemaRoot;
        CheckKeywords(schemaRoot, "#");
    }

    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var problems = new List<string>();
        Validate(_root, instance, string.Empty, problems);
        return problems;
    }

    private void Validate(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = Resolve(reference.GetString()!);
        }
        var at = path.Length == 0 ? "(root)" : path;

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            problems.Add($"{at}: expected {Describe(type)} but found {Kind(value)}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElementEquals(a, value)))
        {
            problems.Add($"{at}: {value.GetRawText()} is not one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, value, path, problems);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, value, path, at, problems);
                break;
            case JsonValueKind.String:
                var s = value.GetString()!;
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(s, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    problems.Add($"{at}: \"{s}\" does not match the pattern {pattern.GetString()}{Hint(schema)}");
                }
                if (schema.TryGetProperty("minLength", out var minLength) && s.Length < minLength.GetInt32())
                {
                    problems.Add($"{at}: must be at least {minLength.GetInt32()} characters long");
                }
                if (schema.TryGetProperty("maxLength", out var maxLength) && s.Length > maxLength.GetInt32())
                {
                    problems.Add($"{at}: must be at most {maxLength.GetInt32()} characters long");
                }
                break;
            case JsonValueKind.Number:
                var n = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var min) && n < min.GetDouble())
                {
                    problems.Add($"{at}: {value.GetRawText()} is below the minimum {min.GetRawText()}");
                }
                if (schema.TryGetProperty("maximum", out var max) && n > max.GetDouble())
                {
                    problems.Add($"{at}: {value.GetRawText()} is above the maximum {max.GetRawText()}");
                }
                break;
        }
    }

    private void ValidateObject(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    problems.Add($"{Join(path, name)}: is required but missing");
                }
            }
        }
        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
            {
                Validate(memberSchema, member.Value, Join(path, member.Name), problems);
            }
            else if (closed)
            {
                var known = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToList() : [];
                var suggestion = known.OrderBy(k => Distance(k, member.Name)).FirstOrDefault();
                var hint = suggestion is not null && Distance(suggestion, member.Name) <= 3 ? $" (did you mean \"{suggestion}\"?)" : string.Empty;
                problems.Add($"{Join(path, member.Name)}: unknown key{hint}; allowed here: {string.Join(", ", known)}");
            }
        }
    }

    private void ValidateArray(JsonElement schema, JsonElement value, string path, string at, List<string> problems)
    {
        var count = value.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var minItems) && count < minItems.GetInt32())
        {
            problems.Add($"{at}: has {count} item(s); at least {minItems.GetInt32()} required");
        }
        if (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32())
        {
            problems.Add($"{at}: has {count} item(s); at most {maxItems.GetInt32()} allowed");
        }
        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.GetBoolean())
        {
            var seen = new HashSet<string>();
            foreach (var item in value.EnumerateArray().Where(item => !seen.Add(item.GetRawText())))
            {
                problems.Add($"{at}: {item.GetRawText()} appears more than once");
            }
        }
        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(items, item, $"{path}[{i++}]", problems);
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/definitions/", StringComparison.Ordinal) ||
            !_root.TryGetProperty("definitions", out var defs) ||
            !defs.TryGetProperty(reference["#/definitions/".Length..], out var target))
        {
            throw new InvalidOperationException($"Schema $ref '{reference}' is not a local #/definitions/ entry");
        }
        return target;
    }

    private static void CheckKeywords(JsonElement schema, string at)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Supported.Contains(keyword.Name))
            {
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' at {at} is not supported by {nameof(SchemaValidator)}; supported: {string.Join(", ", Supported)}");
            }
            switch (keyword.Name)
            {
                case "properties" or "definitions":
                    foreach (var child in keyword.Value.EnumerateObject())
                    {
                        CheckKeywords(child.Value, $"{at}/{keyword.Name}/{child.Name}");
                    }
                    break;
                case "items":
                    CheckKeywords(keyword.Value, $"{at}/items");
                    break;
                case "additionalProperties" when keyword.Value.ValueKind == JsonValueKind.Object:
                    throw new NotSupportedException($"Schema at {at}: additionalProperties must be true or false");
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => IsType(t.GetString()!, value))
        : IsType(type.GetString()!, value);

    private static bool IsType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new NotSupportedException($"Schema type '{type}' is not supported"),
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) ? $"integer {value.GetRawText()}" : $"number {value.GetRawText()}",
        JsonValueKind.String => $"string {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {value.GetRawText()}",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Describe(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString()))
        : type.GetString()!;

    private static string Hint(JsonElement schema) =>
        schema.TryGetProperty("description", out var d) ? $" ({d.GetString()})" : string.Empty;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool JsonElementEquals(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number
            ? a.GetDouble().Equals(b.GetDouble())
            : a.GetRawText() == b.GetRawText();

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) { d[i, 0] = i; }
        for (var j = 0; j <= b.Length; j++) { d[0, j] = j; }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLower(a[i - 1], CultureInfo.InvariantCulture) == char.ToLower(b[j - 1], CultureInfo.InvariantCulture) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }
        return d[a.Length, b.Length];
    }
}
