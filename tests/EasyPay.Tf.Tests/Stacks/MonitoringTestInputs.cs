using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The monitoring stack synthesized against the real network stack and environment files, with
/// <see cref="UpstreamOutputs"/> standing in for the cluster and database stacks.</summary>
public static class MonitoringTestInputs
{
    /// <summary>Synthesizes the real network stack and the monitoring stack of <paramref name="env"/>.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env) => Synth(env, out _);

    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env, out MonitoringOutputs outputs)
    {
        MonitoringOutputs? captured = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            captured = new MonitoringStack(app, env, UpstreamOutputs.Account(env), network.Outputs, UpstreamOutputs.Cluster(env), UpstreamOutputs.Database(env), RepoPaths.App).Outputs;
        });
        outputs = captured!;
        return stacks;
    }
}
