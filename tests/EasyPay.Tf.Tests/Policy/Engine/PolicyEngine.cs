using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>The outcome of one rule on one target (a stack, or the chart render of an environment).</summary>
/// <param name="Vacuous">The target has none of the rule's subjects: it passed without examining anything.</param>
public sealed record RuleOutcome(PolicyRule Rule, string Environment, string Target, IReadOnlyList<Violation> Violations, bool Vacuous = false)
{
    public bool Passed => Violations.Count == 0;
}

/// <summary>Runs the registry's rules over a synthesized app (and optionally the chart renders) and formats
/// the rule x environment report.</summary>
public static class PolicyEngine
{
    /// <summary>Evaluation contexts for every stack of <paramref name="app"/>: each sees the whole app for
    /// cross-stack references.</summary>
    public static IReadOnlyList<PolicyContext> Contexts(SynthesizedApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var stacks = app.StackIds.ToDictionary(id => id, app.Stack);
        return Contexts(app.Environments.Select(e => e.Env), stacks);
    }

    /// <param name="today">The day date-dependent rules judge (EKS support dates); @default today (UTC).</param>
    public static IReadOnlyList<PolicyContext> Contexts(IEnumerable<EnvironmentConfig> environments, IReadOnlyDictionary<string, JsonObject> stacks, DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var envs = environments.ToList();
        return [.. stacks.Keys.Order(StringComparer.Ordinal).Select(id =>
            new PolicyContext(id, envs.Single(e => id.StartsWith(e.Name + "-", StringComparison.Ordinal)), stacks[id], stacks)
            {
                Today = today ?? DateOnly.FromDateTime(DateTime.UtcNow),
            })];
    }

    /// <summary>Every applicable rule on every target of its kind.</summary>
    public static IReadOnlyList<RuleOutcome> Run<TTarget>(IEnumerable<PolicyRule<TTarget>> rules, IReadOnlyList<TTarget> targets)
        where TTarget : IPolicyTarget =>
        [.. rules.SelectMany(rule => targets.Where(t => rule.AppliesToEnvironment(t.Env))
            .Select(t => new RuleOutcome(rule, t.Env.Name, t.Target, rule.Evaluate(t), rule.IsVacuousFor(t))))];

    /// <summary>One line per violation: rule, target, resource, message.</summary>
    public static string Describe(IEnumerable<RuleOutcome> outcomes) =>
        string.Join('\n', outcomes.SelectMany(o => o.Violations.Select(v => $"{o.Rule.Id} [{o.Rule.Severity}] {v}")));

    /// <summary>The report: one row per rule, one column per environment, each cell "passed/failed" targets
    /// (stacks, or the chart render) that have something the rule examines, then "+N vacuous" for targets
    /// without any; "n/a" where the rule does not apply, "-" where it was not run.</summary>
    public static string Table(IReadOnlyList<PolicyRule> rules, IReadOnlyList<EnvironmentConfig> environments, IReadOnlyList<RuleOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(environments);
        var header = new[] { "Rule", "Severity" }.Concat(environments.Select(e => e.Name)).Append("Violations").Append("Title").ToList();
        var rows = new List<List<string>>();
        foreach (var rule in rules)
        {
            var mine = outcomes.Where(o => o.Rule.Id == rule.Id).ToList();
            var cells = environments.Select(env =>
            {
                if (!rule.AppliesToEnvironment(env))
                {
                    return "n/a";
                }
                var here = mine.Where(o => o.Environment == env.Name).ToList();
                if (here.Count == 0)
                {
                    return "-";
                }
                var examined = here.Where(o => !o.Vacuous).ToList();
                var vacuous = here.Count - examined.Count;
                var counts = string.Create(CultureInfo.InvariantCulture, $"{examined.Count(o => o.Passed)}/{examined.Count(o => !o.Passed)}");
                return vacuous == 0 ? counts : string.Create(CultureInfo.InvariantCulture, $"{counts} +{vacuous} vacuous");
            });
            rows.Add([rule.Id, rule.Severity.ToString(), .. cells, mine.Sum(o => o.Violations.Count).ToString(CultureInfo.InvariantCulture), rule.Title]);
        }
        var failed = outcomes.Count(o => !o.Passed);
        var text = new StringBuilder()
            .AppendLine(Markdown(header, rows))
            .Append(CultureInfo.InvariantCulture, $"{rules.Count} rules, {outcomes.Count} evaluations (rule x stack or chart), {failed} failed. Cells: passed/failed targets that have resources the rule examines, +N vacuous = targets without any; n/a = not applicable; - = not run.");
        return text.ToString();
    }

    /// <summary>A Markdown table (also readable as plain text: every line starts with "|").</summary>
    public static string Markdown(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |";
        var lines = new List<string> { Line(header), Line(header.Select(_ => "---")) };
        lines.AddRange(rows.Select(Line));
        return string.Join('\n', lines);
    }
}
