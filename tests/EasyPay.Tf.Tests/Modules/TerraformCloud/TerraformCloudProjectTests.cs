using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.TerraformCloud;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.TerraformCloud;

public class TerraformCloudProjectTests
{
    private static JsonObject Synth(IReadOnlyList<WorkspaceSpec> workspaces, string? pool = "easypay-test") => ConstructSynth.Stack((stack, _) =>
        new TerraformCloudProject(stack, "project", new TerraformCloudProjectProps("easypay", "easypay-test", "1.11.4", workspaces) { AgentPoolName = pool }));

    private static readonly WorkspaceSpec[] Two =
    [
        new("easypay-test-network", "network") { StateConsumers = ["easypay-test-platform"] },
        new("easypay-test-platform", "platform") { Mode = ExecutionMode.Agent, AutoApply = true, EnvironmentVariables = new Dictionary<string, string> { ["TFC_AWS_PROVIDER_AUTH"] = "true" } },
    ];

    [Fact]
    public void Workspaces_are_cli_driven_pinned_and_in_the_project()
    {
        var json = Synth(Two);
        foreach (var (_, workspace) in json.Resources("tfe_workspace"))
        {
            workspace.Str("terraform_version").ShouldBe("1.11.4");
            workspace.Str("project_id").ShouldStartWith("${tfe_project.");
            (workspace.Str("queue_all_runs"), workspace.Str("force_delete"), workspace.Str("file_triggers_enabled")).ShouldBe(("false", "false", "false"));
            // Settings that tfe_workspace_settings manages are not set here too (tfe docs: permanent drift otherwise).
            workspace["execution_mode"].ShouldBeNull();
            workspace["auto_apply"].ShouldBeNull();
        }
    }

    [Fact]
    public void State_is_shared_only_with_the_named_consumers_and_agents_only_with_agent_workspaces()
    {
        var json = Synth(Two);
        var ids = json.Resources("tfe_workspace").ToDictionary(w => w.Body.Str("name")!, w => $"${{tfe_workspace.{w.Name}.id}}");
        var settings = json.Resources("tfe_workspace_settings").ToDictionary(s => s.Body.Str("workspace_id")!, s => s.Body);
        var network = settings[ids["easypay-test-network"]];
        (network.Str("execution_mode"), network.Str("global_remote_state"), network.Str("auto_apply")).ShouldBe(("remote", "false", "false"));
        network["remote_state_consumer_ids"].Strings().ShouldBe([ids["easypay-test-platform"]]);
        network["agent_pool_id"].ShouldBeNull();
        var platform = settings[ids["easypay-test-platform"]];
        (platform.Str("execution_mode"), platform.Str("auto_apply")).ShouldBe(("agent", "true"));
        // The pool id comes from the allow-list resource, so the workspace is allowed before it is assigned (tfe docs example).
        platform.Str("agent_pool_id").ShouldStartWith("${tfe_agent_pool_allowed_workspaces.");
        json.Single("tfe_agent_pool_allowed_workspaces")["allowed_workspace_ids"].Strings().ShouldBe([ids["easypay-test-platform"]]);
        json.Single("tfe_agent_pool").Str("organization_scoped").ShouldBe("false");
        var variable = json.Single("tfe_variable");
        (variable.Str("category"), variable.Str("key"), variable.Str("value"), variable.Str("workspace_id")).ShouldBe(("env", "TFC_AWS_PROVIDER_AUTH", "true", ids["easypay-test-platform"]));
    }

    [Fact]
    public void Without_agent_workspaces_there_is_no_pool_and_no_token()
    {
        var json = Synth([new("easypay-test-network", "network")], pool: null);
        json.Resources("tfe_agent_pool").ShouldBeEmpty();
        json.Resources("tfe_agent_token").ShouldBeEmpty();
    }

    [Fact]
    public void Bad_names_versions_consumers_and_a_missing_pool_are_reported_together()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new TerraformCloudProject(stack, "project",
            new TerraformCloudProjectProps("easypay", "ep", "~> 1.11", [
                new("easypay test", "x") { StateConsumers = ["nobody"] },
                new("easypay-test-platform", "platform") { Mode = ExecutionMode.Agent },
            ])))).Message;
        message.ShouldContain("Invalid TerraformCloudProjectProps (5 problem(s))");
        message.ShouldContain("TerraformCloudProjectProps.TerraformVersion: '~> 1.11' is not an exact Terraform version");
        message.ShouldContain("state consumer 'nobody' is not a workspace of this project");
        message.ShouldContain("TerraformCloudProjectProps.AgentPoolName: is missing");
    }
}
