using Constructs;
using EasyPay.Tf.Modules.Audit;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Edge;
using EasyPay.Tf.Modules.Identity;
using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Modules.Registry;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>What the account stack gives the stacks after it. Role and certificate ARNs are Terraform tokens
/// (outputs here, remote-state lookups in consumers), so a consumer plans only once they exist; repository URLs
/// are known at synth time.</summary>
public sealed record AccountOutputs
{
    /// <summary>The EC2 Auto Scaling service-linked role: the cluster stack's node volume key names it, and KMS
    /// rejects a policy naming a role that does not exist.</summary>
    public required string AutoScalingServiceLinkedRoleArn { get; init; }

    /// <summary>Mapped to cluster-admin.</summary>
    public required string AdminRoleArn { get; init; }

    /// <summary>Mapped to the developer Kubernetes group.</summary>
    public required string DeveloperRoleArn { get; init; }

    /// <summary>Cluster-admin for incidents (and exempt from the Velero bucket's read deny); null with bring-your-own
    /// roles (no account.humanRoles).</summary>
    public string? BreakGlassRoleArn { get; init; }

    /// <summary>Applies &lt;env&gt;-platform: the platform workspace's role with Terraform Cloud, else the local deployer.</summary>
    public required string DeployerRoleArn { get; init; }

    /// <summary>The account's registry, ACCOUNT.dkr.ecr.REGION.amazonaws.com (known at synth time): the app's repositories
    /// and the pull-through cache of every third-party image (<see cref="AccountStack.MirroredImages"/>).</summary>
    public required string ImageRegistry { get; init; }

    /// <summary>Known at synth time.</summary>
    public required string FrontendRepositoryUrl { get; init; }

    /// <summary>Known at synth time.</summary>
    public required string BackendRepositoryUrl { get; init; }

    /// <summary>The ALB's certificate (issued here when the environment has a zone, else the environment file's); null = HTTP only.</summary>
    public string? AlbCertificateArn { get; init; }

    /// <summary>The maintenance page's us-east-1 certificate; null without a zone.</summary>
    public string? MaintenanceCertificateArn { get; init; }
}

/// <summary>&lt;env&gt;-account: everything a fresh AWS account needs before the other stacks, applied first with
/// administrator credentials (README "From zero"): the service-linked roles the platform's policies name, the
/// people's roles, the Terraform Cloud workspaces' roles, the image repositories, the certificates of the
/// environment's record, and the audit baseline.</summary>
public sealed class AccountStack : EasyPayStack
{
    public const string Name = "account";

    /// <summary>Service-linked roles the platform's policies name before the service would create them on first
    /// use (the node volume key names EC2 Auto Scaling's). Others the services create themselves: the workspace
    /// roles may create exactly their stack's (DeployPermissions).</summary>
    public static readonly IReadOnlyList<string> ServiceLinkedRoleServices = [ServiceLinkedRole.AutoScaling];

    /// <summary>Stacks whose Terraform Cloud workspace runs remotely with a role of its own (the account and
    /// terraform-cloud stacks run on an administrator's machine).</summary>
    public static readonly IReadOnlyList<string> WorkspaceStacks = [NetworkStack.Name, ClusterStack.Name, DatabaseStack.Name, MonitoringStack.Name, PlatformStack.Name];

    public static string AdminRoleName(EnvironmentConfig env) => $"{env.ResourcePrefix}-admin";
    public static string DeveloperRoleName(EnvironmentConfig env) => $"{env.ResourcePrefix}-developer";
    public static string DeployerRoleName(EnvironmentConfig env) => $"{env.ResourcePrefix}-platform-deployer";
    /// <summary>The break-glass role (created with account.humanRoles): the only identity that may delete recovery
    /// points, change a backup vault's access policy or lock, or schedule a key's deletion in production.</summary>
    public static string BreakGlassRoleName(EnvironmentConfig env) => $"{env.ResourcePrefix}-break-glass";

    /// <summary>Known at synth time, so the policies that except it need no remote state and survive its
    /// re-creation; null when the environment brings its own roles (no account.humanRoles).</summary>
    public static string? BreakGlassRoleArn(EnvironmentConfig env) =>
        env.Account.HumanRoles is null ? null : $"arn:aws:iam::{env.AccountId}:role/{BreakGlassRoleName(env)}";

    /// <summary>The role of stack <paramref name="stack"/>'s workspace, e.g. easypay-prod-tfc-network.</summary>
    public static string WorkspaceRoleName(EnvironmentConfig env, string stack) => $"{env.ResourcePrefix}-tfc-{stack}";

    /// <summary>Known at synth time (the terraform-cloud stack, applied before this one, sets it on the workspace).</summary>
    public static string WorkspaceRoleArn(EnvironmentConfig env, string stack) => $"arn:aws:iam::{env.AccountId}:role/{WorkspaceRoleName(env, stack)}";

    /// <summary>Sensitive variables of this stack: the read-only tokens the pull-through cache logs in to Docker Hub and
    /// ghcr.io with (TF_VAR_docker_hub_access_token, TF_VAR_github_access_token on the administrator's machine).</summary>
    public const string DockerHubTokenVariable = "docker_hub_access_token";
    public const string GitHubTokenVariable = "github_access_token";

    /// <summary>Every third-party image the environment runs: the add-ons' and their API waits' (HelmAddons.Images) and
    /// the Terraform agent's. The cache mirrors exactly their registries.</summary>
    public static IReadOnlyList<MirroredImage> MirroredImages { get; } = [.. HelmAddons.Images, ClusterStack.AgentImage];

    /// <summary>The upstreams of <see cref="MirroredImages"/>, each once.</summary>
    public static IReadOnlyList<UpstreamRegistry> MirroredRegistries { get; } = [.. MirroredImages.Select(i => i.Registry).Distinct()];

    public AccountOutputs Outputs { get; }

    public AccountStack(Construct scope, EnvironmentConfig env) : base(scope, env, Name)
    {
        var slr = ServiceLinkedRoleServices.ToDictionary(service => service, service => new ServiceLinkedRole(this, $"service-linked-role-{service.Split('.')[0]}",
            new ServiceLinkedRoleProps(service) { AlreadyExists = env.Account.ExistingServiceLinkedRoles.Contains(service) }));

        // Every new EBS volume of the account and region is encrypted, whoever creates it (PCI DSS 3.5).
        _ = new EbsEncryptionByDefault(this, "ebs-encryption-by-default");

        var (admin, developer, localDeployer, breakGlass) = HumanRoles(env);
        AuditTrail? trail = null;
        if (env.Account.AuditBaseline == AuditBaseline.Account)
        {
            trail = new AuditTrail(this, "audit-trail", new AuditTrailProps($"{Prefix}-audit", env.LogRetentionDays)
            {
                ObjectLockMode = Posture.AuditLogLockMode,
                ForceDestroy = Posture.ForceDestroyBuckets,
                PreventDestroy = Posture.DeletionProtection,
                KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            });
            _ = new ThreatDetection(this, "threat-detection", new ThreatDetectionProps
            {
                EksRuntimeMonitoring = Posture.RuntimeThreatMonitoring,
            });
        }
        // Inside the environment's name patterns the workspace roles may otherwise reach: denied to all of them.
        IReadOnlyList<string> protectedArns =
        [
            Aws.Arn("iam", $"role/{AdminRoleName(env)}", region: ""), Aws.Arn("iam", $"role/{DeveloperRoleName(env)}", region: ""),
            Aws.Arn("iam", $"role/{DeployerRoleName(env)}", region: ""), Aws.Arn("iam", $"role/{BreakGlassRoleName(env)}", region: ""),
            // Each workspace role by name: the cluster stack's easypay-<env>-tfc-agent-... roles stay its own.
            .. WorkspaceStacks.Select(stack => Aws.Arn("iam", $"role/{WorkspaceRoleName(env, stack)}", region: "")),
            .. trail is null ? Array.Empty<string>() : [$"arn:{Aws.Partition}:s3:::{trail.BucketName}", $"arn:{Aws.Partition}:s3:::{trail.BucketName}/*", trail.KeyArn, trail.TrailArn],
        ];
        var workspaceRoles = env.TerraformCloud is { } tfc ? WorkspaceRoles(env, tfc, protectedArns) : null;

        var imageKey = new EncryptionKey(this, "image-key", new EncryptionKeyProps($"{Prefix}-images", $"ECR images of {Prefix}")
        {
            DeletionWindowInDays = Posture.KeyDeletionWindowDays,
        });
        foreach (var name in PlatformContract.ImageRepositories(env))
        {
            _ = new ImageRepository(this, $"repository-{name.Split('/')[^1]}", new ImageRepositoryProps(name, imageKey.Arn)
            {
                ForceDelete = Posture.ForceDestroyBuckets,
            });
        }
        // Third-party images come through ECR too (issue 16, finding 10): scanned, under the image key, tags immutable once
        // cached, pulled through the VPC endpoints, and unaffected by an upstream outage, rate limit or re-pointed tag.
        _ = new PullThroughCache(this, "image-mirror", new PullThroughCacheProps(Prefix, MirroredRegistries, imageKey.Arn)
        {
            Credentials = new Dictionary<string, RegistryCredential>
            {
                [UpstreamRegistries.DockerHub.Credential!] = new(env.Account.ImageMirror.DockerHubUsername,
                    TokenVariable(DockerHubTokenVariable, "Docker Hub personal access token (read-only) of account.imageMirror.dockerHubUsername"),
                    env.Account.ImageMirror.CredentialVersion),
                [UpstreamRegistries.GitHub.Credential!] = new(env.Account.ImageMirror.GitHubUsername,
                    TokenVariable(GitHubTokenVariable, "GitHub token (read:packages only) of account.imageMirror.gitHubUsername"),
                    env.Account.ImageMirror.CredentialVersion),
            },
            SecretRecoveryWindowInDays = Posture.KeyDeletionWindowDays,
        });

        string? albCertificate = env.Cluster.CertificateArn, maintenanceCertificate = null;
        if (env.Monitoring.Dns is { } dns)
        {
            albCertificate = new DnsValidatedCertificate(this, "alb-certificate", new DnsValidatedCertificateProps(dns.RecordName, dns.HostedZoneId)).Arn;
            // CloudFront reads certificates only from us-east-1.
            maintenanceCertificate = new DnsValidatedCertificate(this, "maintenance-certificate", new DnsValidatedCertificateProps(dns.RecordName, dns.HostedZoneId)
            {
                Region = MaintenanceSite.CertificateRegion,
            }).Arn;
        }

        Outputs = new AccountOutputs
        {
            AutoScalingServiceLinkedRoleArn = slr[ServiceLinkedRole.AutoScaling].Arn,
            AdminRoleArn = admin,
            DeveloperRoleArn = developer,
            BreakGlassRoleArn = breakGlass,
            DeployerRoleArn = workspaceRoles?[PlatformStack.Name] ?? localDeployer
                ?? throw new InvalidOperationException($"{env.Name}: no deployer role (EnvironmentRules requires cluster.deployerRoleArn or account.humanRoles)"),
            ImageRegistry = ImageRepository.RegistryOf(Aws),
            FrontendRepositoryUrl = ImageRepository.UrlOf(Aws, PlatformContract.FrontendRepository(env)),
            BackendRepositoryUrl = ImageRepository.UrlOf(Aws, PlatformContract.BackendRepository(env)),
            AlbCertificateArn = albCertificate,
            MaintenanceCertificateArn = maintenanceCertificate,
        };
        Output("admin_role_arn", "Role mapped to cluster-admin (aws eks update-kubeconfig --role-arn)", Outputs.AdminRoleArn);
        Output("developer_role_arn", "Role mapped to the developer Kubernetes group", Outputs.DeveloperRoleArn);
        Output("deployer_role_arn", "Role that applies the platform stack (the platform workspace's with Terraform Cloud)", Outputs.DeployerRoleArn);
        Output("frontend_repository_url", "ECR repository the frontend image is pushed to", Outputs.FrontendRepositoryUrl);
        Output("backend_repository_url", "ECR repository the payment API image is pushed to", Outputs.BackendRepositoryUrl);
    }

    /// <summary>A required sensitive variable: a plan without it stops before anything is written.</summary>
    private string TokenVariable(string name, string description) => new TerraformVariable(this, name, new TerraformVariableConfig
    {
        Type = "string",
        Sensitive = true,
        Nullable = false,
        Description = description,
    }).StringValue;

    /// <summary>The people's roles: created here from account.humanRoles, or the environment file's own.</summary>
    private (string Admin, string Developer, string? LocalDeployer, string? BreakGlass) HumanRoles(EnvironmentConfig env)
    {
        if (env.Account.HumanRoles is not { } human)
        {
            return (env.Cluster.AdminRoleArn!, env.Cluster.DeveloperRoleArn!, env.Cluster.DeployerRoleArn, null);
        }
        var admin = new HumanRole(this, "admin-role", new HumanRoleProps(AdminRoleName(env), $"Administrators of {Prefix} (cluster-admin)", human.AdminPrincipals)
        {
            ManagedPolicyArns = [Aws.ManagedPolicyArn("AdministratorAccess")],
        });
        var clusterArn = Aws.Arn("eks", $"cluster/{PlatformContract.ClusterName(env)}");
        // View-only in AWS (ViewOnlyAccess lists and describes, reads no data: no S3 objects, secrets or log
        // events), plus what kubectl and the app's logs need; Kubernetes rights come from the chart's Role.
        var developer = new HumanRole(this, "developer-role", new HumanRoleProps(DeveloperRoleName(env), $"Developers of {Prefix} (namespace {PlatformContract.AppNamespace})", human.DeveloperPrincipals)
        {
            ManagedPolicyArns = [Aws.ManagedPolicyArn("job-function/ViewOnlyAccess")],
            MaxSessionHours = 8,
            InlineStatements =
            [
                new PolicyStatement("ReachCluster", ["eks:DescribeCluster", "eks:AccessKubernetesApi"], [clusterArn]),
                new PolicyStatement("ReadAppLogs", ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults", "logs:StopQuery"],
                    [Aws.Arn("logs", $"log-group:{PlatformContract.ContainerInsightsLogGroupName(env, "application")}:*"),
                     Aws.Arn("logs", $"log-group:{PlatformContract.ContainerInsightsLogGroupName(env, "application")}")]),
                new PolicyStatement("ReadMetrics", ["cloudwatch:GetMetricData", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards"], ["*"]),
            ],
        });
        // Break-glass: everything the everyday roles may not (production pods, restores, reading backups, deleting
        // recovery points and keys, changing backup vault policies). The administrators' principals unless
        // humanRoles.breakGlassPrincipals names others, MFA for account roots (HumanRole), one-hour sessions; each
        // assumption is a CloudTrail AssumeRole event, each Kubernetes request carries the role in the EKS audit log.
        // What it alone may do is denied to everyone else by the vault, bucket and key policies that name BreakGlassRoleArn.
        var breakGlass = new HumanRole(this, "break-glass-role", new HumanRoleProps(BreakGlassRoleName(env),
            $"Break-glass administrators of {Prefix}: cluster-admin, recovery points, keys and backup vault policies; one-hour sessions, audited", human.BreakGlassPrincipals ?? human.AdminPrincipals)
        {
            ManagedPolicyArns = [Aws.ManagedPolicyArn("AdministratorAccess")],
            MaxSessionHours = 1,
        });
        string? deployer = null;
        if (env.TerraformCloud is null)
        {
            // Local deploys of <env>-platform: cluster-admin through its access entry, nothing in AWS beyond the cluster.
            deployer = new HumanRole(this, "deployer-role", new HumanRoleProps(DeployerRoleName(env), $"Applies {env.Name}-platform from an administrator's machine", human.AdminPrincipals)
            {
                InlineStatements = DeployPermissions.For(PlatformStack.Name, env),
            }).Arn;
        }
        return (admin.Arn, developer.Arn, deployer, breakGlass.Arn);
    }

    /// <summary>One role per remote workspace, each trusting only its own workspace's runs.</summary>
    private Dictionary<string, string> WorkspaceRoles(EnvironmentConfig env, TerraformCloudConfig tfc, IReadOnlyList<string> protectedArns)
    {
        var identity = new TerraformCloudIdentity(this, "terraform-cloud-identity", new TerraformCloudIdentityProps(tfc.Hostname));
        return WorkspaceStacks.ToDictionary(stack => stack, stack => new WorkspaceRole(this, $"workspace-role-{stack}", new WorkspaceRoleProps(
            WorkspaceRoleName(env, stack), identity, tfc.Organization, tfc.ProjectName(env.Name), WorkspaceName(tfc, env.Name, stack),
            DeployPermissions.For(stack, env, protectedArns))).Arn);
    }
}
