using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EcsCluster;
using HashiCorp.Cdktf.Providers.Aws.EcsService;
using HashiCorp.Cdktf.Providers.Aws.EcsTaskDefinition;
using HashiCorp.Cdktf.Providers.Aws.SecretsmanagerSecret;
using HashiCorp.Cdktf.Providers.Aws.SecretsmanagerSecretVersion;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupEgressRule;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Runner;

/// <summary>Props of <see cref="TerraformAgent"/>.</summary>
/// <param name="Name">e.g. easypay-prod-tfc-agent: the ECS cluster, service and task family, the security group,
/// the execution role (NAME-task-execution), the key aliases, the secret (NAME/agent-token) and the log group
/// (/easypay/NAME) are named after it. Lowercase letters, digits and '-', at most 48 characters (the role name
/// must stay within IAM's 64).</param>
/// <param name="VpcId">VPC of the private subnets.</param>
/// <param name="VpcCidr">The VPC's primary IPv4 CIDR, known at synth time: the Amazon DNS server the agent may
/// query is its base address + 2.</param>
/// <param name="SubnetIds">Private subnets, one per AZ, with a route to a NAT gateway (the agent only dials out).</param>
/// <param name="Image">hashicorp/tfc-agent:VERSION, an exact version never "latest", from <see cref="TerraformAgentProps.ImageRepositoryArn"/>
/// (else a public registry); with @sha256:DIGEST appended the digest, not the tag, decides what runs.</param>
/// <param name="TokenValue">The agent pool token: a Terraform reference (a sensitive variable), never a literal.
/// It ends up in Terraform state through the secret version, like any secret Terraform writes.</param>
/// <param name="LogRetentionDays">Retention of the agent's log group and of the cluster's Container Insights
/// log group; one of <see cref="LogRetention.AllowedDays"/>.</param>
public sealed record TerraformAgentProps(
    string Name,
    string VpcId,
    string VpcCidr,
    IReadOnlyList<string> SubnetIds,
    string Image,
    string TokenValue,
    int LogRetentionDays)
{
    private readonly int? _desiredCount;

    /// <summary>The HCP Terraform (or Terraform Enterprise) API the agent registers with; https on the default port
    /// only, because the security group opens TCP 443 and nothing else. @default "https://app.terraform.io"</summary>
    public string TfcAddress { get; init; } = TerraformAgent.DefaultTfcAddress;

    /// <summary>Agents to run; each runs one Terraform run at a time and counts against the organization's agent
    /// limit. @default the number of subnets (one per AZ)</summary>
    public int DesiredCount
    {
        get => _desiredCount ?? SubnetIds?.Count ?? 0;
        init => _desiredCount = value;
    }

    /// <summary>Task CPU units; with <see cref="Memory"/> one of the Fargate combinations
    /// (<see cref="TerraformAgent.IsFargateSize"/>). @default 1024 (1 vCPU)</summary>
    public int Cpu { get; init; } = 1024;

    /// <summary>Task memory in MiB. HCP Terraform's agent requirements ask for at least 2 GB of system memory (and
    /// 4 GB of free disk, which Fargate's 20 GiB ephemeral storage covers). @default 2048</summary>
    public int Memory { get; init; } = 2048;

    /// <summary>Waiting period before a scheduled deletion of the token key and the logs key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>Days a deleted token secret stays recoverable; Secrets Manager accepts 7 to 30 (0, deletion
    /// without recovery, is not offered here). @default 30</summary>
    public int SecretRecoveryWindowInDays { get; init; } = 30;

    /// <summary>Security groups of the private APIs the agents' runs call inside the VPC (the EKS cluster security
    /// group, which guards the private endpoint): each admits the agents on TCP 443. @default none</summary>
    public IReadOnlyList<string> ApiSecurityGroupIds { get; init; } = [];

    /// <summary>The ECR repository <see cref="Image"/> is in, a pull-through cache one: the execution role may pull from it
    /// and, on the first pull, import the upstream image and create the repository. @default null (a public registry,
    /// no ECR permissions)</summary>
    public string? ImageRepositoryArn { get; init; }
}

/// <summary>HCP Terraform agents (hashicorp/tfc-agent) as an ECS Fargate service in the VPC's private subnets, so a
/// workspace in agent execution mode runs inside the VPC and can reach private endpoints (the EKS API). The agent
/// only polls HCP Terraform: its security group admits nothing and lets out HTTPS and DNS to the VPC resolver only.
/// The pool token sits in a Secrets Manager secret under a customer-managed key and reaches the container through
/// the task's <c>secrets</c>, never as plain environment; logs go to a KMS-encrypted log group with retention.
///
/// The task has no task role: the agent needs no AWS permissions of its own. Every run gets AWS credentials from
/// HCP Terraform's dynamic provider credentials (OIDC, a role whose trust names the workspace), so what a run may
/// do is decided per workspace, not by whichever agent picks it up. The execution role (used by ECS, not by the
/// container) may only write this service's logs and read this service's token.</summary>
public sealed class TerraformAgent : Construct
{
    public const string DefaultTfcAddress = "https://app.terraform.io";

    /// <summary>The container's name (and the log stream prefix).</summary>
    public const string ContainerName = "tfc-agent";

    /// <summary>Pinned rather than LATEST so a platform change is a reviewed diff. AWS ECS developer guide, "Fargate
    /// Linux platform versions": 1.4.0 is the latest Linux platform version.</summary>
    public const string PlatformVersion = "1.4.0";

    /// <summary>ECS RegisterTaskDefinition, ContainerDefinition.stopTimeout: on Fargate at most 120 s (default 30)
    /// between SIGTERM and SIGKILL. The agent finishes its current operation before it deregisters on SIGTERM,
    /// so a deployment or scale-in gives a running plan or apply the longest time Fargate allows.</summary>
    public const int StopTimeoutSeconds = 120;

    /// <summary>Pinned: NAME:VERSION (digits and dots, so never "latest" or a floating "1"), optionally
    /// @sha256:64 hex digits.</summary>
    public const string PinnedImagePattern = @"^[^@\s:]+:[0-9]+\.[0-9]+\.[0-9]+(@sha256:[0-9a-f]{64})?$";

    public string SecurityGroupId { get; }
    public string ServiceName { get; }
    public string LogGroupName { get; }
    public string SecretArn { get; }

    public TerraformAgent(Construct scope, string id, TerraformAgentProps props) : base(scope, id)
    {
        var resolver = Validate(props);
        var aws = AwsEnvironment.Of(this);

        var tokenKey = new EncryptionKey(this, "token-key", new EncryptionKeyProps(
            $"{props.Name}-token", $"HCP Terraform agent token of {props.Name}")
        {
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        var logsKey = new EncryptionKey(this, "logs-key", new EncryptionKeyProps(
            $"{props.Name}-logs", $"Agent and Container Insights logs of {props.Name}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, $"/easypay/{props.Name}", $"/aws/ecs/containerinsights/{props.Name}/performance")],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        var logGroup = new LogGroup(this, "logs", new LogGroupProps($"/easypay/{props.Name}", props.LogRetentionDays, logsKey.Arn));
        // Container Insights writes to this group (CloudWatch user guide, "Container Insights performance log events
        // for Amazon ECS"); creating it first means ECS never creates it itself, unencrypted and kept forever.
        var insightsLogs = new LogGroup(this, "container-insights", new LogGroupProps(
            $"/aws/ecs/containerinsights/{props.Name}/performance", props.LogRetentionDays, logsKey.Arn));

        var secret = new SecretsmanagerSecret(this, "token", new SecretsmanagerSecretConfig
        {
            Name = $"{props.Name}/agent-token",
            Description = $"HCP Terraform agent pool token of {props.Name}",
            KmsKeyId = tokenKey.Arn,
            RecoveryWindowInDays = props.SecretRecoveryWindowInDays,
        });
        var tokenVersion = new SecretsmanagerSecretVersion(this, "token-value", new SecretsmanagerSecretVersionConfig
        {
            SecretId = secret.Id,
            SecretString = props.TokenValue,
        });

        // AWS ECS developer guide, "Amazon ECS task execution IAM role": awslogs needs logs:CreateLogStream and
        // logs:PutLogEvents; Secrets Manager secrets need secretsmanager:GetSecretValue, plus kms:Decrypt for a
        // customer-managed key. Pulling from ECR: GetAuthorizationToken (account-wide) and the pull actions on the image's
        // repository, plus what a first pull through the cache needs (BatchImportUpstreamImage, CreateRepository).
        var executionRole = new ServiceRole(this, "execution-role", new ServiceRoleProps(
            $"{props.Name}-task-execution", $"ECS pulls the token and ships the logs of {props.Name}", "ecs-tasks.amazonaws.com")
        {
            InlineStatements =
            [
                new PolicyStatement("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [logGroup.Arn, $"{logGroup.Arn}:log-stream:*"]),
                new PolicyStatement("ReadOwnToken", ["secretsmanager:GetSecretValue"], [secret.Arn]),
                new PolicyStatement("DecryptOwnToken", ["kms:Decrypt"], [tokenKey.Arn],
                    Conditions: PolicyDocument.Condition("StringEquals", "kms:ViaService", $"secretsmanager.{aws.Region}.amazonaws.com")),
                .. props.ImageRepositoryArn is { } repository
                    ? new[]
                    {
                        new PolicyStatement("RegistryLogin", ["ecr:GetAuthorizationToken"], ["*"]),
                        new PolicyStatement("PullOwnImage", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
                            .. Registry.PullThroughCache.PullerActions], [repository]),
                    }
                    : [],
            ],
        });

        var taskDefinition = new EcsTaskDefinition(this, "task", new EcsTaskDefinitionConfig
        {
            Family = props.Name,
            RequiresCompatibilities = ["FARGATE"],
            NetworkMode = "awsvpc",
            Cpu = props.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Memory = props.Memory.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // ECS RuntimePlatform: operatingSystemFamily LINUX, cpuArchitecture X86_64 (an agent pool keeps the
            // architecture of its first agent, so this is not a knob to flip on a running pool).
            RuntimePlatform = new EcsTaskDefinitionRuntimePlatform { OperatingSystemFamily = "LINUX", CpuArchitecture = "X86_64" },
            ExecutionRoleArn = executionRole.Arn,
            // No task_role_arn: see the class summary (runs authenticate through HCP Terraform dynamic credentials).
            ContainerDefinitions = ContainerDefinitions(props, secret.Arn, logGroup.Name, aws.Region),
        });

        var cluster = new EcsCluster(this, "cluster", new EcsClusterConfig
        {
            Name = props.Name,
            // ECS ClusterSetting: name containerInsights, value enabled | enhanced | disabled.
            Setting = new[] { new EcsClusterSetting { Name = "containerInsights", Value = "enabled" } },
            DependsOn = [insightsLogs.Resource],
        });

        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = props.Name,
            Description = "HCP Terraform agents: no ingress; HTTPS out and DNS to the VPC resolver",
            VpcId = props.VpcId,
            // Without inline rules the provider removes AWS's default allow-all egress rule, so the rules below
            // are the only ones.
            Tags = new Dictionary<string, string> { ["Name"] = props.Name },
        });
        // HCP Terraform's API and blob storage (app.terraform.io, archivist.terraform.io), the public registry,
        // releases.hashicorp.com, provider and chart downloads and the AWS and EKS APIs are all HTTPS, on CDNs or AWS
        // ranges that change without notice; HashiCorp publishes no fixed address list to pin here. Fargate (platform
        // 1.4.0) also pulls the image, reads the secret and ships logs through this ENI, all over HTTPS.
        // agents.terraform.io:7146 (request forwarding, HYOK) stays closed: neither is enabled.
        Egress("https", sg.Id, "tcp", 443, "0.0.0.0/0", "HTTPS: HCP Terraform, registries, releases.hashicorp.com, AWS APIs");
        Egress("dns-udp", sg.Id, "udp", 53, resolver, "DNS (UDP) to the Amazon DNS server (VPC base + 2)");
        Egress("dns-tcp", sg.Id, "tcp", 53, resolver, "DNS (TCP, large answers) to the Amazon DNS server (VPC base + 2)");

        for (var i = 0; i < props.ApiSecurityGroupIds.Count; i++)
        {
            new VpcSecurityGroupIngressRule(this, $"api-ingress-{i}", new VpcSecurityGroupIngressRuleConfig
            {
                SecurityGroupId = props.ApiSecurityGroupIds[i],
                Description = $"HTTPS from the HCP Terraform agents ({props.Name})",
                IpProtocol = "tcp",
                FromPort = 443,
                ToPort = 443,
                ReferencedSecurityGroupId = sg.Id,
            });
        }

        var service = new EcsService(this, "service", new EcsServiceConfig
        {
            Name = props.Name,
            Cluster = cluster.Arn,
            TaskDefinition = taskDefinition.Arn,
            DesiredCount = props.DesiredCount,
            LaunchType = "FARGATE",
            PlatformVersion = PlatformVersion,
            NetworkConfiguration = new EcsServiceNetworkConfiguration
            {
                Subnets = [.. props.SubnetIds],
                SecurityGroups = [sg.Id],
                AssignPublicIp = false,
            },
            // New agents start before old ones stop (min 100 / max 200), and a revision whose tasks keep failing
            // (bad token, unpullable image) is rolled back to the last working one.
            DeploymentMinimumHealthyPercent = 100,
            DeploymentMaximumPercent = 200,
            DeploymentCircuitBreaker = new EcsServiceDeploymentCircuitBreaker { Enable = true, Rollback = true },
            // ECS CreateService propagateTags: TASK_DEFINITION | SERVICE | NONE; the service carries the provider's
            // default tags, so tasks (and their cost) are attributed like every other resource.
            PropagateTags = "SERVICE",
            EnableEcsManagedTags = true,
            EnableExecuteCommand = false,
            // The apply waits until the new tasks run (or the circuit breaker gives up), so a broken agent fails
            // the apply that broke it instead of surfacing later as agent-mode runs queued forever.
            WaitForSteadyState = true,
            // Tasks start only once the execution role may read the token (the value included) and write logs.
            DependsOn = [executionRole.InlinePolicy!, tokenVersion],
        });

        SecurityGroupId = sg.Id;
        ServiceName = service.Name;
        LogGroupName = logGroup.Name;
        SecretArn = secret.Arn;
    }

    private void Egress(string id, string groupId, string protocol, int port, string cidr, string description) =>
        new VpcSecurityGroupEgressRule(this, $"egress-{id}", new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = groupId,
            Description = description,
            IpProtocol = protocol,
            FromPort = port,
            ToPort = port,
            CidrIpv4 = cidr,
        });

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep the tokens' '${...}' readable
    };

    private static string ContainerDefinitions(TerraformAgentProps props, string secretArn, string logGroupName, string region) =>
        JsonSerializer.Serialize(new object[]
        {
            new Dictionary<string, object>
            {
                ["name"] = ContainerName,
                ["image"] = props.Image,
                ["essential"] = true,
                ["privileged"] = false,
                ["environment"] = new[]
                {
                    // tfc-agent CLI options: -address (TFC_ADDRESS), -name (TFC_AGENT_NAME), -auto-update
                    // (TFC_AGENT_AUTO_UPDATE: minor by default). Disabled so the pinned digest is what runs; a new
                    // agent version is a new digest in review.
                    new Dictionary<string, string> { ["name"] = "TFC_ADDRESS", ["value"] = props.TfcAddress },
                    new Dictionary<string, string> { ["name"] = "TFC_AGENT_NAME", ["value"] = props.Name },
                    new Dictionary<string, string> { ["name"] = "TFC_AGENT_AUTO_UPDATE", ["value"] = "disabled" },
                },
                // The whole secret string becomes TFC_AGENT_TOKEN, resolved by ECS at task start.
                ["secrets"] = new[] { new Dictionary<string, string> { ["name"] = "TFC_AGENT_TOKEN", ["valueFrom"] = secretArn } },
                ["logConfiguration"] = new Dictionary<string, object>
                {
                    // ECS LogConfiguration, awslogs: awslogs-group and awslogs-region required, awslogs-stream-prefix
                    // required on Fargate. No awslogs-create-group: the group exists, encrypted, before any task.
                    ["logDriver"] = "awslogs",
                    ["options"] = new Dictionary<string, string>
                    {
                        ["awslogs-group"] = logGroupName,
                        ["awslogs-region"] = region,
                        ["awslogs-stream-prefix"] = ContainerName,
                    },
                },
                ["stopTimeout"] = StopTimeoutSeconds,
            },
        }, JsonOptions);

    private static string Validate(TerraformAgentProps props)
    {
        var v = new PropsValidator(nameof(TerraformAgentProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z][a-z0-9-]{0,46}[a-z0-9]$"), nameof(props.Name),
                $"'{props.Name}' must be 2-48 lowercase letters, digits and '-', starting with a letter (it names the cluster, service, roles and secret)")
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .Check((props.SubnetIds ?? []).Count > 0, nameof(props.SubnetIds), "give the private subnets, one per AZ")
            .Check((props.SubnetIds ?? []).All(s => !string.IsNullOrWhiteSpace(s)) && (props.SubnetIds ?? []).Distinct().Count() == (props.SubnetIds ?? []).Count,
                nameof(props.SubnetIds), "must not contain empty or repeated subnet ids")
            .Check(Regex.IsMatch(props.Image ?? "", PinnedImagePattern), nameof(props.Image),
                $"'{props.Image}' is not pinned; use hashicorp/tfc-agent:MAJOR.MINOR.PATCH, best with @sha256:<64 hex digits> so a retagged image never runs unreviewed")
            .Check(!string.IsNullOrEmpty(props.TokenValue) && Token.IsUnresolved(props.TokenValue), nameof(props.TokenValue),
                "must be a Terraform reference such as a sensitive variable; a literal token would land in git and in the synthesized JSON")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .Check(Regex.IsMatch(props.TfcAddress ?? "", "^https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?$"), nameof(props.TfcAddress),
                $"'{props.TfcAddress}' must be https://HOST without port or path (the security group opens TCP 443 only)")
            .Check(props.DesiredCount >= 1, nameof(props.DesiredCount), $"{props.DesiredCount} agents would run nothing; give at least 1")
            .Check(IsFargateSize(props.Cpu, props.Memory), nameof(props.Memory),
                $"cpu {props.Cpu} with memory {props.Memory} MiB is not a Fargate task size; valid: {FargateSizes}")
            .Check(props.KeyDeletionWindowInDays is >= 7 and <= 30, nameof(props.KeyDeletionWindowInDays), "must be between 7 and 30 days")
            .Check(props.SecretRecoveryWindowInDays is >= 7 and <= 30, nameof(props.SecretRecoveryWindowInDays),
                $"{props.SecretRecoveryWindowInDays} is outside Secrets Manager's 7-30 day recovery window (0, deletion without recovery, is not allowed)");
        var resolver = "";
        if (!Ipv4Cidr.TryParse(props.VpcCidr, out var vpc, out var error))
        {
            v.Check(false, nameof(props.VpcCidr), error);
        }
        else if (vpc.Prefix is < 16 or > 28)
        {
            v.Check(false, nameof(props.VpcCidr), $"'{props.VpcCidr}' is not a VPC CIDR (a VPC's IPv4 block is /16 to /28)");
        }
        else
        {
            resolver = AmazonDnsServer(vpc);
        }
        v.ThrowIfInvalid();
        return resolver;
    }

    /// <summary>Amazon VPC user guide, "Amazon DNS server": the Route 53 Resolver answers at the VPC's primary IPv4
    /// CIDR base + 2 (10.0.0.2 for 10.0.0.0/16), as a /32.</summary>
    public static string AmazonDnsServer(Ipv4Cidr vpc) => vpc.Subnet(32, 2).ToString();

    /// <summary>AWS ECS developer guide, "Troubleshoot Amazon ECS task definition invalid CPU or memory errors"
    /// (and RegisterTaskDefinition cpu/memory): the task sizes Fargate runs on Linux, memory in MiB. 8 and 16 vCPU
    /// need platform 1.4.0, which <see cref="PlatformVersion"/> pins.</summary>
    public static readonly IReadOnlyDictionary<int, IReadOnlyList<int>> FargateMemoryByCpu = new Dictionary<int, IReadOnlyList<int>>
    {
        [256] = [512, 1024, 2048],
        [512] = Steps(1024, 4096, 1024),
        [1024] = Steps(2048, 8192, 1024),
        [2048] = Steps(4096, 16384, 1024),
        [4096] = Steps(8192, 30720, 1024),
        [8192] = Steps(16384, 61440, 4096),
        [16384] = Steps(32768, 122880, 8192),
    };

    public static bool IsFargateSize(int cpu, int memory) =>
        FargateMemoryByCpu.TryGetValue(cpu, out var memories) && memories.Contains(memory);

    private static int[] Steps(int from, int to, int step) => [.. Enumerable.Range(0, ((to - from) / step) + 1).Select(i => from + (i * step))];

    private static string FargateSizes =>
        "cpu 256: 512, 1024, 2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720 (in 1024 steps); 8192: 16384-61440 (4096 steps); 16384: 32768-122880 (8192 steps)";
}
