using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyPay.Tf.Tests.Policy.Engine;
using YamlDotNet.Serialization;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>SEC: no secret is written in code.</summary>
public static partial class SecretRules
{
    public static readonly StackRule LiteralSecrets = new("SEC-001",
        "No password, secret, token or private key attribute has a literal value anywhere in a stack",
        Severity.Critical, Applicability.AllEnvironments,
        "A literal lands in git, in the synthesized JSON and in state; secrets are RDS-managed or resolved at apply time.",
        Scan);

    public static IReadOnlyList<StackRule> All { get; } = [LiteralSecrets];

    /// <summary>Attribute names (lower-case, separators removed) that say secret but hold a flag, a mode or a
    /// reference, never secret material. Suffixes cover ARNs, ids, names, versions and file paths.</summary>
    private static readonly string[] NonSecretSuffixes = ["arn", "arns", "id", "ids", "name", "names", "ref", "version", "versionstage", "stage", "type", "path", "file", "enabled", "length", "ttl", "prefix"];

    /// <summary>Exact names that match the pattern but are not secrets: http_tokens is the IMDS mode
    /// ("required" = IMDSv2 only).</summary>
    private static readonly HashSet<string> NonSecretNames = ["httptokens"];

    /// <summary>Kubernetes Secrets: every entry of these maps is secret material.</summary>
    private static readonly HashSet<string> SecretResourceTypes = ["kubernetes_secret", "kubernetes_secret_v1"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static bool IsSecretName(string name)
    {
        var key = NonAlphanumeric().Replace(name.ToLowerInvariant(), "");
        return SecretWord().IsMatch(key) && !NonSecretNames.Contains(key) && !NonSecretSuffixes.Any(key.EndsWith);
    }

    /// <summary>Secret material written in code: a non-empty string that is not a token (resolved at apply
    /// time) and not an ARN (a reference to where the secret lives).</summary>
    public static bool IsLiteral(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !TfValue.IsToken(value) && !value.StartsWith("arn:", StringComparison.Ordinal)
        && value is not ("true" or "false");

    private static IEnumerable<Violation> Scan(PolicyContext ctx)
    {
        foreach (var (address, type, body) in Sections(ctx.Json))
        {
            foreach (var path in Find(type, body, ""))
            {
                yield return ctx.Violation(address, $"{path} is a literal secret: use a Secrets Manager / RDS-managed secret or a token resolved at apply time");
            }
        }
    }

    /// <summary>Every block of the document with its address: resources, data sources, providers, and the
    /// terraform/locals/variable/output sections.</summary>
    private static IEnumerable<(string Address, string Type, JsonNode? Body)> Sections(JsonObject stack)
    {
        foreach (var (section, content) in stack)
        {
            if (section is "resource" or "data" && content is JsonObject types)
            {
                foreach (var (type, named) in types)
                {
                    foreach (var (name, body) in named as JsonObject ?? [])
                    {
                        yield return (section == "data" ? $"data.{type}.{name}" : $"{type}.{name}", type, body);
                    }
                }
            }
            else if (section == "provider" && content is JsonObject providers)
            {
                foreach (var (name, body) in providers)
                {
                    yield return ($"provider.{name}", name, body);
                }
            }
            else
            {
                yield return (section, section, content);
            }
        }
    }

    private static IEnumerable<string> Find(string type, JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var p in Find(type, array[i], $"{path}[{i}]"))
                    {
                        yield return p;
                    }
                }
                break;
            case JsonObject obj:
                // name/value pairs (helm set blocks, container env): the name says what the value is.
                if (TfValue.Text(obj["name"]) is { } pairName && obj["value"] is JsonValue && IsSecretName(pairName.Split('.', '[').Last()) && IsLiteral(TfValue.Text(obj["value"])))
                {
                    yield return $"{path}.value ({pairName})".TrimStart('.');
                }
                foreach (var (key, value) in obj)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    var text = value is JsonValue ? TfValue.Text(value) : null;
                    if (text is not null && IsLiteral(text) && (IsSecretName(key) || IsSecretMap(type, path, key) || IsSecureParameter(type, obj, key)))
                    {
                        yield return child;
                    }
                    else if (type == "helm_release" && key == "values" && path.Length == 0)
                    {
                        foreach (var p in TfValue.List(value).SelectMany((yaml, i) => Find(type, FromYaml(yaml), $"values[{i}]")))
                        {
                            yield return p;
                        }
                    }
                    else
                    {
                        foreach (var p in Find(type, value, child))
                        {
                            yield return p;
                        }
                    }
                }
                break;
            default:
                break;
        }
    }

    private static bool IsSecretMap(string type, string path, string key) =>
        SecretResourceTypes.Contains(type) && path is "data" or "binary_data" or "string_data" && key.Length > 0;

    private static bool IsSecureParameter(string type, JsonObject obj, string key) =>
        type == "aws_ssm_parameter" && key is "value" or "insecure_value" && TfValue.Text(obj["type"]) == "SecureString";

    /// <summary>A helm values document as JSON (scalars as strings), or null when it does not parse.</summary>
    private static JsonNode? FromYaml(string yaml)
    {
        try
        {
            return ToJson(Yaml.Deserialize<object?>(yaml));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static JsonNode? ToJson(object? node) => node switch
    {
        IDictionary<object, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key.ToString() ?? "", ToJson(kv.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToJson)]),
        null => null,
        _ => JsonValue.Create(node.ToString()),
    };

    [GeneratedRegex("password|passwd|passphrase|secret|token|privatekey|apikey|accesskey")]
    private static partial Regex SecretWord();

    [GeneratedRegex("[^a-z0-9]")]
    private static partial Regex NonAlphanumeric();
}
