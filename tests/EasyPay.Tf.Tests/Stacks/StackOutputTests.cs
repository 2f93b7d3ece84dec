using System.Text.Json.Nodes;
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

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_monitoring_stack_reads_the_web_acl_name_from_the_cluster_stacks_state(string env)
    {
        var app = SynthesizedApp.Repository;
        var cluster = app.Stack($"{env}-cluster");
        var aclName = cluster.Resources("aws_wafv2_web_acl").ShouldHaveSingleItem().Name;
        // The cluster stack exports the name for the consumer (CDKTF's cross-stack output) ...
        var exported = cluster["output"]!.AsObject().Single(o => o.Key.StartsWith(CrossStackPrefix, StringComparison.Ordinal)
            && o.Value.Str("value") == $"${{aws_wafv2_web_acl.{aclName}.name}}").Key;
        // ... and every WebACL dimension of the monitoring stack's WAF alarms is that output, read through remote state.
        var alarms = app.Stack($"{env}-monitoring").Resources("aws_cloudwatch_metric_alarm").Where(a => a.Body.Str("alarm_name")!.StartsWith($"easypay-{env}-waf-", StringComparison.Ordinal)).ToList();
        alarms.Count.ShouldBe(2);
        var dimensions = alarms.SelectMany(a => a.Body["metric_query"] is JsonArray q
            ? q.Where(x => x!["metric"] is not null).Select(x => x.Str("metric.dimensions.WebACL"))
            : [a.Body.Str("dimensions.WebACL")]).ToList();
        dimensions.ShouldNotBeEmpty();
        dimensions.ShouldAllBe(d => d == $"${{data.terraform_remote_state.cross-stack-reference-input-{env}-cluster.outputs.{exported}}}");
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex SnakeCase();
}
