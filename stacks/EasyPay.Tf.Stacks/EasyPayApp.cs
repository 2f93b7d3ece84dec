using Constructs;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>Where the app finds repository files it ships into stacks (the chart, the maintenance page).</summary>
/// <param name="RepositoryRoot">Absolute path of the repository root (never written into a stack).</param>
public sealed record AppPaths(string RepositoryRoot)
{
    public string Environments => Path.Combine(RepositoryRoot, "environments");

    public string EasypayChart => Path.Combine(RepositoryRoot, "charts", "easypay");

    /// <summary>Walks up from <paramref name="start"/> to the directory holding cdktf.json.</summary>
    public static AppPaths Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cdktf.json")))
            {
                return new AppPaths(dir.FullName);
            }
        }
        throw new InvalidOperationException($"No cdktf.json in {start} or any parent: run from inside the EasyPay.Tf repository");
    }
}

/// <summary>The stacks of one environment, in dependency order.</summary>
public sealed record EnvironmentStacks(
    EnvironmentConfig Env, NetworkStack Network, ClusterStack Cluster, DatabaseStack Database, MonitoringStack Monitoring, PlatformStack Platform);

/// <summary>Composes every stack of every environment. Stacks talk only through the typed output records
/// passed here, so this method is the dependency graph.</summary>
public static class EasyPayApp
{
    public static IReadOnlyList<EnvironmentStacks> Compose(Construct app, IReadOnlyList<EnvironmentConfig> environments, AppPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return [.. environments.Select(env =>
        {
            var network = new NetworkStack(app, env);
            var cluster = new ClusterStack(app, env, network.Outputs);
            var database = new DatabaseStack(app, env, network.Outputs, cluster.Outputs);
            var monitoring = new MonitoringStack(app, env, network.Outputs, cluster.Outputs, database.Outputs, paths);
            var platform = new PlatformStack(app, env, network.Outputs, cluster.Outputs, database.Outputs, paths);
            return new EnvironmentStacks(env, network, cluster, database, monitoring, platform);
        })];
    }
}
