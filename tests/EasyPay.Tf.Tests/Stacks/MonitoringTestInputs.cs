using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Literal stand-ins for the cluster and database stacks' outputs (written in parallel), so the
/// monitoring stack can be synthesized against the real network stack and environment files.</summary>
public static class MonitoringTestInputs
{
    public const string AlbArnSuffix = "app/easypay-test-alb/0123456789abcdef";
    public const string FrontendTargetGroup = "targetgroup/easypay-test-frontend/1111111111111111";
    public const string ApiTargetGroup = "targetgroup/easypay-test-api/2222222222222222";
    public const string AlbDnsName = "easypay-test-alb-123456789.eu-west-1.elb.amazonaws.com";
    public const string AlbZoneId = "Z32O12XQLNTSW2";

    public static EnvironmentConfig Load(string env) => EnvironmentLoader.LoadAll(RepoPaths.Environments, [env])[0];

    public static ClusterOutputs Cluster(EnvironmentConfig env) => UpstreamOutputs.Cluster(env) with
    {
        AlbArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:loadbalancer/{AlbArnSuffix}",
        AlbArnSuffix = AlbArnSuffix,
        AlbDnsName = AlbDnsName,
        AlbZoneId = AlbZoneId,
        FrontendTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:{FrontendTargetGroup}",
        ApiTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:{ApiTargetGroup}",
        FrontendTargetGroupArnSuffix = FrontendTargetGroup,
        ApiTargetGroupArnSuffix = ApiTargetGroup,
    };

    public static DatabaseOutputs Database(EnvironmentConfig env) => UpstreamOutputs.Database(env);

    /// <summary>Synthesizes the real network stack and the monitoring stack of <paramref name="env"/>.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env) => Synth(env, out _);

    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env, out MonitoringOutputs outputs)
    {
        MonitoringOutputs? captured = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            captured = new MonitoringStack(app, env, network.Outputs, Cluster(env), Database(env), RepoPaths.App).Outputs;
        });
        outputs = captured!;
        return stacks;
    }
}
