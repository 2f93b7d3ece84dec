using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The database stack synthesized against the real environments and network stack, with
/// <see cref="UpstreamOutputs"/> standing in for the cluster stack.</summary>
public static class DatabaseTestInputs
{
    private static readonly ConcurrentDictionary<string, Lazy<Composed>> Cache = new();

    /// <summary>The network and database stacks of environment <paramref name="name"/>, synthesized once
    /// per test run.</summary>
    public static Composed Synth(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<Composed>(() => Compose(TestEnvironments.Repository(n)))).Value;

    public static Composed Compose(EnvironmentConfig env)
    {
        DatabaseStack? database = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            database = new DatabaseStack(app, env, network.Outputs, UpstreamOutputs.Cluster(env));
        });
        return new Composed(env, database!.Outputs, stacks[$"{env.Name}-network"], stacks[$"{env.Name}-database"]);
    }

    /// <summary>A synthesized environment; <see cref="Database"/> is shared between tests: do not mutate.</summary>
    public sealed record Composed(EnvironmentConfig Env, DatabaseOutputs Outputs, JsonObject Network, JsonObject Database);
}
