using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The synthesized JSON of every stack of every environment, compared with the approved file in
/// Stacks/__snapshots__/. A pull request that changes infrastructure shows the change there.</summary>
public class StackSnapshotTests
{
    /// <summary>Every stack id the repository synthesizes, without synthesizing (cheap, for discovery).</summary>
    public static TheoryData<string> StackIds()
    {
        var data = new TheoryData<string>();
        foreach (var env in TestEnvironments.All)
        {
            foreach (var stack in KnownStacks.Names)
            {
                data.Add($"{env.Name}-{stack}");
            }
            if (env.TerraformCloud is not null)
            {
                data.Add($"{env.Name}-{EasyPay.Tf.Stacks.TerraformCloudStack.Name}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StackIds), DisableDiscoveryEnumeration = true)]
    public void Stack_matches_its_approved_snapshot(string stackId) =>
        Snapshot.Match(SynthesizedApp.Repository.StackText(stackId), stackId);

    [Fact]
    public void The_app_synthesizes_exactly_the_known_stacks_of_every_environment()
    {
        SynthesizedApp.Repository.StackIds.Order(StringComparer.Ordinal)
            .ShouldBe(((IEnumerable<object[]>)StackIds()).Select(d => (string)d[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_machine_specific_path_reaches_the_synthesized_json()
    {
        var app = SynthesizedApp.Repository;
        foreach (var id in app.StackIds)
        {
            var text = app.StackText(id);
            text.ShouldNotContain(RepoPaths.Root, customMessage: $"{id} embeds the repository path");
            text.ShouldNotContain(app.OutDir, customMessage: $"{id} embeds the output path");
            text.ShouldNotContain(Path.GetTempPath(), customMessage: $"{id} embeds the temp path");
            text.ShouldNotContain(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/", customMessage: $"{id} embeds the home path");
        }
    }
}

/// <summary>The stacks every environment has, in dependency order (plus terraform-cloud where configured).</summary>
public static class KnownStacks
{
    public static readonly IReadOnlyList<string> Names =
    [
        EasyPay.Tf.Stacks.AccountStack.Name, EasyPay.Tf.Stacks.NetworkStack.Name, EasyPay.Tf.Stacks.ClusterStack.Name, EasyPay.Tf.Stacks.DatabaseStack.Name,
        EasyPay.Tf.Stacks.MonitoringStack.Name, EasyPay.Tf.Stacks.PlatformStack.Name,
    ];
}
