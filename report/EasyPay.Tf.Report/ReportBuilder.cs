using System.Text.Json.Nodes;
using EasyPay.Tf.Report.Cost;
using EasyPay.Tf.Report.Data;
using EasyPay.Tf.Report.Facts;
using EasyPay.Tf.Report.Output;
using EasyPay.Tf.Report.Resilience;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Report;

/// <summary>Builds the report of every environment from synthesized stacks: the same synthesis the app and the
/// tests run, read back as JSON.</summary>
public static class ReportBuilder
{
    public static string DataDirectory(AppPaths paths) => Path.Combine(paths.RepositoryRoot, "report", "data");

    public static string WaiversFile(AppPaths paths) => Path.Combine(paths.RepositoryRoot, "report", "waivers.json");

    /// <param name="stacks">Normalized or raw cdk.tf.json of every stack, by stack id (ENV-STACK).</param>
    public static IReadOnlyList<EnvironmentReport> Build(IReadOnlyList<EnvironmentConfig> environments, IReadOnlyDictionary<string, JsonObject> stacks, AppPaths paths)
    {
        var waivers = Waiver.Load(WaiversFile(paths));
        var chartDefaults = File.ReadAllText(Path.Combine(paths.EasypayChart, "values.yaml"));
        return [.. environments.Select(env =>
        {
            var data = ReportData.Load(DataDirectory(paths), env.Region);
            var own = stacks.Where(s => s.Key.StartsWith(env.Name + "-", StringComparison.Ordinal))
                .ToDictionary(s => s.Key[(env.Name.Length + 1)..], s => s.Value);
            var facts = EnvironmentFacts.From(env, own, chartDefaults);
            return new EnvironmentReport(ResilienceModel.Assess(facts, data, waivers), CostModel.Estimate(facts, data));
        })];
    }

    /// <summary>Waivers for a scenario that is met (or for no scenario at all): they must go.</summary>
    public static IReadOnlyList<string> StaleWaivers(IReadOnlyList<EnvironmentReport> reports, AppPaths paths) =>
        StaleWaivers(reports, Waiver.Load(WaiversFile(paths)));

    public static IReadOnlyList<string> StaleWaivers(IReadOnlyList<EnvironmentReport> reports, IReadOnlyList<Waiver> waivers) =>
        [.. waivers
            .Where(w => reports.Any(r => r.Environment == w.Environment))
            .Where(w => !reports.Single(r => r.Environment == w.Environment).Resilience.Scenarios.Any(s => s.Id == w.Scenario && s.Verdict == Verdict.Waived))
            .Select(w => $"report/waivers.json: {w.Environment}/{w.Scenario}: the scenario is not missed (or does not exist): remove the waiver")];

    /// <summary>Synthesizes <paramref name="environments"/> into a temporary directory and reads every stack back.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Synthesize(IReadOnlyList<EnvironmentConfig> environments, AppPaths paths)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "easypay-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var app = new App(new AppConfig { Outdir = outDir, StackTraces = false });
            EasyPayApp.Compose(app, environments, paths);
            app.Synth();
            return Directory.GetDirectories(Path.Combine(outDir, "stacks")).ToDictionary(
                d => Path.GetFileName(d)!, d => JsonNode.Parse(File.ReadAllText(Path.Combine(d, "cdk.tf.json")))!.AsObject());
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
