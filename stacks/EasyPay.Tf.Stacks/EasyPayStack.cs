using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>What every stack of the platform shares: the id "&lt;env&gt;-&lt;stack&gt;", its backend (local
/// state, or a Terraform Cloud workspace "&lt;prefix&gt;-&lt;env&gt;-&lt;stack&gt;"), the AWS provider pinned
/// to the environment's account and region, and the four default tags.</summary>
public abstract class EasyPayStack : TerraformStack
{
    public const string ProjectTag = "EasyPay";
    public const string ManagedByTag = "cdktf";

    public EnvironmentConfig Env { get; }

    /// <summary>What the environment's production flag means for this stack's resources.</summary>
    public Posture Posture { get; }

    public AwsEnvironment Aws { get; }

    /// <summary>Prefix of every resource name, e.g. easypay-prod.</summary>
    public string Prefix => Env.ResourcePrefix;

    protected EasyPayStack(Construct scope, EnvironmentConfig env, string stackName)
        : base(scope, StackId(env.Name, stackName))
    {
        Env = env;
        Posture = env.Posture;
        ConfigureBackend(this, env, stackName);
        Aws = new AwsEnvironment(this, new AwsEnvironmentProps(env.Region, env.AccountId, DefaultTags(env, stackName)));
        _ = new KeyGovernance(this, KeyGovernanceOf(env, stackName));
    }

    /// <summary>Who administers this stack's KMS keys. With Terraform Cloud a workspace stack is applied by its own
    /// role only, which becomes the keys' administrator with the break-glass role (the admin role and every other
    /// workspace role lose key administration). The account stack and local applies have no fixed identity, so
    /// IAM keeps deciding (the AWS default policy). Where nothing is destroyed, only break-glass may schedule a
    /// key's deletion.</summary>
    public static KeyGovernanceProps KeyGovernanceOf(EnvironmentConfig env, string stackName)
    {
        IReadOnlyList<string> breakGlass = AccountStack.BreakGlassRoleArn(env) is { } arn ? [arn] : [];
        return new KeyGovernanceProps
        {
            Administrators = env.TerraformCloud is not null && AccountStack.WorkspaceStacks.Contains(stackName)
                ? [AccountStack.WorkspaceRoleArn(env, stackName), .. breakGlass]
                : [],
            BreakGlass = breakGlass,
            ProtectFromDeletion = env.Posture.DeletionProtection && breakGlass.Count > 0,
        };
    }

    public static string StackId(string env, string stackName) => $"{env}-{stackName}";

    /// <summary>A stack output for operators (<c>cdktf output</c>), always with a description.</summary>
    protected void Output(string name, string description, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _ = new TerraformOutput(this, name, new TerraformOutputConfig { Value = value, Description = description });
    }

    public static IReadOnlyDictionary<string, string> DefaultTags(EnvironmentConfig env, string stackName) => new Dictionary<string, string>
    {
        ["Project"] = ProjectTag,
        ["Environment"] = env.Name,
        ["Stack"] = stackName,
        ["ManagedBy"] = ManagedByTag,
    };

    /// <summary>Local state lives beside the repository root as terraform.&lt;stack-id&gt;.tfstate. The path is
    /// relative to the stack's working directory (cdktf.out/stacks/&lt;id&gt;), and CDKTF copies it into the
    /// consumers' remote-state lookups, so the synthesized JSON is the same wherever the repo is cloned
    /// (the default would embed the absolute path of the synthesizing machine).</summary>
    public static string LocalStatePath(string stackId) => $"../../../terraform.{stackId}.tfstate";

    public static string WorkspaceName(TerraformCloudConfig tfc, string env, string stackName) =>
        $"{tfc.WorkspacePrefix}-{StackId(env, stackName)}";

    private static void ConfigureBackend(TerraformStack stack, EnvironmentConfig env, string stackName)
    {
        if (env.TerraformCloud is { } tfc)
        {
            // Consumers read this workspace's outputs through terraform_remote_state (remote backend):
            // the workspace must share its state with them (README: Terraform Cloud).
            _ = new CloudBackend(stack, new CloudBackendConfig
            {
                Organization = tfc.Organization,
                Hostname = tfc.Hostname,
                Workspaces = new NamedCloudWorkspace(WorkspaceName(tfc, env.Name, stackName)),
            });
        }
        else
        {
            _ = new LocalBackend(stack, new LocalBackendConfig { Path = LocalStatePath(StackId(env.Name, stackName)) });
        }
    }
}
