using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Audit;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Audit;

public class FindingsRouteTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:123456789012:easypay-test-alarms";

    private static JsonObject Synth(FindingsRouteProps? props = null) =>
        ConstructSynth.Stack((stack, _) => new FindingsRoute(stack, "findings", props ?? new FindingsRouteProps("easypay-test-guardduty-findings", Topic)));

    [Fact]
    public void GuardDuty_findings_of_medium_severity_or_more_go_to_the_topic()
    {
        var json = Synth();
        var rule = json.Resources("aws_cloudwatch_event_rule").Single();
        rule.Body.Str("name").ShouldBe("easypay-test-guardduty-findings");
        rule.Body["event_bus_name"].ShouldBeNull(); // the default bus, where GuardDuty sends its events
        var pattern = JsonNode.Parse(rule.Body.Str("event_pattern")!)!;
        // EventBridge reference, "Amazon GuardDuty events": source aws.guardduty, detail-type "GuardDuty Finding".
        pattern["source"].Strings().ShouldBe(["aws.guardduty"]);
        pattern["detail-type"].Strings().ShouldBe(["GuardDuty Finding"]);
        // EventBridge user guide, "Content filtering" (numeric matching); GuardDuty user guide: Medium is 4.0-6.9.
        var numeric = pattern["detail"]!["severity"]![0]!["numeric"]!.AsArray();
        (numeric[0]!.GetValue<string>(), numeric[1]!.GetValue<int>()).ShouldBe((">=", 4));
        var target = json.Single("aws_cloudwatch_event_target");
        (target.Str("arn"), target.Str("rule")).ShouldBe((Topic, $"${{aws_cloudwatch_event_rule.{rule.Name}.name}}"));
        target["role_arn"].ShouldBeNull(); // EventBridge user guide: no RoleArn for SNS targets (breaks KMS-encrypted topics)
    }

    [Fact]
    public void A_higher_threshold_pages_only_high_and_critical_findings()
    {
        var pattern = JsonNode.Parse(Synth(new FindingsRouteProps("r", Topic) { MinimumSeverity = 7 }).Single("aws_cloudwatch_event_rule").Str("event_pattern")!)!;
        pattern["detail"]!["severity"]![0]!["numeric"]![1]!.GetValue<int>().ShouldBe(7);
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(new FindingsRouteProps("guardduty findings", "") { MinimumSeverity = 11 })).Message;
        message.ShouldContain("FindingsRouteProps.Name: 'guardduty findings' is not a rule name");
        message.ShouldContain("FindingsRouteProps.TopicArn: is required");
        message.ShouldContain("FindingsRouteProps.MinimumSeverity: 11 is outside GuardDuty's severity range 1-10");
    }
}
