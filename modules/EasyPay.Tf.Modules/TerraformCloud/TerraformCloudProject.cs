using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Tfe.AgentPool;
using HashiCorp.Cdktf.Providers.Tfe.AgentPoolAllowedWorkspaces;
using HashiCorp.Cdktf.Providers.Tfe.AgentToken;
using HashiCorp.Cdktf.Providers.Tfe.Project;
using HashiCorp.Cdktf.Providers.Tfe.Variable;
using HashiCorp.Cdktf.Providers.Tfe.Workspace;
using HashiCorp.Cdktf.Providers.Tfe.WorkspaceSettings;

namespace EasyPay.Tf.Modules.TerraformCloud;

/// <summary>Where a workspace's runs execute (HCP Terraform "Execution mode"; tfe_workspace_settings
/// execution_mode: remote, local or agent).</summary>
public enum ExecutionMode
{
    /// <summary>On HashiCorp's workers.</summary>
    Remote,

    /// <summary>On the caller's machine; HCP Terraform keeps only the state.</summary>
    Local,

    /// <summary>On the project's agents (<see cref="TerraformCloudProjectProps.AgentPoolName"/>).</summary>
    Agent,
}

/// <summary>One CLI-driven workspace of the project.</summary>
/// <param name="Name">Workspace name (letters, digits, - and _; at most 90 characters).</param>
/// <param name="Description">What the workspace applies.</param>
public sealed record WorkspaceSpec(string Name, string Description)
{
    /// <summary>@default Remote</summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.Remote;

    /// <summary>Apply right after a successful plan (no confirmation). @default false</summary>
    public bool AutoApply { get; init; }

    /// <summary>Workspaces of this project that may read this one's state (outputs); no one else may. @default none</summary>
    public IReadOnlyList<string> StateConsumers { get; init; } = [];

    /// <summary>Environment variables of the workspace's runs (not sensitive: e.g. dynamic credential settings). @default none</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();
}

/// <summary>Props of <see cref="TerraformCloudProject"/>.</summary>
/// <param name="Organization">Existing HCP Terraform organization.</param>
/// <param name="ProjectName">Project to create (3-40 characters: letters, digits, spaces, - and _).</param>
/// <param name="TerraformVersion">Exact Terraform version every workspace runs, e.g. 1.11.4.</param>
public sealed record TerraformCloudProjectProps(string Organization, string ProjectName, string TerraformVersion, IReadOnlyList<WorkspaceSpec> Workspaces)
{
    /// <summary>Agent pool of the project's agent-mode workspaces (only they may use it); required when any
    /// workspace runs on agents. @default none</summary>
    public string? AgentPoolName { get; init; }
}

/// <summary>An HCP Terraform project with its CLI-driven workspaces: each pinned to one Terraform version, its
/// state shared with exactly the workspaces that read it (never organization-wide), its execution mode and
/// variables; plus the agent pool and its token when a workspace runs on agents. Workspaces are deleted only
/// when they manage no resources (force_delete false, the provider's safe delete).</summary>
public sealed partial class TerraformCloudProject : Construct
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,90}$")]
    private static partial Regex WorkspaceName();

    private readonly Dictionary<string, Workspace> _workspaces = [];

    public string ProjectId { get; }

    /// <summary>Workspace ids by name.</summary>
    public IReadOnlyDictionary<string, string> WorkspaceIds => _workspaces.ToDictionary(w => w.Key, w => w.Value.Id);

    /// <summary>The agent pool's token (sensitive; only in state); null without agents.</summary>
    public string? AgentToken { get; }

    public string? AgentPoolId { get; }

    public TerraformCloudProject(Construct scope, string id, TerraformCloudProjectProps props) : base(scope, id)
    {
        Validate(props);
        var project = new Project(this, "project", new ProjectConfig
        {
            Name = props.ProjectName,
            Organization = props.Organization,
            Description = "Workspaces of one EasyPay environment (managed by its terraform-cloud stack)",
        });
        ProjectId = project.Id;
        foreach (var spec in props.Workspaces)
        {
            _workspaces[spec.Name] = new Workspace(this, $"workspace-{spec.Name}", new WorkspaceConfig
            {
                Name = spec.Name,
                Organization = props.Organization,
                ProjectId = project.Id,
                Description = spec.Description,
                TerraformVersion = props.TerraformVersion,
                // CLI-driven: runs start from `cdktf deploy`, never from a VCS push or another workspace.
                QueueAllRuns = false,
                FileTriggersEnabled = false,
                ForceDelete = false,
            });
        }

        AgentPoolAllowedWorkspaces? allowed = null;
        var agentWorkspaces = props.Workspaces.Where(w => w.Mode == ExecutionMode.Agent).ToList();
        if (agentWorkspaces.Count > 0)
        {
            var pool = new AgentPool(this, "agent-pool", new AgentPoolConfig
            {
                Name = props.AgentPoolName!,
                Organization = props.Organization,
                OrganizationScoped = false, // only the workspaces allowed below
            });
            allowed = new AgentPoolAllowedWorkspaces(this, "agent-pool-workspaces", new AgentPoolAllowedWorkspacesConfig
            {
                AgentPoolId = pool.Id,
                AllowedWorkspaceIds = [.. agentWorkspaces.Select(w => _workspaces[w.Name].Id)],
            });
            var token = new AgentToken(this, "agent-token", new AgentTokenConfig
            {
                AgentPoolId = pool.Id,
                Description = $"Agents of {props.ProjectName} (ECS service in the environment's VPC)",
            });
            AgentToken = token.Token;
            AgentPoolId = pool.Id;
        }

        foreach (var spec in props.Workspaces)
        {
            var workspace = _workspaces[spec.Name];
            new WorkspaceSettings(this, $"settings-{spec.Name}", new WorkspaceSettingsConfig
            {
                WorkspaceId = workspace.Id,
                ExecutionMode = spec.Mode.ToString().ToLowerInvariant(),
                // From the allow-list resource, so the workspace is allowed before it is assigned (tfe docs).
                AgentPoolId = spec.Mode == ExecutionMode.Agent ? allowed!.AgentPoolId : null,
                AutoApply = spec.AutoApply,
                GlobalRemoteState = false,
                RemoteStateConsumerIds = [.. spec.StateConsumers.Select(c => _workspaces[c].Id)],
            });
            foreach (var (key, value) in spec.EnvironmentVariables.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                new Variable(this, $"env-{spec.Name}-{key}", new VariableConfig
                {
                    WorkspaceId = workspace.Id,
                    Category = "env",
                    Key = key,
                    Value = value,
                });
            }
        }
    }

    /// <summary>A sensitive Terraform variable of workspace <paramref name="workspace"/> (write-only in HCP
    /// Terraform: no one reads it back through the UI or API).</summary>
    public void SensitiveVariable(string workspace, string key, string value, string description)
    {
        if (!_workspaces.TryGetValue(workspace, out var ws))
        {
            throw new ArgumentException($"TerraformCloudProject: no workspace '{workspace}' (have {string.Join(", ", _workspaces.Keys)})", nameof(workspace));
        }
        new Variable(this, $"var-{workspace}-{key}", new VariableConfig
        {
            WorkspaceId = ws.Id,
            Category = "terraform",
            Key = key,
            Value = value,
            Sensitive = true,
            Description = description,
        });
    }

    private static void Validate(TerraformCloudProjectProps props)
    {
        var workspaces = props.Workspaces ?? [];
        var names = workspaces.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var v = new PropsValidator(nameof(TerraformCloudProjectProps))
            .Check(Regex.IsMatch(props.Organization ?? "", "^[A-Za-z0-9_-]+$"), nameof(props.Organization), $"'{props.Organization}' is not an organization name (letters, digits, - and _)")
            .Check(Regex.IsMatch(props.ProjectName ?? "", "^[A-Za-z0-9 _-]{3,40}$"), nameof(props.ProjectName), $"'{props.ProjectName}' is not a project name (3-40 letters, digits, spaces, - and _)")
            .Check(Regex.IsMatch(props.TerraformVersion ?? "", "^[0-9]+\\.[0-9]+\\.[0-9]+$"), nameof(props.TerraformVersion), $"'{props.TerraformVersion}' is not an exact Terraform version such as 1.11.4 (no constraints: every run must use the same binary)")
            .Check(workspaces.Count > 0, nameof(props.Workspaces), "is empty");
        foreach (var w in workspaces)
        {
            v.Check(WorkspaceName().IsMatch(w.Name ?? ""), nameof(props.Workspaces), $"'{w.Name}' is not a workspace name (1-90 letters, digits, - and _)");
            foreach (var consumer in w.StateConsumers.Where(c => !names.Contains(c) || c == w.Name))
            {
                v.Check(false, nameof(props.Workspaces), $"{w.Name}: state consumer '{consumer}' is {(consumer == w.Name ? "the workspace itself" : "not a workspace of this project")}");
            }
            foreach (var key in w.EnvironmentVariables.Keys.Where(k => !Regex.IsMatch(k, "^[A-Za-z_][A-Za-z0-9_]*$")))
            {
                v.Check(false, nameof(props.Workspaces), $"{w.Name}: '{key}' is not an environment variable name");
            }
        }
        foreach (var dup in workspaces.GroupBy(w => w.Name).Where(g => g.Count() > 1))
        {
            v.Check(false, nameof(props.Workspaces), $"workspace '{dup.Key}' is listed twice");
        }
        v.Check(!workspaces.Any(w => w.Mode == ExecutionMode.Agent) || !string.IsNullOrWhiteSpace(props.AgentPoolName), nameof(props.AgentPoolName),
            "is missing: a workspace runs on agents, so the project needs an agent pool");
        v.ThrowIfInvalid();
    }
}

/// <summary>The tfe provider of a stack, for one organization on one host; authenticates with TFE_TOKEN (an
/// organization owner's or team token with "manage workspaces, projects and agent pools").</summary>
public sealed class TerraformCloudConnection : Construct
{
    public TerraformCloudConnection(HashiCorp.Cdktf.TerraformStack stack, string hostname, string organization) : base(stack, "terraform-cloud")
    {
        new PropsValidator(nameof(TerraformCloudConnection))
            .CheckNotEmpty(hostname, nameof(hostname))
            .CheckNotEmpty(organization, nameof(organization))
            .ThrowIfInvalid();
        _ = new HashiCorp.Cdktf.Providers.Tfe.Provider.TfeProvider(stack, "tfe", new HashiCorp.Cdktf.Providers.Tfe.Provider.TfeProviderConfig
        {
            Hostname = hostname,
            Organization = organization,
        });
    }
}
