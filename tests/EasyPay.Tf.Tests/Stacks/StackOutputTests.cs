using System.Text.RegularExpressions;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

public partial class StackOutputTests
{
    /// <summary>CDKTF's own outputs for cross-stack references: generated, sensitive, not for operators.</summary>
    private const string CrossStackPrefix = "cross-stack-output-";

    [Fact]
    public void Every_operator_output_of_every_stack_has_a_description()
    {
        var app = SynthesizedApp.Repository;
        var undescribed = app.StackIds
            .SelectMany(id => (app.Stack(id)["output"]?.AsObject() ?? []).Select(o => (id, o.Key, o.Value)))
            .Where(o => !o.Key.StartsWith(CrossStackPrefix, StringComparison.Ordinal) && string.IsNullOrWhiteSpace(o.Value.Str("description")))
            .Select(o => $"{o.id}: {o.Key}")
            .ToList();
        undescribed.ShouldBeEmpty();
    }

    [Fact]
    public void The_cluster_stack_exports_every_field_of_its_outputs_record()
    {
        var outputs = SynthesizedApp.Repository.Stack("prod-cluster")["output"]!.AsObject()
            .Select(o => o.Key).Where(k => !k.StartsWith(CrossStackPrefix, StringComparison.Ordinal));
        outputs.ShouldBe(typeof(ClusterOutputs).GetProperties().Select(p => SnakeCase().Replace(p.Name, "_$1").ToLowerInvariant()), ignoreOrder: true);
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex SnakeCase();
}
