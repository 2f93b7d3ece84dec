using System.Text.Json.Nodes;
using EasyPay.Tf.Report;
using EasyPay.Tf.Report.Output;
using EasyPay.Tf.Report.Resilience;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Report;

public class ReportTests
{
    public const string PagePath = "docs/report.md";

    [Fact]
    public void Every_environment_meets_its_targets_or_names_the_waiver_that_accepts_the_gap()
    {
        var failing = ReportFixture.Reports.SelectMany(r => r.Resilience.Scenarios
            .Where(s => s.Verdict is Verdict.NotMet or Verdict.Unknown)
            .Select(s => $"{r.Environment}/{s.Id}: {s.Verdict}: {string.Join("; ", s.Reasons)}")).ToList();
        failing.ShouldBeEmpty();
        ReportBuilder.StaleWaivers(ReportFixture.Reports, RepoPaths.App).ShouldBeEmpty();
    }

    [Fact]
    public void Every_environment_is_assessed_in_all_nine_scenarios_and_every_disruption_type()
    {
        foreach (var report in ReportFixture.Reports)
        {
            report.Resilience.Scenarios.Select(s => s.Id).ShouldBe(
                ["pod", "bad-deployment", "secret-rotation", "node", "database-writer", "cache-primary", "nat-gateway", "availability-zone", "region"], report.Environment);
            report.Resilience.Scenarios.Select(s => s.Type).Distinct().Count().ShouldBe(4);
        }
    }

    [Fact]
    public void Report_page_is_current()
    {
        var page = ReportWriter.Markdown(ReportFixture.Reports);
        var path = Path.Combine(RepoPaths.Root, PagePath);
        if (Environment.GetEnvironmentVariable("EASYPAY_UPDATE_REPORT") == "1")
        {
            File.WriteAllText(path, page);
        }
        File.ReadAllText(path).ShouldBe(page, $"{PagePath} is stale: EASYPAY_UPDATE_REPORT=1 npm test -- --filter Report_page_is_current");
    }

    [Fact]
    public void Every_stack_resource_type_is_priced_declared_free_or_listed_as_unpriced()
    {
        foreach (var report in ReportFixture.Reports)
        {
            // An unknown type must show up in the report, never vanish into a zero.
            report.Cost.Unpriced.Where(u => u.Why.StartsWith("resource type the cost model does not know", StringComparison.Ordinal))
                .ShouldBeEmpty(report.Environment);
            report.Cost.Lines.ShouldAllBe(l => l.Price != null && l.Price.Value > 0);
        }
    }

    [Fact]
    public void A_kubernetes_version_past_standard_support_is_priced_at_the_extended_rate()
    {
        // EKS pricing: 0.60 USD per cluster-hour in extended support instead of 0.10 (report/data/prices-eu-west-1.json).
        var env = TestEnvironments.Repository("dev");
        var facts = ReportFixture.Facts(env, stacks =>
        {
            var cluster = stacks["cluster"]["resource"]!["aws_eks_cluster"]!.AsObject().Single().Value!.AsObject();
            cluster["version"] = "1.33";
        });
        var line = EasyPay.Tf.Report.Cost.CostModel.Estimate(facts, ReportFixture.Data).Lines.Single(l => l.Item.StartsWith("EKS control plane", StringComparison.Ordinal));
        line.Item.ShouldBe("EKS control plane (Kubernetes 1.33: extended support)");
        line.Price!.Value.ShouldBe(0.60);
        ReportFixture.Of("dev").Cost.Lines.Single(l => l.Item == "EKS control plane").Price!.Value.ShouldBe(0.10);
    }

    [Fact]
    public void An_unknown_resource_type_is_listed_not_priced_at_zero()
    {
        var env = TestEnvironments.Repository("dev");
        var facts = ReportFixture.Facts(env, stacks => stacks["network"]["resource"]!.AsObject()["aws_transfer_server"] = new JsonObject { ["x"] = new JsonObject() });
        var cost = EasyPay.Tf.Report.Cost.CostModel.Estimate(facts, ReportFixture.Data);
        cost.Unpriced.ShouldContain(u => u.Stack == "network" && u.What == "aws_transfer_server");
    }

    [Fact]
    public void Fargate_agents_are_priced_from_the_synthesized_service_and_task_definition()
    {
        // Fargate bills the task's configured vCPU and memory per hour (AWS Price List EU-Fargate-vCPU-Hours:perCPU,
        // EU-Fargate-GB-Hours); the quantities follow desired_count, cpu and memory, not constants in the model.
        var env = TestEnvironments.Repository("staging");
        var facts = ReportFixture.Facts(env, stacks =>
        {
            var cluster = stacks["cluster"]["resource"]!.AsObject();
            cluster["aws_ecs_service"]!.AsObject().Single().Value!["desired_count"] = 1;
            var task = cluster["aws_ecs_task_definition"]!.AsObject().Single().Value!.AsObject();
            task["cpu"] = "2048";
            task["memory"] = "4096";
        });
        var lines = EasyPay.Tf.Report.Cost.CostModel.Estimate(facts, ReportFixture.Data).Lines.Where(l => l.Item.StartsWith("Fargate", StringComparison.Ordinal)).ToList();
        lines.Single(l => l.Price!.Key == "fargate.linux.x86_64.vcpuHour").Quantity.ShouldBe(2 * 730);
        lines.Single(l => l.Price!.Key == "fargate.linux.x86_64.gbHour").Quantity.ShouldBe(4 * 730);
        ReportFixture.Of("dev").Cost.Lines.ShouldNotContain(l => l.Item.StartsWith("Fargate", StringComparison.Ordinal));
    }

    [Fact]
    public void Prod_costs_more_than_staging_and_staging_more_than_dev()
    {
        // Three AZs, NAT per AZ, on-demand nodes and two readers against one NAT, spot nodes and no reader.
        var (dev, staging, prod) = (ReportFixture.Of("dev").Cost.TotalUsd, ReportFixture.Of("staging").Cost.TotalUsd, ReportFixture.Of("prod").Cost.TotalUsd);
        (prod > staging && staging > dev).ShouldBeTrue($"dev {dev:0}, staging {staging:0}, prod {prod:0}");
    }

    [Fact]
    public void The_delta_shows_cost_change_and_every_moved_scenario()
    {
        var head = ReportWriter.Summary(ReportFixture.Reports);
        var baseline = JsonNode.Parse(head.ToJsonString())!.AsObject();
        baseline["prod"]!["costUsd"] = Math.Round(head["prod"]!["costUsd"]!.GetValue<double>() / 1.4, 2);
        baseline["prod"]!["scenarios"]!["availability-zone"]!["rtoSeconds"] = 1200;
        var delta = ReportWriter.Delta(baseline, head);
        delta.ShouldContain("| prod |");
        delta.ShouldContain("+40%");
        delta.ShouldContain("prod / availability-zone: rtoSeconds 20 min → 70 s");
        ReportWriter.Delta(head, head).ShouldContain("No scenario changed.");
    }
}
