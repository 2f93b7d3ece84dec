using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Identity;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Identity;

public class TerraformCloudIdentityTests
{
    private static readonly PolicyStatement[] Permissions = [new("ReadCluster", ["eks:DescribeCluster"], ["*"])];

    private static JsonObject Synth(Func<TerraformCloudIdentity, WorkspaceRoleProps> props) => ConstructSynth.Stack((stack, _) =>
    {
        var identity = new TerraformCloudIdentity(stack, "identity", new TerraformCloudIdentityProps("app.terraform.io"));
        new WorkspaceRole(stack, "role", props(identity));
    });

    [Fact]
    public void The_provider_is_hcp_terraforms_issuer_with_the_aws_audience()
    {
        var provider = Synth(i => new WorkspaceRoleProps("easypay-test-tfc-network", i, "easypay", "easypay-test", "easypay-test-network", Permissions))
            .Single("aws_iam_openid_connect_provider");
        // HCP Terraform dynamic credentials: issuer https://app.terraform.io, default audience aws.workload.identity;
        // thumbprint_list is optional in AWS provider 6.x.
        provider.Str("url").ShouldBe("https://app.terraform.io");
        provider["client_id_list"].Strings().ShouldBe(["aws.workload.identity"]);
        provider["thumbprint_list"].ShouldBeNull();
    }

    [Fact]
    public void The_trust_names_one_workspace_and_each_run_phase_exactly()
    {
        var json = Synth(i => new WorkspaceRoleProps("easypay-test-tfc-network", i, "easypay", "easypay-test", "easypay-test-network", Permissions));
        var trust = JsonNode.Parse(json.Single("aws_iam_role").Str("assume_role_policy")!)!["Statement"]![0]!;
        trust.Str("Principal.Federated").ShouldBe($"${{aws_iam_openid_connect_provider.{json.Resources("aws_iam_openid_connect_provider")[0].Name}.arn}}");
        var equals = trust["Condition"]!["StringEquals"]!;
        equals["app.terraform.io:aud"]!.ToString().ShouldBe("aws.workload.identity");
        // sub: organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE (HCP Terraform workload identity docs).
        equals["app.terraform.io:sub"].Strings().ShouldBe(
        [
            "organization:easypay:project:easypay-test:workspace:easypay-test-network:run_phase:plan",
            "organization:easypay:project:easypay-test:workspace:easypay-test-network:run_phase:apply",
        ]);
        trust["Condition"]!.AsObject().Count.ShouldBe(1); // no StringLike: no wildcard anywhere
        JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!["Statement"]![0]!.Str("Sid").ShouldBe("ReadCluster");
    }

    [Fact]
    public void Wildcards_and_empty_permissions_are_rejected_together()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(i => new WorkspaceRoleProps("easypay-test-tfc-network", i, "easypay*", "easypay-test", "easypay-*", [])
        {
            RunPhases = ["plan", "destroy"],
        })).Message;
        message.ShouldContain("Invalid WorkspaceRoleProps (4 problem(s))");
        message.ShouldContain("WorkspaceRoleProps.Organization: 'easypay*' is not an organization name");
        message.ShouldContain("WorkspaceRoleProps.Workspace: 'easypay-*' is not a workspace name (letters, digits, - and _; no wildcard)");
        message.ShouldContain("WorkspaceRoleProps.RunPhases: [plan, destroy] must be a non-empty subset of plan, apply");
        message.ShouldContain("WorkspaceRoleProps.Statements: is empty");
    }

    [Fact]
    public void A_host_with_a_scheme_is_rejected()
    {
        Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new TerraformCloudIdentity(stack, "identity", new TerraformCloudIdentityProps("https://app.terraform.io"))))
            .Message.ShouldContain("TerraformCloudIdentityProps.Hostname: 'https://app.terraform.io' is not a host name");
    }
}
