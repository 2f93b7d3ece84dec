using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Monitoring;

public class DashboardTests
{
    private static readonly MetricStat Requests = new("AWS/ApplicationELB", "RequestCount", "Sum",
        new Dictionary<string, string> { ["LoadBalancer"] = "app/test/1", ["TargetGroup"] = "targetgroup/tg/2" }) { Label = "requests" };

    private static (JsonObject Json, Dashboard Dashboard) Synth(DashboardProps props)
    {
        Dashboard? dashboard = null;
        var json = ConstructSynth.Stack((stack, _) => dashboard = new Dashboard(stack, "dashboard", props));
        return (json, dashboard!);
    }

    [Fact]
    public void The_body_lays_widgets_out_in_rows_of_24_columns()
    {
        var (json, dashboard) = Synth(new DashboardProps("easypay-test",
        [
            new AlarmStatusWidget("Alarms", ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]) { Width = 24, Height = 4 },
            new GraphWidget("One", [Requests]),
            new GraphWidget("Two", [Requests]),
            new GraphWidget("Three", [Requests]) { Height = 8 },
        ]));
        var resource = json.Single("aws_cloudwatch_dashboard");
        resource.Str("dashboard_name").ShouldBe("easypay-test");
        resource.Str("dashboard_body").ShouldBe(dashboard.Body);
        var widgets = JsonNode.Parse(dashboard.Body)!["widgets"]!.AsArray();
        widgets.Select(w => (w.Str("type"), w.Str("x"), w.Str("y"), w.Str("width"))).ShouldBe(
            [("alarm", "0", "0", "24"), ("metric", "0", "4", "12"), ("metric", "12", "4", "12"), ("metric", "0", "10", "12")]);
        widgets[0]!["properties"]!["alarms"].Strings().ShouldBe(["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]);
    }

    [Fact]
    public void Metrics_render_as_dashboard_rows_and_metric_math_hides_its_inputs()
    {
        var math = new MetricMath("100 * a / b", new Dictionary<string, MetricStat> { ["a"] = Requests, ["b"] = Requests }) { Label = "ratio" };
        var (_, dashboard) = Synth(new DashboardProps("easypay-test",
            [new GraphWidget("Graph", [Requests, math]) { Lines = [new HorizontalLine("limit", 0.5)], YAxisLabel = "%" }]));
        var properties = JsonNode.Parse(dashboard.Body)!["widgets"]![0]!["properties"]!;
        properties.Str("region").ShouldBe("eu-west-1");
        properties.Str("period").ShouldBe("60");
        var rows = properties["metrics"]!.AsArray();
        rows[0]!.ToJsonString().ShouldBe("""["AWS/ApplicationELB","RequestCount","LoadBalancer","app/test/1","TargetGroup","targetgroup/tg/2",{"stat":"Sum","label":"requests"}]""");
        rows[1]![6]!.ToJsonString().ShouldBe("""{"stat":"Sum","id":"a","visible":false}""");
        rows[3]!.ToJsonString().ShouldBe("""[{"expression":"100 * a / b","label":"ratio","id":"e1"}]""");
        properties.Str("annotations.horizontal.0.value").ShouldBe("0.5");
        properties.Str("yAxis.left.label").ShouldBe("%");
    }

    [Fact]
    public void The_url_opens_the_dashboard_in_the_console_of_its_region()
    {
        var (_, dashboard) = Synth(new DashboardProps("easypay-test", [new GraphWidget("One", [Requests])]));
        dashboard.Url.ShouldBe("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=easypay-test");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var math = new MetricMath("a", new Dictionary<string, MetricStat> { ["a"] = Requests });
        var message = Should.Throw<ArgumentException>(() => Synth(new DashboardProps("easypay test",
        [
            new GraphWidget("Wide", [Requests]) { Width = 30 },
            new GraphWidget("Empty", []),
            new GraphWidget("Clash", [math, math]),
            new AlarmStatusWidget("No alarms", []),
        ]))).Message;
        message.ShouldContain("DashboardProps.Name: 'easypay test' is not a dashboard name");
        message.ShouldContain("DashboardProps.Widgets[0] (Wide): Width 30 must be 1-24 columns");
        message.ShouldContain("DashboardProps.Widgets[1] (Empty): has no metrics");
        message.ShouldContain("DashboardProps.Widgets[2] (Clash): metric-math input id 'a' is used by two expressions");
        message.ShouldContain("DashboardProps.Widgets[3] (No alarms): lists no alarms");
    }
}
