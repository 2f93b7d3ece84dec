using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Monitoring;

public class AlarmSetTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:123456789012:easypay-test-alarms";

    private static readonly MetricStat Errors = new("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum",
        new Dictionary<string, string> { ["LoadBalancer"] = "app/test/1" });

    private static AlarmDefinition Critical(string name = "alb-5xx") =>
        new(name, "Load balancer errors. Check first: target health.", Errors, AlarmComparison.GreaterThanThreshold, 10,
            AlarmSeverity.Critical, MissingData.NotBreaching);

    private static JsonObject Synth(AlarmSetProps props) =>
        ConstructSynth.Stack((stack, _) => new AlarmSet(stack, "alarms", props));

    [Fact]
    public void A_critical_alarm_fires_on_one_60_second_datapoint_and_notifies_the_topic_on_alarm_and_ok()
    {
        var alarm = Synth(new AlarmSetProps("easypay-test", Topic, [Critical()])).Single("aws_cloudwatch_metric_alarm");
        alarm.Str("alarm_name").ShouldBe("easypay-test-alb-5xx");
        alarm.Str("alarm_description")!.ShouldStartWith("[CRITICAL] Load balancer errors. Check first:");
        (alarm.Str("period"), alarm.Str("evaluation_periods"), alarm.Str("datapoints_to_alarm")).ShouldBe(("60", "1", "1"));
        alarm["alarm_actions"].Strings().ShouldBe([Topic]);
        alarm["ok_actions"].Strings().ShouldBe([Topic]);
        (alarm.Str("namespace"), alarm.Str("metric_name"), alarm.Str("statistic")).ShouldBe(("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum"));
        alarm.Str("dimensions.LoadBalancer").ShouldBe("app/test/1");
        alarm.Str("treat_missing_data").ShouldBe("notBreaching");
        alarm.Str("tags.Severity").ShouldBe("Critical");
    }

    [Fact]
    public void A_percentile_becomes_an_extended_statistic()
    {
        var p95 = Critical() with { Metric = Errors with { Statistic = "p95" } };
        var alarm = Synth(new AlarmSetProps("easypay-test", Topic, [p95])).Single("aws_cloudwatch_metric_alarm");
        alarm.Str("extended_statistic").ShouldBe("p95");
        alarm["statistic"].ShouldBeNull();
    }

    [Fact]
    public void Metric_math_returns_only_the_expression_and_evaluates_its_inputs_every_60_seconds()
    {
        var math = new MetricMath("IF(b > 0, 100 * FILL(a, 0) / b, 0)", new Dictionary<string, MetricStat> { ["a"] = Errors, ["b"] = Errors with { MetricName = "RequestCount" } });
        var alarm = Synth(new AlarmSetProps("easypay-test", Topic, [Critical() with { Metric = math }])).Single("aws_cloudwatch_metric_alarm");
        alarm["metric_name"].ShouldBeNull();
        alarm["period"].ShouldBeNull();
        var queries = alarm["metric_query"]!.AsArray();
        queries.Select(q => (q.Str("id"), q.Str("return_data"))).ShouldBe([("a", "false"), ("b", "false"), (AlarmSet.ExpressionId, "true")]);
        queries[2].Str("expression").ShouldBe("IF(b > 0, 100 * FILL(a, 0) / b, 0)");
        queries.Take(2).ShouldAllBe(q => q.Str("metric.period") == "60");
        queries[1].Str("metric.metric_name").ShouldBe("RequestCount");
    }

    [Fact]
    public void A_composite_alarm_combines_the_named_alarms_of_the_set_and_notifies_too()
    {
        var json = Synth(new AlarmSetProps("easypay-test", Topic, [Critical("a"), Critical("b")])
        {
            Composites = [new CompositeAlarmDefinition("both", "A or B. Check first: which one.", ["a", "b"], AlarmSeverity.Critical)],
        });
        var composite = json.Single("aws_cloudwatch_composite_alarm");
        composite.Str("alarm_name").ShouldBe("easypay-test-both");
        var names = json.Resources("aws_cloudwatch_metric_alarm").Select(a => a.Name).ToList();
        composite.Str("alarm_rule").ShouldBe(string.Join(" OR ", names.Select(n => $"ALARM(\"${{aws_cloudwatch_metric_alarm.{n}.alarm_name}}\")")));
        composite["alarm_actions"].Strings().ShouldBe([Topic]);
        composite["ok_actions"].Strings().ShouldBe([Topic]);
    }

    [Fact]
    public void Alarms_can_live_in_another_region()
    {
        var alarm = Synth(new AlarmSetProps("easypay-test", Topic, [Critical()]) { Region = "us-east-1" }).Single("aws_cloudwatch_metric_alarm");
        alarm.Str("region").ShouldBe("us-east-1");
    }

    [Fact]
    public void Invalid_definitions_report_every_problem_at_once()
    {
        var props = new AlarmSetProps("easypay-test", "",
        [
            Critical() with { PeriodSeconds = 300 },
            Critical("slow") with { EvaluationPeriods = 3, DatapointsToAlarm = 3 },
            Critical("slow") with { Description = " " },
            Critical("Bad_Name") with { Metric = Errors with { Statistic = "Median" } },
            Critical("warn") with { Severity = AlarmSeverity.Warning, EvaluationPeriods = 2, DatapointsToAlarm = 3 },
            Critical("math") with { Metric = new MetricMath("x", new Dictionary<string, MetricStat> { ["Upper"] = Errors }) },
        ])
        {
            Composites = [new CompositeAlarmDefinition("combined", "Check first: children.", ["nope"], AlarmSeverity.Critical)],
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("AlarmSetProps.TopicArn: is required");
        message.ShouldContain("AlarmSetProps.Alarms[0] (alb-5xx): PeriodSeconds 300 must be 10, 30 or 60");
        message.ShouldContain("AlarmSetProps.Alarms[0] (alb-5xx): is critical: use PeriodSeconds 60 and DatapointsToAlarm 1");
        message.ShouldContain("AlarmSetProps.Alarms[1] (slow): is critical: use PeriodSeconds 60 and DatapointsToAlarm 1");
        message.ShouldContain("AlarmSetProps.Alarms: 'slow' is defined 2 times");
        message.ShouldContain("AlarmSetProps.Alarms[2] (slow): Description must say what the alarm means and what to check first");
        message.ShouldContain("AlarmSetProps.Alarms[3] (Bad_Name): name 'Bad_Name' must be lower-case");
        message.ShouldContain("AlarmSetProps.Alarms[3] (Bad_Name): statistic 'Median' must be one of");
        message.ShouldContain("AlarmSetProps.Alarms[4] (warn): DatapointsToAlarm 3 must be between 1 and EvaluationPeriods 2");
        message.ShouldContain("AlarmSetProps.Alarms[5] (math): input id 'Upper' must start with a lower-case letter");
        message.ShouldContain("AlarmSetProps.Composites[0] (combined): AnyOf names 'nope', which is not a metric alarm of this set");
    }
}
