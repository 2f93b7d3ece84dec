using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.IamOpenidConnectProvider;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;

namespace EasyPay.Tf.Modules.Identity;

/// <summary>Props of <see cref="TerraformCloudIdentity"/>.</summary>
/// <param name="Hostname">HCP Terraform / Terraform Enterprise host, e.g. app.terraform.io: the token issuer is
/// https://HOSTNAME and its claims are prefixed HOSTNAME: in IAM conditions.</param>
public sealed record TerraformCloudIdentityProps(string Hostname)
{
    /// <summary>The aud claim the workspaces request (TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE). @default "aws.workload.identity"</summary>
    public string Audience { get; init; } = TerraformCloudIdentity.DefaultAudience;
}

/// <summary>The account's IAM OIDC provider for HCP Terraform's workload identity tokens (dynamic provider
/// credentials): each workspace's runs exchange their token for their own role's credentials, so no AWS key
/// is stored anywhere. No thumbprint: IAM verifies this issuer against its own trusted CAs and the
/// provider's thumbprint_list is optional (AWS provider 6.x).</summary>
public sealed class TerraformCloudIdentity : Construct
{
    /// <summary>HashiCorp's default audience for AWS (HCP Terraform docs, "Dynamic credentials with the AWS provider").</summary>
    public const string DefaultAudience = "aws.workload.identity";

    public string ProviderArn { get; }
    public string Hostname { get; }
    public string Audience { get; }

    public TerraformCloudIdentity(Construct scope, string id, TerraformCloudIdentityProps props) : base(scope, id)
    {
        new PropsValidator(nameof(TerraformCloudIdentityProps))
            .Check(Regex.IsMatch(props.Hostname ?? "", "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"), nameof(props.Hostname), $"'{props.Hostname}' is not a host name such as app.terraform.io (no scheme, no path)")
            .CheckNotEmpty(props.Audience, nameof(props.Audience))
            .ThrowIfInvalid();
        var provider = new IamOpenidConnectProvider(this, "provider", new IamOpenidConnectProviderConfig
        {
            Url = $"https://{props.Hostname}",
            ClientIdList = [props.Audience],
        });
        ProviderArn = provider.Arn;
        Hostname = props.Hostname!;
        Audience = props.Audience;
    }
}

/// <summary>Props of <see cref="WorkspaceRole"/>.</summary>
/// <param name="Name">Role name, e.g. easypay-prod-tfc-network.</param>
/// <param name="Organization">HCP Terraform organization of the workspace.</param>
/// <param name="Project">Project of the workspace (the sub claim names it).</param>
/// <param name="Workspace">The one workspace whose runs may assume the role.</param>
/// <param name="Statements">What the workspace's stack needs, and nothing more.</param>
public sealed record WorkspaceRoleProps(string Name, TerraformCloudIdentity Identity, string Organization, string Project, string Workspace,
    IReadOnlyList<PolicyStatement> Statements)
{
    /// <summary>Run phases whose tokens the role accepts. @default plan and apply</summary>
    public IReadOnlyList<string> RunPhases { get; init; } = ["plan", "apply"];

    /// <summary>Longest session: a run's credentials must outlive its apply (1-12 hours). @default 2</summary>
    public int MaxSessionHours { get; init; } = 2;
}

/// <summary>The role one HCP Terraform workspace's runs assume with their workload identity token. The trust
/// names the audience and the exact subject of each allowed run phase
/// (organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE, HashiCorp's documented format) with
/// StringEquals: no wildcard, so no other workspace, project or organization can assume it.</summary>
public sealed partial class WorkspaceRole : Construct
{
    /// <summary>HCP Terraform names: letters, digits, '-' and '_' (workspaces), plus spaces (projects).</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TfcName();

    public string Arn { get; }
    public string Name { get; }

    /// <summary>The sub claims the trust accepts, in RunPhases order.</summary>
    public IReadOnlyList<string> Subjects { get; }

    public WorkspaceRole(Construct scope, string id, WorkspaceRoleProps props) : base(scope, id)
    {
        var phases = props.RunPhases ?? [];
        new PropsValidator(nameof(WorkspaceRoleProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[A-Za-z0-9+=,.@_-]{1,64}$"), nameof(props.Name), $"'{props.Name}' is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)")
            .Check(props.Identity is not null, nameof(props.Identity), "is missing: the account's TerraformCloudIdentity")
            .Check(TfcName().IsMatch(props.Organization ?? ""), nameof(props.Organization), $"'{props.Organization}' is not an organization name (letters, digits, - and _)")
            .Check(Regex.IsMatch(props.Project ?? "", "^[A-Za-z0-9 _-]+$"), nameof(props.Project), $"'{props.Project}' is not a project name (letters, digits, spaces, - and _)")
            .Check(TfcName().IsMatch(props.Workspace ?? ""), nameof(props.Workspace), $"'{props.Workspace}' is not a workspace name (letters, digits, - and _; no wildcard)")
            .Check(phases.Count > 0 && phases.All(p => p is "plan" or "apply"), nameof(props.RunPhases), $"[{string.Join(", ", phases)}] must be a non-empty subset of plan, apply")
            .Check(props.Statements is { Count: > 0 }, nameof(props.Statements), "is empty: a workspace role without permissions cannot apply anything")
            .Check(props.MaxSessionHours is >= 1 and <= 12, nameof(props.MaxSessionHours), $"{props.MaxSessionHours} is outside 1-12 hours (IAM MaxSessionDuration)")
            .ThrowIfInvalid();

        var host = props.Identity!.Hostname;
        Subjects = [.. phases.Select(p => $"organization:{props.Organization}:project:{props.Project}:workspace:{props.Workspace}:run_phase:{p}")];
        var trust = new PolicyStatement("AssumeFromOneWorkspace", ["sts:AssumeRoleWithWebIdentity"],
            Principals: new Dictionary<string, IReadOnlyList<string>> { ["Federated"] = [props.Identity.ProviderArn] },
            Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>>
                {
                    [$"{host}:aud"] = [props.Identity.Audience],
                    [$"{host}:sub"] = Subjects,
                },
            });
        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = props.Name,
            Description = $"HCP Terraform workspace {props.Organization}/{props.Workspace} (dynamic credentials)",
            MaxSessionDuration = props.MaxSessionHours * 3600,
            AssumeRolePolicy = PolicyDocument.Render(trust),
        });
        new IamRolePolicy(this, "permissions", new IamRolePolicyConfig
        {
            Name = props.Name,
            Role = role.Id,
            Policy = PolicyDocument.Render(props.Statements!),
        });
        Arn = role.Arn;
        Name = role.Name;
    }
}
