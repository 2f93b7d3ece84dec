using System.Text.Json.Nodes;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Synthesizes a small app built by a test (a stack or two with chosen inputs) and returns every
/// stack's normalized JSON by stack id. For the repository's own app use <see cref="SynthesizedApp.Repository"/>.</summary>
public static class AppSynth
{
    public static IReadOnlyDictionary<string, JsonObject> Run(Action<App> compose) => Run(compose, out _);

    /// <param name="outDir">Where it was synthesized (deleted on return; for checks that no path leaks).</param>
    public static IReadOnlyDictionary<string, JsonObject> Run(Action<App> compose, out string outDir)
    {
        outDir = Path.Combine(Path.GetTempPath(), "easypay-appsynth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var app = new App(new AppConfig { Outdir = outDir, StackTraces = false });
            compose(app);
            app.Synth();
            var stacksDir = Path.Combine(outDir, "stacks");
            return Directory.GetDirectories(stacksDir).ToDictionary(
                d => Path.GetFileName(d)!,
                d => (JsonObject)SynthesizedApp.Normalize(JsonNode.Parse(File.ReadAllText(Path.Combine(d, "cdk.tf.json"))))!);
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
