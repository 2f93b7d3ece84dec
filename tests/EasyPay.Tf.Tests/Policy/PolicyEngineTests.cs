using Constructs;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Policy.Rules;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf.Providers.Aws.Lb;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>The engine on a real synthesis: references into another stack resolve through CDKTF's remote
/// state and outputs, so a rule sees the network stack's subnets behind a consumer's subnet ids.</summary>
public class PolicyEngineTests
{
    private static readonly Lazy<(EnvironmentConfig Env, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> Stacks)> Synthesized = new(() =>
    {
        var env = TestEnvironments.Repository("staging");
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            _ = new ProbeStack(app, env, network.Outputs);
        });
        return (env, stacks);
    });

    [Fact]
    public void Subnet_ids_from_the_network_stack_resolve_to_its_subnets_and_their_AZs()
    {
        var (env, stacks) = Synthesized.Value;
        var probe = PolicyEngine.Contexts([env], stacks).Single(c => c.StackId == "staging-probe");
        var spanning = probe.Resources("aws_lb").Single(lb => TfValue.Text(lb["name"]) == "easypay-staging-spanning");

        var subnets = probe.References(spanning["subnets"]);

        subnets.Select(s => (s.Stack, s.Type)).Distinct().ShouldBe([("staging-network", "aws_subnet")]);
        subnets.Select(s => TfValue.Text(s["availability_zone"])).Order(StringComparer.Ordinal).ShouldBe(env.AvailabilityZones);
    }

    [Fact]
    public void A_rule_fails_the_consumer_whose_cross_stack_subnets_miss_an_AZ()
    {
        var (env, stacks) = Synthesized.Value;
        var violations = PolicyEngine.Run([AvailabilityRules.LoadBalancers], PolicyEngine.Contexts([env], stacks))
            .SelectMany(o => o.Violations).ToList();

        var violation = violations.ShouldHaveSingleItem();
        violation.Stack.ShouldBe("staging-probe");
        violation.Resource.ShouldStartWith("aws_lb.");
        violation.Message.ShouldContain("1 AZ(s) (eu-west-1a)");
    }

    /// <summary>A consumer of the network stack with one ALB across every public subnet and one in a single subnet.</summary>
    private sealed class ProbeStack : EasyPayStack
    {
        public ProbeStack(Construct scope, EnvironmentConfig env, NetworkOutputs network) : base(scope, env, "probe")
        {
            _ = new Lb(this, "spanning", new LbConfig { Name = $"{Prefix}-spanning", Subnets = [.. network.PublicSubnetIds] });
            _ = new Lb(this, "single", new LbConfig { Name = $"{Prefix}-single", Subnets = [network.PublicSubnetIds[0]] });
        }
    }
}
