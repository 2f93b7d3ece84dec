using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Inputs of the database stack in tests: the real environments and network stack, and a fake
/// <see cref="ClusterOutputs"/> with literal ids (the cluster stack is built separately).</summary>
public static class DatabaseTestInputs
{
    public const string NodeSecurityGroupId = UpstreamOutputs.NodeSecurityGroupId;

    public static EnvironmentConfig Environment(string name) => EnvironmentLoader.LoadAll(RepoPaths.Environments, [name])[0];

    public static ClusterOutputs Cluster(EnvironmentConfig env) => UpstreamOutputs.Cluster(env);

    private static readonly ConcurrentDictionary<string, Lazy<Composed>> Cache = new();

    /// <summary>The network and database stacks of environment <paramref name="name"/>, synthesized once
    /// per test run.</summary>
    public static Composed Synth(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<Composed>(() => Compose(Environment(n)))).Value;

    public static Composed Compose(EnvironmentConfig env)
    {
        DatabaseStack? database = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            database = new DatabaseStack(app, env, network.Outputs, Cluster(env));
        });
        return new Composed(env, database!.Outputs, stacks[$"{env.Name}-network"], stacks[$"{env.Name}-database"]);
    }

    /// <summary>A synthesized environment; <see cref="Database"/> is shared between tests: do not mutate.</summary>
    public sealed record Composed(EnvironmentConfig Env, DatabaseOutputs Outputs, JsonObject Network, JsonObject Database);
}
