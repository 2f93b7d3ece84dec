using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

public class EnvironmentLoaderTests
{
    [Fact]
    public void The_repository_environments_load_and_pass_every_rule()
    {
        var envs = TestEnvironments.All;
        envs.Select(e => e.Name).ShouldBe(["dev", "prod", "staging"]);
        var prod = envs.Single(e => e.Name == "prod");
        prod.Production.ShouldBeTrue();
        prod.AvailabilityZones.Count.ShouldBe(3);
        prod.Network.NatGateways.ShouldBe(NatGatewayMode.PerAz);
        var dev = envs.Single(e => e.Name == "dev");
        dev.Network.NatGateways.ShouldBe(NatGatewayMode.Single); // dev is cheap
        dev.TerraformCloud.ShouldBeNull();
    }

    [Fact]
    public void Every_environment_file_references_the_schema_for_editors()
    {
        foreach (var file in TestEnvironments.Files)
        {
            JsonNode.Parse(File.ReadAllText(file))!["$schema"]!.ToString().ShouldBe("./environment.schema.json", file);
        }
    }

    [Fact]
    public void A_filter_narrows_the_environments_but_every_file_is_still_validated()
    {
        using var files = new EnvironmentFiles();
        files.Load("dev", "prod").Select(e => e.Name).ShouldBe(["dev", "prod"]);

        files.Edit("staging", j => j["network"]!["vpcCidr"] = "10.20.0.0/33");
        files.Problems("dev").ShouldContain(p => p.StartsWith("environments/staging.json: network.vpcCidr:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_filter_naming_an_unknown_environment_is_an_error()
    {
        using var files = new EnvironmentFiles();
        files.Problems("qa").ShouldBe(["EASYPAY_ENVIRONMENTS: \"qa\" has no file environments/qa.json; known: dev, prod, staging"]);
    }

    [Fact]
    public void All_problems_of_all_files_are_reported_at_once()
    {
        using var files = new EnvironmentFiles();
        files.Edit("prod", j =>
        {
            j["network"]!["natGateways"] = "single";
            j["monitoring"]!["alarmEmails"] = new JsonArray();
        });
        files.Edit("dev", j => j["cluster"]!["nodeGroup"]!["minSizePerAz"] = 9);
        var problems = files.Problems();
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: network.natGateways:", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: monitoring.alarmEmails:", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/dev.json: cluster.nodeGroup.minSizePerAz:", StringComparison.Ordinal));
        var message = Should.Throw<EnvironmentConfigException>(() => files.Load()).Message;
        message.ShouldStartWith($"Invalid environment configuration ({problems.Count} problem(s)); nothing was synthesized:");
    }

    [Fact]
    public void The_schema_validator_refuses_keywords_it_does_not_implement()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string","format":"email"}}}""");
        Should.Throw<NotSupportedException>(() => new SchemaValidator(doc.RootElement)).Message.ShouldContain("'format'");
    }
}
