using Constructs;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Stacks;

public class BackendTests
{
    [Fact]
    public void Without_terraform_cloud_a_stack_keeps_local_state_beside_the_repository()
    {
        var dev = SynthesizedApp.Repository.Stack("dev-network");
        dev["terraform"]!["backend"]!["local"]!["path"]!.ToString().ShouldBe("../../../terraform.dev-network.tfstate");
        dev["terraform"]!["cloud"].ShouldBeNull();
    }

    [Fact]
    public void With_terraform_cloud_every_stack_gets_its_own_named_workspace()
    {
        var prod = SynthesizedApp.Repository.Stack("prod-network");
        var cloud = prod["terraform"]!["cloud"]!;
        cloud["organization"]!.ToString().ShouldBe("easypay");
        cloud["hostname"]!.ToString().ShouldBe("app.terraform.io");
        cloud["workspaces"]!["name"]!.ToString().ShouldBe("easypay-prod-network");
        prod["terraform"]!["backend"].ShouldBeNull();
    }

    [Fact]
    public void The_aws_provider_is_pinned_to_the_account_and_region_and_tags_everything()
    {
        foreach (var env in new[] { "dev", "staging", "prod" })
        {
            var provider = SynthesizedApp.Repository.Stack($"{env}-network")["provider"]!["aws"]![0]!;
            var config = TestEnvironments.Repository(env);
            provider["region"]!.ToString().ShouldBe(config.Region);
            provider["allowed_account_ids"].Strings().ShouldBe([config.AccountId]);
            var tags = provider["default_tags"]![0]!["tags"]!.AsObject();
            tags.Select(t => (t.Key, t.Value!.ToString())).ShouldBe(
                [("Environment", env), ("ManagedBy", "cdktf"), ("Project", "EasyPay"), ("Stack", "network")], ignoreOrder: true);
        }
    }

    /// <summary>A consumer stack reading the network stack's typed outputs: the cross-stack reference
    /// must become a remote-state lookup of the producer's state, in either backend mode.</summary>
    private sealed class ConsumerStack : EasyPayStack
    {
        public ConsumerStack(Construct scope, EnvironmentConfig env, NetworkOutputs network) : base(scope, env, "consumer")
        {
            _ = new TerraformOutput(this, "vpc", new TerraformOutputConfig { Value = network.VpcId });
            _ = new TerraformOutput(this, "first_private_subnet", new TerraformOutputConfig { Value = network.PrivateSubnetIds[0] });
        }
    }

    private static (System.Text.Json.Nodes.JsonObject Producer, System.Text.Json.Nodes.JsonObject Consumer) SynthPair(EnvironmentConfig env)
    {
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            _ = new ConsumerStack(app, env, network.Outputs);
        });
        return (stacks[$"{env.Name}-network"], stacks[$"{env.Name}-consumer"]);
    }

    [Fact]
    public void Cross_stack_references_read_the_producers_local_state_by_a_relative_path()
    {
        var dev = TestEnvironments.Repository("dev");
        var (producer, consumer) = SynthPair(dev);
        var lookup = consumer.DataSources("terraform_remote_state").ShouldHaveSingleItem().Body;
        lookup["backend"]!.ToString().ShouldBe("local");
        lookup["config"]!["path"]!.ToString().ShouldBe("../../../terraform.dev-network.tfstate");
        producer["output"]!.AsObject().Count.ShouldBe(2); // the VPC id and the subnet id, exported for the consumer
        consumer["output"]!["vpc"]!["value"]!.ToString().ShouldContain("data.terraform_remote_state.");
    }

    [Fact]
    public void Cross_stack_references_read_the_producers_terraform_cloud_workspace()
    {
        var prod = TestEnvironments.Repository("prod");
        var (_, consumer) = SynthPair(prod);
        var lookup = consumer.DataSources("terraform_remote_state").ShouldHaveSingleItem().Body;
        lookup["backend"]!.ToString().ShouldBe("remote");
        lookup["config"]!["organization"]!.ToString().ShouldBe("easypay");
        lookup["config"]!["workspaces"]!["name"]!.ToString().ShouldBe("easypay-prod-network");
    }

    [Fact]
    public void Stack_ids_and_resource_names_carry_the_environment()
    {
        foreach (var env in SynthesizedApp.Repository.Environments)
        {
            env.Network.Node.Id.ShouldBe($"{env.Env.Name}-network");
            env.Network.Prefix.ShouldBe($"easypay-{env.Env.Name}");
        }
    }
}
