using EasyPay.Tf.Tests.Policy.Rules;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>The rule table of docs/policy-rules.md, generated from the registry. The document keeps it between
/// two markers; PolicyDocsTests fails when they differ (EASYPAY_UPDATE_POLICY_DOCS=1 rewrites it).</summary>
public static class PolicyDocs
{
    public const string Begin = "<!-- policy-rules:begin (generated from PolicyRegistry; do not edit by hand) -->";
    public const string End = "<!-- policy-rules:end -->";

    public static string RulesTable() => PolicyEngine.Markdown(
        ["Id", "Severity", "Environments", "Rule", "Rationale", "Examines"],
        [.. PolicyRegistry.All.Select(r => (IReadOnlyList<string>)[r.Id, r.Severity.ToString(), Environments(r.AppliesTo), r.Title, r.Rationale, Examines(r)])]);

    public static string NameExemptionsTable() => PolicyEngine.Markdown(
        ["Resource type or name", "Why its name need not carry the environment"],
        [
            .. HygieneRules.NameExemptTypes.Select(kv => (IReadOnlyList<string>)[$"`{kv.Key}`", kv.Value]),
            .. HygieneRules.AwsDefinedNames.Select(kv => (IReadOnlyList<string>)[$"name `{kv.Key}`", kv.Value]),
        ]);

    /// <summary>Everything between the markers.</summary>
    public static string Generated() => string.Join('\n', RulesTable(), "", "Exempt from HYG-002:", "", NameExemptionsTable());

    /// <summary>The document with its generated block replaced.</summary>
    public static string Render(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"the document lacks the markers {Begin} ... {End}");
        }
        return document[..(start + Begin.Length)] + "\n" + Generated() + "\n" + document[end..];
    }

    private static string Examines(PolicyRule rule) =>
        rule.Subjects.Count == 0 ? "every resource"
            : (rule is ChartRule ? $"{rule.Input}: " : "") + string.Join(", ", rule.Subjects.Select(s => $"`{s}`"));

    private static string Environments(Applicability a) => a switch
    {
        Applicability.ProductionOnly => "production",
        Applicability.NonProduction => "non-production",
        _ => "all",
    };
}
