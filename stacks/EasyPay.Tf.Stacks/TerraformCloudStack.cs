using Constructs;
using EasyPay.Tf.Modules.TerraformCloud;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>&lt;env&gt;-terraform-cloud: the environment's HCP Terraform project as code, applied first from an
/// administrator's machine with an organization token (TFE_TOKEN) and local state (README "From zero"): one
/// CLI-driven workspace per stack, each pinned to <see cref="TerraformVersion"/>; remote state shared exactly
/// along <see cref="EasyPayApp.Producers"/>; dynamic AWS credentials (each workspace assumes only its own role,
/// AccountStack.WorkspaceRoleName); the account workspace executing locally (administrator credentials, state
/// in HCP Terraform); the platform workspace on the agent pool whose agents run in the VPC (the EKS API is not
/// open to HashiCorp's workers).</summary>
public sealed class TerraformCloudStack : TerraformStack
{
    public const string Name = "terraform-cloud";

    /// <summary>The Terraform every workspace runs: the README's 1.11 line, the version the machines here have.</summary>
    public const string TerraformVersion = "1.11.4";

    /// <summary>The cluster stack's sensitive variable carrying the agent pool's token into Secrets Manager.</summary>
    public const string AgentTokenVariable = "tfc_agent_token";

    public TerraformCloudProject Project { get; }

    public TerraformCloudStack(Construct scope, EnvironmentConfig env) : base(scope, EasyPayStack.StackId(env.Name, Name))
    {
        var tfc = env.TerraformCloud ?? throw new ArgumentException($"{env.Name} has no terraformCloud block", nameof(env));
        // The root of trust: nothing exists yet to keep its state in (docs/terraform-cloud.md says how to move it).
        _ = new LocalBackend(this, new LocalBackendConfig { Path = EasyPayStack.LocalStatePath(EasyPayStack.StackId(env.Name, Name)) });
        _ = new TerraformCloudConnection(this, tfc.Hostname, tfc.Organization);

        var consumers = EasyPayApp.Consumers();
        string Workspace(string stack) => EasyPayStack.WorkspaceName(tfc, env.Name, stack);
        WorkspaceSpec Spec(string stack, string description) => new(Workspace(stack), description)
        {
            StateConsumers = [.. consumers[stack].Select(Workspace)],
        };
        IReadOnlyDictionary<string, string> Credentials(string stack) => new Dictionary<string, string>
        {
            // HCP Terraform dynamic provider credentials for AWS: the run exchanges its workload identity token
            // for this role (HCP Terraform docs, "Dynamic credentials with the AWS provider").
            ["TFC_AWS_PROVIDER_AUTH"] = "true",
            ["TFC_AWS_RUN_ROLE_ARN"] = AccountStack.WorkspaceRoleArn(env, stack),
        };
        var workspaces = new List<WorkspaceSpec>
        {
            Spec(AccountStack.Name, $"{env.Name}: account baseline, applied from an administrator's machine (local execution)") with { Mode = ExecutionMode.Local },
        };
        foreach (var stack in AccountStack.WorkspaceStacks)
        {
            var spec = Spec(stack, $"{env.Name}-{stack} (cdktf deploy {env.Name}-{stack})") with { EnvironmentVariables = Credentials(stack) };
            // No auto-apply anywhere: the platform's EKS token is ephemeral, opened again by the apply, so a plan may
            // wait for its confirmation.
            workspaces.Add(stack == PlatformStack.Name ? spec with { Mode = ExecutionMode.Agent } : spec);
        }
        Project = new TerraformCloudProject(this, "project", new TerraformCloudProjectProps(tfc.Organization, tfc.ProjectName(env.Name), TerraformVersion, workspaces)
        {
            AgentPoolName = $"{tfc.WorkspacePrefix}-{env.Name}",
        });
        Project.SensitiveVariable(Workspace(ClusterStack.Name), AgentTokenVariable, Project.AgentToken!,
            "Token of the agent pool; the cluster stack stores it in Secrets Manager for the agents");
        _ = new TerraformOutput(this, "project_id", new TerraformOutputConfig { Value = Project.ProjectId, Description = "HCP Terraform project of the environment's workspaces" });
    }
}
