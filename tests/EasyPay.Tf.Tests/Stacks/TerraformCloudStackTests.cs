using System.Reflection;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

public class TerraformCloudStackTests
{
    private static JsonObject Stack(string env) => SynthesizedApp.Repository.Stack($"{env}-terraform-cloud");

    private static (string Name, JsonObject Body) Workspace(JsonObject stack, string name) =>
        stack.Resources("tfe_workspace").Single(w => w.Body.Str("name") == name);

    private static string Ref(string type, string name, string attribute = "id") => $"${{{type}.{name}.{attribute}}}";

    [Fact]
    public void Only_environments_with_terraform_cloud_get_the_stack()
    {
        SynthesizedApp.Repository.StackIds.Where(id => id.EndsWith("-terraform-cloud", StringComparison.Ordinal))
            .ShouldBe(["prod-terraform-cloud", "staging-terraform-cloud"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void It_keeps_local_state_and_talks_only_to_terraform_cloud(string env)
    {
        var stack = Stack(env);
        stack["terraform"]!["backend"]!["local"]!["path"]!.ToString().ShouldBe($"../../../terraform.{env}-terraform-cloud.tfstate");
        stack["provider"]!.AsObject().Select(p => p.Key).ShouldBe(["tfe"]);
        stack["provider"]!["tfe"]![0]!.Str("organization").ShouldBe("easypay");
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void One_cli_driven_workspace_per_stack_with_the_pinned_terraform(string env)
    {
        var stack = Stack(env);
        var config = TestEnvironments.Repository(env);
        var expected = new[] { AccountStack.Name }.Concat(AccountStack.WorkspaceStacks).Select(s => EasyPayStack.WorkspaceName(config.TerraformCloud!, env, s));
        var workspaces = stack.Resources("tfe_workspace");
        workspaces.Select(w => w.Body.Str("name")).ShouldBe(expected, ignoreOrder: true);
        var project = stack.Single("tfe_project");
        project.Str("name").ShouldBe($"easypay-{env}");
        foreach (var (_, body) in workspaces)
        {
            body.Str("terraform_version").ShouldBe(TerraformCloudStack.TerraformVersion);
            body.Str("project_id").ShouldBe(Ref("tfe_project", stack.Resources("tfe_project")[0].Name));
            body.Str("queue_all_runs").ShouldBe("false");
            body.Str("force_delete").ShouldBe("false");
            body["vcs_repo"].ShouldBeNull();
        }
        // The repository's other stacks all have a workspace: nothing is applied outside the project.
        SynthesizedApp.Repository.StackIds.Where(id => id.StartsWith($"{env}-", StringComparison.Ordinal) && id != $"{env}-terraform-cloud")
            .Select(id => EasyPayStack.WorkspaceName(config.TerraformCloud!, env, id[(env.Length + 1)..])).ShouldBe(expected, ignoreOrder: true);
    }

    private static Dictionary<string, (string Mode, string? Pool, string AutoApply, IReadOnlyList<string> Consumers, string Global)> Settings(string env)
    {
        var stack = Stack(env);
        var ids = stack.Resources("tfe_workspace").ToDictionary(w => Ref("tfe_workspace", w.Name), w => w.Body.Str("name")!);
        return stack.Resources("tfe_workspace_settings").ToDictionary(
            s => ids[s.Body.Str("workspace_id")!],
            s => (s.Body.Str("execution_mode")!, s.Body.Str("agent_pool_id"), s.Body.Str("auto_apply")!,
                (IReadOnlyList<string>)[.. s.Body["remote_state_consumer_ids"].Strings().Select(c => ids[c])], s.Body.Str("global_remote_state")!));
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Account_runs_locally_platform_on_the_agents_and_the_rest_remotely_none_auto_applied(string env)
    {
        var settings = Settings(env);
        // tfe_workspace_settings execution_mode: remote, local or agent (tfe provider docs).
        foreach (var (workspace, s) in settings)
        {
            var stack = workspace[$"easypay-{env}-".Length..];
            s.Mode.ShouldBe(stack switch { AccountStack.Name => "local", PlatformStack.Name => "agent", _ => "remote" }, workspace);
            // Every apply is confirmed (the platform's EKS token is ephemeral: the apply opens its own).
            s.AutoApply.ShouldBe("false", workspace);
            (s.Pool is not null).ShouldBe(stack == PlatformStack.Name, workspace);
            s.Global.ShouldBe("false", workspace);
        }
        var pool = Stack(env).Single("tfe_agent_pool");
        pool.Str("organization_scoped").ShouldBe("false");
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void State_is_shared_exactly_along_the_dependency_graph_of_the_stack_constructors(string env)
    {
        var config = TestEnvironments.Repository(env);
        string Workspace(string stack) => EasyPayStack.WorkspaceName(config.TerraformCloud!, env, stack);
        var fromConstructors = ConstructorGraph();
        var shared = Settings(env);
        foreach (var (producer, consumers) in fromConstructors)
        {
            shared[Workspace(producer)].Consumers.ShouldBe([.. consumers.Select(Workspace)], ignoreOrder: true, producer);
        }
        shared.Keys.ShouldBe([.. fromConstructors.Keys.Select(Workspace)], ignoreOrder: true);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_remote_state_lookup_reads_a_workspace_that_shares_with_the_reader(string env)
    {
        var config = TestEnvironments.Repository(env);
        var shared = Settings(env);
        foreach (var consumer in AccountStack.WorkspaceStacks)
        {
            var reader = EasyPayStack.WorkspaceName(config.TerraformCloud!, env, consumer);
            foreach (var (_, lookup) in SynthesizedApp.Repository.Stack($"{env}-{consumer}").DataSources("terraform_remote_state"))
            {
                var producer = lookup.Str("config.workspaces.name")!;
                shared[producer].Consumers.ShouldContain(reader, $"{reader} reads {producer}");
            }
        }
    }

    /// <summary>Who reads whom, from the stack constructors' parameter types (AccountOutputs → account, ...):
    /// producer → consumers.</summary>
    private static Dictionary<string, List<string>> ConstructorGraph()
    {
        var stackTypes = typeof(EasyPayStack).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(EasyPayStack)) && !t.IsAbstract).ToList();
        string NameOf(Type stack) => (string)stack.GetField("Name", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var producerOf = stackTypes.ToDictionary(t => t.GetProperty("Outputs")?.PropertyType ?? typeof(void), NameOf);
        var graph = stackTypes.ToDictionary(NameOf, _ => new List<string>());
        foreach (var stack in stackTypes)
        {
            foreach (var parameter in stack.GetConstructors().Single().GetParameters().Where(p => producerOf.ContainsKey(p.ParameterType)))
            {
                graph[producerOf[parameter.ParameterType]].Add(NameOf(stack));
            }
        }
        return graph;
    }

    [Fact]
    public void The_declared_graph_is_the_constructor_graph()
    {
        var declared = EasyPayApp.Consumers();
        foreach (var (producer, consumers) in ConstructorGraph())
        {
            declared[producer].ShouldBe(consumers, ignoreOrder: true, producer);
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Each_remote_workspace_assumes_only_its_own_role_and_the_account_workspace_none(string env)
    {
        var config = TestEnvironments.Repository(env);
        var stack = Stack(env);
        var ids = stack.Resources("tfe_workspace").ToDictionary(w => Ref("tfe_workspace", w.Name), w => w.Body.Str("name")!);
        var variables = stack.Resources("tfe_variable").Select(v => v.Body).Where(v => v.Str("category") == "env")
            .GroupBy(v => ids[v.Str("workspace_id")!]).ToDictionary(g => g.Key, g => g.ToDictionary(v => v.Str("key")!, v => v.Str("value")!));
        variables.ShouldNotContainKey(EasyPayStack.WorkspaceName(config.TerraformCloud!, env, AccountStack.Name));
        foreach (var workspaceStack in AccountStack.WorkspaceStacks)
        {
            var vars = variables[EasyPayStack.WorkspaceName(config.TerraformCloud!, env, workspaceStack)];
            // HCP Terraform AWS dynamic credentials: TFC_AWS_PROVIDER_AUTH=true and TFC_AWS_RUN_ROLE_ARN.
            vars["TFC_AWS_PROVIDER_AUTH"].ShouldBe("true");
            vars["TFC_AWS_RUN_ROLE_ARN"].ShouldBe($"arn:aws:iam::{config.AccountId}:role/easypay-{env}-tfc-{workspaceStack}");
        }
        // The role names the terraform-cloud stack uses are the ones the account stack creates.
        var roles = SynthesizedApp.Repository.Stack($"{env}-account").Resources("aws_iam_role").Select(r => r.Body.Str("name")).ToList();
        foreach (var workspaceStack in AccountStack.WorkspaceStacks)
        {
            roles.ShouldContain(AccountStack.WorkspaceRoleName(config, workspaceStack));
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_agent_token_reaches_only_the_cluster_workspace_as_a_sensitive_variable(string env)
    {
        var config = TestEnvironments.Repository(env);
        var stack = Stack(env);
        var token = stack.Single("tfe_agent_token");
        var variable = stack.Resources("tfe_variable").Single(v => v.Body.Str("key") == TerraformCloudStack.AgentTokenVariable).Body;
        (variable.Str("category"), variable.Str("sensitive")).ShouldBe(("terraform", "true"));
        variable.Str("value").ShouldBe(Ref("tfe_agent_token", stack.Resources("tfe_agent_token")[0].Name, "token"));
        var cluster = Workspace(stack, EasyPayStack.WorkspaceName(config.TerraformCloud!, env, ClusterStack.Name));
        variable.Str("workspace_id").ShouldBe(Ref("tfe_workspace", cluster.Name));
        token.Str("agent_pool_id").ShouldStartWith("${tfe_agent_pool.");
    }
}
