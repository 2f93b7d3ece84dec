using System.Text.Json.Nodes;
using EasyPay.Tf.Report;
using EasyPay.Tf.Report.Data;
using EasyPay.Tf.Report.Facts;
using EasyPay.Tf.Report.Output;
using EasyPay.Tf.Report.Resilience;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Report;

/// <summary>The report over the repository's synthesized app (the suite's one synthesis), and helpers to assess a
/// variant of an environment's stacks or chart values without synthesizing again.</summary>
public static class ReportFixture
{
    private static readonly Lazy<IReadOnlyList<EnvironmentReport>> Repository = new(() =>
        ReportBuilder.Build(TestEnvironments.All, Stacks(), RepoPaths.App));

    public static IReadOnlyList<EnvironmentReport> Reports => Repository.Value;

    public static EnvironmentReport Of(string env) => Reports.Single(r => r.Environment == env);

    public static IReadOnlyDictionary<string, JsonObject> Stacks() =>
        SynthesizedApp.Repository.StackIds.ToDictionary(id => id, id => SynthesizedApp.Repository.Stack(id));

    public static ReportData Data => ReportData.Load(ReportBuilder.DataDirectory(RepoPaths.App));

    public static string ChartDefaults => File.ReadAllText(Path.Combine(RepoPaths.App.EasypayChart, "values.yaml"));

    /// <summary>The facts of one environment, optionally with its stacks edited first (the edit gets copies).</summary>
    public static EnvironmentFacts Facts(EnvironmentConfig env, Action<IReadOnlyDictionary<string, JsonObject>>? edit = null, string? chartDefaults = null)
    {
        var stacks = SynthesizedApp.Repository.StackIds.Where(id => id.StartsWith(env.Name + "-", StringComparison.Ordinal))
            .ToDictionary(id => id[(env.Name.Length + 1)..], id => SynthesizedApp.Repository.Stack(id));
        edit?.Invoke(stacks);
        return EnvironmentFacts.From(env, stacks, chartDefaults ?? ChartDefaults);
    }

    public static ScenarioResult Scenario(EnvironmentFacts facts, string id) =>
        ResilienceModel.Assess(facts, Data, []).Scenarios.Single(s => s.Id == id);
}
