using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Audit;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Audit;

public class ThreatDetectionTests
{
    private static JsonObject Synth(ThreatDetectionProps? props = null) =>
        ConstructSynth.Stack((stack, _) => new ThreatDetection(stack, "guardduty", props ?? new ThreatDetectionProps()));

    private static Dictionary<string, JsonObject> Features(JsonObject json) =>
        json.Resources("aws_guardduty_detector_feature").ToDictionary(f => f.Body.Str("name")!, f => f.Body);

    private static Dictionary<string, string> Additional(JsonObject feature) =>
        feature["additional_configuration"]!.AsArray().ToDictionary(a => a!.Str("name")!, a => a!.Str("status")!);

    [Fact]
    public void The_detector_is_enabled_and_publishes_updates_every_fifteen_minutes()
    {
        var json = Synth();
        var detector = json.Resources("aws_guardduty_detector").Single();
        // GuardDuty API, FindingPublishingFrequency: FIFTEEN_MINUTES | ONE_HOUR | SIX_HOURS.
        (detector.Body.Str("enable"), detector.Body.Str("finding_publishing_frequency")).ShouldBe(("true", "FIFTEEN_MINUTES"));
        detector.Body["datasources"].ShouldBeNull(); // deprecated in favour of aws_guardduty_detector_feature
        json.Resources("aws_guardduty_detector_feature").ShouldAllBe(f => f.Body.Str("detector_id") == $"${{aws_guardduty_detector.{detector.Name}.id}}");
    }

    [Fact]
    public void Every_protection_plan_the_platform_needs_is_enabled()
    {
        // Names: GuardDuty API reference, DetectorFeatureConfiguration (Valid Values), validated by the provider with
        // enum.Validate[awstypes.DetectorFeature] (internal/service/guardduty/detector_feature.go).
        var features = Features(Synth());
        features.Keys.Order().ShouldBe(["EBS_MALWARE_PROTECTION", "EKS_AUDIT_LOGS", "RDS_LOGIN_EVENTS", "RUNTIME_MONITORING", "S3_DATA_EVENTS"]);
        features.Values.ShouldAllBe(f => f.Str("status") == "ENABLED");
    }

    [Fact]
    public void Runtime_monitoring_manages_the_eks_add_on_and_no_other_agent()
    {
        // GuardDuty API reference, DetectorAdditionalConfiguration: EKS_ADDON_MANAGEMENT | ECS_FARGATE_AGENT_MANAGEMENT |
        // EC2_AGENT_MANAGEMENT; validated by the provider with enum.Validate[awstypes.FeatureAdditionalConfiguration].
        var runtime = Features(Synth())["RUNTIME_MONITORING"];
        Additional(runtime).ShouldBe(new Dictionary<string, string>
        {
            ["EKS_ADDON_MANAGEMENT"] = "ENABLED",
            ["ECS_FARGATE_AGENT_MANAGEMENT"] = "DISABLED",
            ["EC2_AGENT_MANAGEMENT"] = "DISABLED",
        }, ignoreOrder: true);
    }

    [Fact]
    public void The_legacy_eks_runtime_monitoring_plan_is_never_configured_beside_runtime_monitoring()
    {
        // GuardDuty API reference, DetectorFeatureConfiguration: "Specifying both EKS Runtime Monitoring (EKS_RUNTIME_MONITORING)
        // and Runtime Monitoring (RUNTIME_MONITORING) will cause an error"; the provider docs of aws_guardduty_detector_feature say the same.
        Features(Synth()).Keys.ShouldNotContain("EKS_RUNTIME_MONITORING");
        Features(Synth(new ThreatDetectionProps { EksRuntimeMonitoring = false })).Keys.ShouldNotContain("EKS_RUNTIME_MONITORING");
    }

    [Fact]
    public void Runtime_monitoring_can_be_switched_off_to_tear_down_a_vpc()
    {
        var runtime = Features(Synth(new ThreatDetectionProps { EksRuntimeMonitoring = false }))["RUNTIME_MONITORING"];
        runtime.Str("status").ShouldBe("DISABLED");
        Additional(runtime).Values.ShouldAllBe(s => s == "DISABLED");
    }

    [Fact]
    public void An_unknown_publishing_frequency_is_rejected()
    {
        Synth(new ThreatDetectionProps { FindingPublishingFrequency = "SIX_HOURS" }).Single("aws_guardduty_detector").Str("finding_publishing_frequency").ShouldBe("SIX_HOURS");
        Should.Throw<ArgumentException>(() => Synth(new ThreatDetectionProps { FindingPublishingFrequency = "5_MINUTES" })).Message
            .ShouldContain("ThreatDetectionProps.FindingPublishingFrequency: '5_MINUTES' is not one of FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS");
    }
}
