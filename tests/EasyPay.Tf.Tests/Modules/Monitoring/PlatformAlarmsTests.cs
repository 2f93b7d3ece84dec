using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Monitoring;

/// <summary>The platform's alarm catalogue as data: no synthesis needed.</summary>
public class PlatformAlarmsTests
{
    private static readonly AuroraInstanceClass Xlarge = AuroraInstanceClass.Parse("db.r6g.xlarge");

    internal static PlatformSignals Signals(int instances = 3, int nodeMin = 3, int cacheNodes = 3) => new()
    {
        AlbArnSuffix = "app/easypay-test/1",
        FrontendTargetGroupArnSuffix = "targetgroup/frontend/2",
        ApiTargetGroupArnSuffix = "targetgroup/api/3",
        ClusterName = "easypay-test",
        NodeGroupMinSize = nodeMin,
        DbClusterIdentifier = "easypay-test",
        DbInstanceIdentifiers = [.. Enumerable.Range(1, instances).Select(i => $"easypay-test-{i}")],
        DbMaxConnections = Xlarge.DefaultMaxConnections,
        DbInstanceMemoryGiB = Xlarge.MemoryGiB,
        NatGatewayIds = ["nat-1", "nat-2", "nat-3"],
        Waf = Waf(blocks: true),
        Cache = new CacheSignals("easypay-test", [.. Enumerable.Range(1, cacheNodes).Select(i => $"easypay-test-{i:000}")]),
    };

    private static WafSignals Waf(bool blocks) =>
        new("easypay-test-edge", "eu-west-1", ["easypay-test-aws-ip-reputation", "easypay-test-api-rate", "easypay-test-aws-common"], "easypay-test-api-rate", blocks);

    private static AlarmDefinition Alarm(string name, PlatformSignals? s = null) =>
        PlatformAlarms.Definitions(s ?? Signals()).Single(a => a.Name == name);

    [Fact]
    public void Every_alarm_evaluates_60_second_periods_and_critical_ones_fire_on_one_datapoint()
    {
        var alarms = PlatformAlarms.Definitions(Signals()).Append(PlatformAlarms.HealthCheck("hc-1")).ToList();
        alarms.ShouldAllBe(a => a.PeriodSeconds == 60);
        alarms.Where(a => a.Severity == AlarmSeverity.Critical).ShouldAllBe(a => a.DatapointsToAlarm == 1);
        alarms.Where(a => a.Severity == AlarmSeverity.Warning).ShouldAllBe(a => a.DatapointsToAlarm > 1);
        alarms.ShouldAllBe(a => a.Description.Contains("Check first:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_payment_failure_slo_is_api_5xx_over_api_requests_guarded_against_division_by_zero()
    {
        var slo = Alarm("payment-failure-slo");
        var math = slo.Metric.ShouldBeOfType<MetricMath>();
        math.Expression.ShouldBe("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)");
        math.Inputs["errors"].MetricName.ShouldBe("HTTPCode_Target_5XX_Count");
        math.Inputs["requests"].MetricName.ShouldBe("RequestCount");
        math.Inputs.Values.ShouldAllBe(m => m.Dimensions["TargetGroup"] == "targetgroup/api/3" && m.Statistic == "Sum");
        (slo.Threshold, slo.Comparison).ShouldBe((0.5, AlarmComparison.GreaterThanThreshold));
        (slo.Severity, slo.PeriodSeconds, slo.DatapointsToAlarm, slo.EvaluationPeriods).ShouldBe((AlarmSeverity.Critical, 60, 1, 5));
    }

    [Fact]
    public void Database_thresholds_derive_from_the_instance_class()
    {
        var connections = Alarm("db-writer-connections");
        connections.Threshold.ShouldBe(Math.Floor(Xlarge.DefaultMaxConnections * 0.8));
        connections.Description.ShouldContain($"max_connections {Xlarge.DefaultMaxConnections}");
        Alarm("db-reader-connections").Threshold.ShouldBe(connections.Threshold);
        var memory = Alarm("db-writer-freeable-memory");
        memory.Threshold.ShouldBe(Math.Round(32 * 0.1 * 1024 * 1024 * 1024)); // 3.2 GiB of db.r6g.xlarge's 32
        memory.Comparison.ShouldBe(AlarmComparison.LessThanThreshold);
        Alarm("db-writer-cpu").Threshold.ShouldBe(80);
        Alarm("db-replica-lag").Threshold.ShouldBe(1000);
        // Role metrics follow the writer through a failover.
        connections.Metric.ShouldBeOfType<MetricStat>().Dimensions.ShouldBe(
            new Dictionary<string, string> { ["DBClusterIdentifier"] = "easypay-test", ["Role"] = "WRITER" });
    }

    [Fact]
    public void The_node_count_alarm_fires_below_the_node_group_minimum_and_treats_silence_as_no_nodes()
    {
        var nodes = Alarm("eks-node-count", Signals(nodeMin: 4));
        (nodes.Threshold, nodes.Comparison, nodes.TreatMissingData).ShouldBe((4, AlarmComparison.LessThanThreshold, MissingData.Breaching));
        nodes.Metric.ShouldBeOfType<MetricStat>().MetricName.ShouldBe("cluster_node_count");
    }

    [Fact]
    public void A_node_not_ready_for_10_minutes_is_reported_before_auto_repair_replaces_it()
    {
        // cluster_failed_node_count cannot do this: the agent's failedNodeConditions (MemoryPressure, DiskPressure,
        // PIDPressure, NetworkUnavailable) leave out Ready, and cluster_node_count counts NotReady nodes too.
        var alarm = Alarm("eks-nodes-not-ready");
        var math = alarm.Metric.ShouldBeOfType<MetricMath>();
        // A negative difference (a Ready sample landing in the next minute) never crosses the > 0 threshold.
        math.Expression.ShouldBe("total - FILL(ready, 0)");
        (math.Inputs["total"].MetricName, math.Inputs["total"].Statistic).ShouldBe(("cluster_node_count", "Maximum"));
        math.Inputs["ready"].MetricName.ShouldBe("node_status_condition_ready");
        (alarm.Threshold, alarm.Comparison, alarm.EvaluationPeriods, alarm.DatapointsToAlarm).ShouldBe((0, AlarmComparison.GreaterThanThreshold, 10, 8));
    }

    [Fact]
    public void The_restart_alarm_uses_a_dimension_set_container_insights_publishes()
    {
        // amazon-cloudwatch-agent v1.300060.0 translator/translate/otel/exporter/awsemf/kubernetes.go: with enhanced
        // Container Insights (the add-on's default) pod_number_of_container_restarts is declared with {ClusterName};
        // cluster_node_count and node_cpu_utilization with {ClusterName} in both modes.
        foreach (var name in new[] { "eks-pod-restarts", "eks-node-count", "eks-node-cpu" })
        {
            var metric = Alarm(name).Metric.ShouldBeOfType<MetricStat>();
            metric.Namespace.ShouldBe("ContainerInsights");
            metric.Dimensions.Keys.ShouldBe(["ClusterName"]);
        }
        Alarm("eks-pod-restarts").Metric.ShouldBeOfType<MetricStat>().MetricName.ShouldBe("pod_number_of_container_restarts");
    }

    [Fact]
    public void Missing_data_is_chosen_per_alarm()
    {
        Alarm("alb-5xx").TreatMissingData.ShouldBe(MissingData.NotBreaching);
        Alarm("alb-frontend-unhealthy-hosts").TreatMissingData.ShouldBe(MissingData.NotBreaching);
        Alarm("db-replica-lag").TreatMissingData.ShouldBe(MissingData.NotBreaching);
        Alarm("db-writer-cpu").TreatMissingData.ShouldBe(MissingData.Ignore);
        PlatformAlarms.HealthCheck("hc-1").TreatMissingData.ShouldBe(MissingData.Breaching);
    }

    [Fact]
    public void The_frontend_pods_get_one_unhealthy_host_alarm_and_every_target_group_a_latency_alarm()
    {
        var names = PlatformAlarms.Definitions(Signals()).Select(a => a.Name).ToList();
        // Both target groups hold the frontend pods: one unhealthy-hosts alarm; the backend has no target group.
        names.Where(n => n.EndsWith("-unhealthy-hosts", StringComparison.Ordinal)).ShouldBe(["alb-frontend-unhealthy-hosts"]);
        names.ShouldContain("alb-frontend-latency-p95");
        names.ShouldNotContain(n => n.Contains("backend", StringComparison.Ordinal));
        var latency = Alarm("alb-api-latency-p95");
        latency.Metric.ShouldBeOfType<MetricStat>().Dimensions["TargetGroup"].ShouldBe("targetgroup/api/3");
        latency.Metric.ShouldBeOfType<MetricStat>().Statistic.ShouldBe("p95");
        latency.Threshold.ShouldBe(1);
    }

    [Fact]
    public void Without_readers_there_are_no_reader_or_replica_lag_alarms()
    {
        var names = PlatformAlarms.Definitions(Signals(instances: 1)).Select(a => a.Name).ToList();
        names.ShouldNotContain("db-replica-lag");
        names.ShouldNotContain("db-reader-connections");
        PlatformAlarms.Composites(Signals(instances: 1)).Single().AnyOf.ShouldBe(["db-writer-cpu", "db-writer-connections", "db-writer-freeable-memory"]);
    }

    [Fact]
    public void Database_degraded_combines_every_database_alarm()
    {
        var composite = PlatformAlarms.Composites(Signals()).ShouldHaveSingleItem();
        composite.Name.ShouldBe("database-degraded");
        composite.AnyOf.ShouldBe(PlatformAlarms.Definitions(Signals()).Select(a => a.Name).Where(n => n.StartsWith("db-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Nat_port_allocation_errors_of_every_gateway_are_summed()
    {
        var math = Alarm("nat-port-allocation-errors").Metric.ShouldBeOfType<MetricMath>();
        math.Expression.ShouldBe("FILL(nat0, 0) + FILL(nat1, 0) + FILL(nat2, 0)");
        math.Inputs.Values.Select(m => m.Dimensions["NatGatewayId"]).ShouldBe(["nat-1", "nat-2", "nat-3"]);
    }

    [Fact]
    public void Invalid_signals_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => PlatformAlarms.Definitions(Signals() with
        {
            NodeGroupMinSize = 0,
            DbInstanceIdentifiers = [],
            DbMaxConnections = 0,
            NatGatewayIds = [],
        })).Message;
        message.ShouldContain("PlatformSignals.NodeGroupMinSize: 0 must be at least 1");
        message.ShouldContain("PlatformSignals.DbInstanceIdentifiers: is empty");
        message.ShouldContain("PlatformSignals.DbMaxConnections: 0 must be positive");
        message.ShouldContain("PlatformSignals.NatGatewayIds: is empty");
    }

    [Fact]
    public void The_dashboard_shows_requests_latency_errors_slo_hosts_database_and_cluster()
    {
        var widgets = PlatformDashboard.Widgets(Signals(), ["arn:alarm:1", "arn:alarm:2"]);
        widgets[0].ShouldBeOfType<AlarmStatusWidget>().AlarmArns.ShouldBe(["arn:alarm:1", "arn:alarm:2"]);
        var titles = widgets.Select(w => w.Title).ToList();
        foreach (var expected in new[] { "Requests per minute", "Target response time (s)", "5xx per minute", "Payment failure SLO (% of /api requests)",
            "Healthy frontend pods (ALB)", "Aurora CPU per instance (%)", "Aurora connections per instance", "Aurora replica lag per instance (ms)", "EKS nodes and pods" })
        {
            titles.ShouldContain(expected);
        }
        var cpu = widgets.OfType<GraphWidget>().Single(w => w.Title == "Aurora CPU per instance (%)");
        cpu.Metrics.Cast<MetricStat>().Select(m => m.Dimensions["DBInstanceIdentifier"]).ShouldBe(["easypay-test-1", "easypay-test-2", "easypay-test-3"]);
        widgets.OfType<GraphWidget>().Single(w => w.Title.StartsWith("Payment failure SLO", StringComparison.Ordinal)).Metrics.ShouldHaveSingleItem()
            .ShouldBeOfType<MetricMath>().Expression.ShouldBe(PlatformMetrics.PaymentFailurePercent(Signals()).Expression); // the graph shows what the alarm evaluates
    }

    [Fact]
    public void Docs_alarms_md_explains_every_alarm()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "alarms.md"));
        var names = PlatformAlarms.Definitions(Signals()).Select(a => a.Name)
            .Concat(PlatformAlarms.Composites(Signals()).Select(c => c.Name))
            .Append(PlatformAlarms.HealthCheckAlarm);
        foreach (var name in names)
        {
            doc.ShouldContain($"`easypay-<env>-{name}`", customMessage: $"docs/alarms.md does not explain {name}");
        }
    }

    [Theory]
    [InlineData(true, "BlockedRequests")]
    [InlineData(false, "CountedRequests")]
    public void Waf_alarms_watch_what_the_rules_do_in_their_mode_and_fire_within_a_minute(bool blocks, string metric)
    {
        // AWS WAF developer guide, "AWS WAF metrics and dimensions": namespace AWS/WAFV2, dimensions WebACL, Region and
        // Rule; rules in Count mode report their matches as Count metrics. WAF reports once a minute.
        var s = Signals() with { Waf = Waf(blocks) };
        var spike = Alarm("waf-blocked-spike", s);
        spike.Severity.ShouldBe(AlarmSeverity.Critical);
        spike.Threshold.ShouldBe(PlatformAlarms.WafMatchesPerMinute);
        var math = spike.Metric.ShouldBeOfType<MetricMath>();
        math.Inputs.Values.Select(m => m.Dimensions["Rule"]).ShouldBe(s.Waf!.RuleMetricNames, ignoreOrder: true);
        math.Inputs.Values.ShouldAllBe(m => m.Namespace == "AWS/WAFV2" && m.MetricName == metric && m.Statistic == "Sum"
            && m.Dimensions["WebACL"] == "easypay-test-edge" && m.Dimensions["Region"] == "eu-west-1");
        var rate = Alarm("waf-api-rate-limited", s);
        var stat = rate.Metric.ShouldBeOfType<MetricStat>();
        (stat.MetricName, stat.Dimensions["Rule"], rate.Threshold, rate.Comparison).ShouldBe((metric, "easypay-test-api-rate", 0, AlarmComparison.GreaterThanThreshold));
        foreach (var alarm in new[] { spike, rate })
        {
            // One 60-second datapoint (OBS-002): the defaults of AlarmDefinition.
            (alarm.PeriodSeconds * alarm.DatapointsToAlarm).ShouldBeLessThanOrEqualTo(60);
            alarm.TreatMissingData.ShouldBe(MissingData.NotBreaching);
        }
    }

    [Fact]
    public void Without_a_web_acl_there_are_no_waf_alarms()
    {
        PlatformAlarms.Definitions(Signals() with { Waf = null }).ShouldNotContain(a => a.Name.StartsWith("waf-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rate_rule_outside_the_web_acl_is_rejected()
    {
        var s = Signals() with { Waf = Waf(true) with { RateRuleMetricName = "easypay-test-other" } };
        Should.Throw<ArgumentException>(() => PlatformAlarms.Definitions(s)).Message.ShouldContain("Waf.RateRuleMetricName");
    }
}
