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
    EnvironmentConfig Env, TerraformCloudStack? TerraformCloud, AccountStack Account, NetworkStack Network, ClusterStack Cluster, DatabaseStack Database, MonitoringStack Monitoring, PlatformStack Platform);

/// <summary>Composes every stack of every environment. Stacks talk only through the typed output records
/// passed here, so this method is the dependency graph.</summary>
public static class EasyPayApp
{
    /// <summary>Whose outputs each stack reads: the typed output records its constructor takes (a test derives
    /// the same graph from the constructors). Terraform Cloud shares each producer's state with exactly these
    /// consumers.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Producers = new Dictionary<string, IReadOnlyList<string>>
    {
        [AccountStack.Name] = [],
        [NetworkStack.Name] = [],
        [ClusterStack.Name] = [AccountStack.Name, NetworkStack.Name],
        [DatabaseStack.Name] = [NetworkStack.Name, ClusterStack.Name],
        [MonitoringStack.Name] = [AccountStack.Name, NetworkStack.Name, ClusterStack.Name, DatabaseStack.Name],
        [PlatformStack.Name] = [AccountStack.Name, NetworkStack.Name, ClusterStack.Name, DatabaseStack.Name],
    };

    /// <summary><see cref="Producers"/> inverted: who reads each stack's state.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Consumers() =>
        Producers.Keys.ToDictionary(p => p, p => (IReadOnlyList<string>)[.. Producers.Where(c => c.Value.Contains(p)).Select(c => c.Key)]);

    public static IReadOnlyList<EnvironmentStacks> Compose(Construct app, IReadOnlyList<EnvironmentConfig> environments, AppPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return [.. environments.Select(env =>
        {
            // Terraform Cloud first (it creates the workspaces, the account's included), then the account.
            var terraformCloud = env.TerraformCloud is null ? null : new TerraformCloudStack(app, env);
            var account = new AccountStack(app, env);
            if (terraformCloud is not null)
            {
                account.AddDependency(terraformCloud);
            }
            var network = new NetworkStack(app, env);
            network.AddDependency(account); // nothing to read from it, but it must exist first (cdktf deploy '<env>-*')
            var cluster = new ClusterStack(app, env, account.Outputs, network.Outputs);
            var database = new DatabaseStack(app, env, network.Outputs, cluster.Outputs);
            var monitoring = new MonitoringStack(app, env, account.Outputs, network.Outputs, cluster.Outputs, database.Outputs, paths);
            var platform = new PlatformStack(app, env, account.Outputs, network.Outputs, cluster.Outputs, database.Outputs, paths);
            return new EnvironmentStacks(env, terraformCloud, account, network, cluster, database, monitoring, platform);
        })];
    }
}
