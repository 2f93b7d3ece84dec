using System.Text.Json.Nodes;
using EasyPay.Tf.Report.Resilience;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Report;

/// <summary>Changes that break a target must show in the report.</summary>
public class ScenarioTests
{
    [Fact]
    public void Prod_without_readers_misses_its_infrastructure_target_when_the_writer_fails()
    {
        var prod = TestEnvironments.Repository("prod");
        // The environment rules reject this for production; the report must say why independently of them.
        var facts = ReportFixture.Facts(prod, stacks =>
        {
            var instances = stacks["database"]["resource"]!["aws_rds_cluster_instance"]!.AsObject();
            foreach (var reader in instances.Select(kv => kv.Key).Skip(1).ToList())
            {
                instances.Remove(reader);
            }
        });
        var writer = ReportFixture.Scenario(facts, "database-writer");
        // Aurora User Guide, high availability: without a replica the primary is recreated, "typically less than 10 minutes".
        writer.ServiceImpact.Value.ShouldBe(600);
        writer.Capacity.ShouldBe(CapacityVerdict.Insufficient);
        var judged = ResilienceModel.Assess(facts, ReportFixture.Data, []).Scenarios.Single(s => s.Id == "database-writer");
        judged.Verdict.ShouldBe(Verdict.NotMet); // prod's infrastructure RTO is 5 min
        judged.Reasons.ShouldContain(r => r.StartsWith("RTO:", StringComparison.Ordinal));
    }

    [Fact]
    public void Pods_too_big_for_the_nodes_left_after_an_az_loss_fail_the_az_scenario()
    {
        var prod = TestEnvironments.Repository("prod");
        var defaults = ReportFixture.ChartDefaults.Replace("      cpu: 250m", "      cpu: \"4\"", StringComparison.Ordinal);
        var zone = ResilienceModel.Assess(ReportFixture.Facts(prod, chartDefaults: defaults), ReportFixture.Data, [])
            .Scenarios.Single(s => s.Id == "availability-zone");
        zone.Capacity.ShouldBe(CapacityVerdict.Insufficient);
        zone.ServiceImpact.Bounded.ShouldBeFalse();
        zone.Verdict.ShouldBe(Verdict.NotMet);
    }

    [Fact]
    public void A_five_minute_alarm_period_shows_in_the_detection_time_of_a_bad_release()
    {
        var prod = TestEnvironments.Repository("prod");
        var before = ReportFixture.Scenario(ReportFixture.Facts(prod), "bad-deployment");
        var facts = ReportFixture.Facts(prod, stacks =>
        {
            var slo = stacks["monitoring"]["resource"]!["aws_cloudwatch_metric_alarm"]!.AsObject()
                .Single(a => a.Value!["alarm_name"]!.ToString().EndsWith("-payment-failure-slo", StringComparison.Ordinal)).Value!;
            foreach (var query in slo["metric_query"]!.AsArray().Where(q => q!["metric"] is not null))
            {
                query!["metric"]!["period"] = 300;
            }
        });
        var after = ReportFixture.Scenario(facts, "bad-deployment");
        // CloudWatch "Evaluating an alarm": M breaching datapoints of period P, so at least M × P.
        (before.Detection.Value, after.Detection.Value).ShouldBe((60d, 300d));
        after.ServiceImpact.Value.ShouldBe(before.ServiceImpact.Value + 240);
    }

    [Fact]
    public void Zone_spread_that_still_counts_the_lost_zone_caps_scale_out_while_it_is_down()
    {
        // Kubernetes topology spread: with DoNotSchedule and the lost zone at zero pods, each remaining zone may
        // hold at most maxSkew pods more than the minimum (0). nodeTaintsPolicy Ignore keeps the zone's NotReady
        // nodes (and so the zone) in the spread.
        var ignore = ReportFixture.ChartDefaults.Replace("nodeTaintsPolicy: Honor", "nodeTaintsPolicy: Ignore", StringComparison.Ordinal);
        ignore.ShouldNotBe(ReportFixture.ChartDefaults);
        var capped = ReportFixture.Scenario(ReportFixture.Facts(TestEnvironments.Repository("prod"), chartDefaults: ignore), "availability-zone");
        capped.Capacity.ShouldBe(CapacityVerdict.Degraded);
        capped.CapacityLeft.ShouldContain("backend at most 2 pods");

        // The chart's Honor drops the lost zone's tainted nodes: nothing caps the remaining zones.
        var zone = ReportFixture.Of("prod").Resilience.Scenarios.Single(s => s.Id == "availability-zone");
        zone.CapacityLeft.ShouldNotContain("zone spread");
    }

    [Fact]
    public void A_waiver_for_a_scenario_that_meets_its_targets_is_stale()
    {
        var stale = EasyPay.Tf.Report.ReportBuilder.StaleWaivers(ReportFixture.Reports,
            [new Waiver("prod", "pod", "no longer true", "nowhere"), new Waiver("prod", "region", "real gap", "issue")]);
        stale.ShouldBe(["report/waivers.json: prod/pod: the scenario is not missed (or does not exist): remove the waiver"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_az_at_its_node_group_maximum_holds_its_share_of_the_pods_at_the_hpa_ceilings(string environment)
    {
        var env = TestEnvironments.Repository(environment);
        var fits = ResilienceModel.PeakFit(ReportFixture.Facts(env), ReportFixture.Data);
        fits.Count.ShouldBe(env.AvailabilityZones.Count);
        fits.ShouldAllBe(z => z.Fits, string.Join(Environment.NewLine, fits));
    }

    [Fact]
    public void A_node_group_maximum_too_small_for_the_peak_is_caught()
    {
        // prod at 10x: 30 frontend and 30 backend pods, 10 of each per AZ: 3.5 vCPU of requests plus the add-ons'.
        var prod = TestEnvironments.Repository("prod");
        var facts = ReportFixture.Facts(prod);
        var oneNode = facts with { NodeGroups = [.. facts.NodeGroups.Select(g => g with { Max = 1 })] };
        var fits = ResilienceModel.PeakFit(oneNode, ReportFixture.Data);
        fits.ShouldAllBe(z => !z.Fits);
        fits[0].Pods.ShouldBe("frontend 10 of 30, backend 10 of 30");
    }
}
