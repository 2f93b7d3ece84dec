using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyPay.Tf.Modules.Core;

/// <summary>One IAM / resource policy statement. Principals map a principal type ("AWS", "Service",
/// "Federated") to its values; conditions map an operator to key/values.</summary>
public sealed record PolicyStatement(
    string Sid,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string>? Resources = null,
    string Effect = "Allow",
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Principals = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? Conditions = null);

/// <summary>Renders policy statements as the JSON string IAM, KMS, S3 and SNS take. Values may hold
/// CDKTF tokens (ARNs of other resources): they stay inside JSON strings, where Terraform interpolates them.
/// Rendered in C# rather than with the aws_iam_policy_document data source so the synthesized JSON
/// shows the policy itself in snapshot diffs.</summary>
public static class PolicyDocument
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep '+', '<', '>' of tokens and patterns readable
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Render(params PolicyStatement[] statements) => Render((IEnumerable<PolicyStatement>)statements);

    public static string Render(IEnumerable<PolicyStatement> statements)
    {
        var doc = new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = statements.Select(ToJson).ToList(),
        };
        return JsonSerializer.Serialize(doc, Options);
    }

    private static Dictionary<string, object> ToJson(PolicyStatement s)
    {
        var json = new Dictionary<string, object> { ["Sid"] = s.Sid, ["Effect"] = s.Effect };
        if (s.Principals is not null)
        {
            json["Principal"] = s.Principals.ToDictionary(p => p.Key, p => OneOrMany(p.Value));
        }
        json["Action"] = OneOrMany(s.Actions);
        if (s.Resources is not null)
        {
            json["Resource"] = OneOrMany(s.Resources);
        }
        if (s.Conditions is not null)
        {
            json["Condition"] = s.Conditions.ToDictionary(
                c => c.Key, c => (object)c.Value.ToDictionary(kv => kv.Key, kv => OneOrMany(kv.Value)));
        }
        return json;
    }

    private static object OneOrMany(IReadOnlyList<string> values) => values.Count == 1 ? values[0] : values;

    /// <summary>Shorthand for a service principal map.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Service(params string[] services) =>
        new Dictionary<string, IReadOnlyList<string>> { ["Service"] = services };

    /// <summary>Shorthand for an AWS (account / role) principal map.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Aws(params string[] arns) =>
        new Dictionary<string, IReadOnlyList<string>> { ["AWS"] = arns };

    /// <summary>Shorthand for a one-operator, one-key condition.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Condition(
        string op, string key, params string[] values) =>
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
        {
            [op] = new Dictionary<string, IReadOnlyList<string>> { [key] = values },
        };
}
