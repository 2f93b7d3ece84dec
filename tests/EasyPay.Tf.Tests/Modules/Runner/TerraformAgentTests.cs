using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Runner;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Modules.Runner;

public class TerraformAgentTests
{
    private const string Image = "hashicorp/tfc-agent:1.23.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static TerraformAgentProps Props(TerraformStack stack) => new(
        "easypay-test-tfc-agent", "vpc-1", "10.40.0.0/16", ["subnet-a", "subnet-b", "subnet-c"], Image,
        new TerraformVariable(stack, "tfc_agent_token", new TerraformVariableConfig { Type = "string", Sensitive = true }).StringValue,
        30);

    private static JsonObject Synth(Func<TerraformAgentProps, TerraformAgentProps>? change = null) => ConstructSynth.Stack((stack, _) =>
        new TerraformAgent(stack, "agent", (change ?? (p => p))(Props(stack))));

    private static string Ref(JsonObject json, string type, string attribute) =>
        $"${{{type}.{json.Resources(type).ShouldHaveSingleItem().Name}.{attribute}}}";

    private static JsonNode Container(JsonObject json) =>
        JsonNode.Parse(json.Single("aws_ecs_task_definition").Str("container_definitions")!)!.AsArray().ShouldHaveSingleItem()!;

    private static Dictionary<string, JsonNode> Statements(string? policy) =>
        JsonNode.Parse(policy!)!["Statement"]!.AsArray().ToDictionary(s => s!.Str("Sid")!, s => s!);

    private static string AgentLogGroup(JsonObject json) =>
        json.Resources("aws_cloudwatch_log_group").Single(g => g.Body.Str("name") == "/easypay/easypay-test-tfc-agent").Name;

    private static IReadOnlyList<string> OneOrMany(JsonNode? node) => node is JsonArray ? node.Strings() : [node!.ToString()];

    [Fact]
    public void The_task_runs_the_pinned_image_as_a_fargate_linux_x86_task_of_the_default_size()
    {
        var task = Synth().Single("aws_ecs_task_definition");
        // ECS RegisterTaskDefinition: Fargate requires networkMode awsvpc; RuntimePlatform LINUX / X86_64 (provider
        // validates against the SDK's OSFamily and CPUArchitecture enums).
        (task.Str("family"), task.Str("network_mode"), task.Str("requires_compatibilities.0")).ShouldBe(("easypay-test-tfc-agent", "awsvpc", "FARGATE"));
        (task.Str("runtime_platform.operating_system_family"), task.Str("runtime_platform.cpu_architecture")).ShouldBe(("LINUX", "X86_64"));
        // HCP Terraform agent requirements: at least 2 GB of memory; 1024/2048 is a Fargate pair (ECS task size table).
        (task.Str("cpu"), task.Str("memory")).ShouldBe(("1024", "2048"));
        var container = Container(Synth());
        (container.Str("image"), container.Str("essential"), container.Str("privileged")).ShouldBe((Image, "true", "false"));
        // ECS ContainerDefinition.stopTimeout: 120 s is the Fargate maximum.
        container.Str("stopTimeout").ShouldBe("120");
    }

    [Fact]
    public void The_token_comes_from_the_secret_and_only_address_name_and_update_policy_are_plain_environment()
    {
        var json = Synth();
        var container = Container(json);
        // ECS ContainerDefinition.secrets: name + valueFrom (the secret's full ARN injects the whole secret string).
        var secret = container["secrets"]!.AsArray().ShouldHaveSingleItem()!;
        (secret.Str("name"), secret.Str("valueFrom")).ShouldBe(("TFC_AGENT_TOKEN", Ref(json, "aws_secretsmanager_secret", "arn")));
        // tfc-agent CLI options: TFC_ADDRESS (default https://app.terraform.io), TFC_AGENT_NAME, TFC_AGENT_AUTO_UPDATE.
        container["environment"]!.AsArray().ToDictionary(e => e!.Str("name")!, e => e!.Str("value")).ShouldBe(new Dictionary<string, string?>
        {
            ["TFC_ADDRESS"] = "https://app.terraform.io",
            ["TFC_AGENT_NAME"] = "easypay-test-tfc-agent",
            ["TFC_AGENT_AUTO_UPDATE"] = "disabled",
        });
        container.ToJsonString().ShouldNotContain("var.tfc_agent_token");
        // The token itself lives only in the secret version, under the construct's own key.
        json.Single("aws_secretsmanager_secret_version").Str("secret_string").ShouldBe("${var.tfc_agent_token}");
        var secretResource = json.Single("aws_secretsmanager_secret");
        (secretResource.Str("name"), secretResource.Str("recovery_window_in_days")).ShouldBe(("easypay-test-tfc-agent/agent-token", "30"));
        var tokenKey = json.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("HCP Terraform agent token", StringComparison.Ordinal));
        secretResource.Str("kms_key_id").ShouldBe($"${{aws_kms_key.{tokenKey.Name}.arn}}");
    }

    [Fact]
    public void Logs_go_through_awslogs_to_an_encrypted_log_group_with_retention()
    {
        var json = Synth();
        var options = Container(json)["logConfiguration"]!;
        // ECS LogConfiguration (awslogs): awslogs-group and awslogs-region required; awslogs-stream-prefix required on Fargate.
        options.Str("logDriver").ShouldBe("awslogs");
        options["options"]!.AsObject().ToDictionary(o => o.Key, o => o.Value!.ToString()).ShouldBe(new Dictionary<string, string>
        {
            ["awslogs-group"] = $"${{aws_cloudwatch_log_group.{AgentLogGroup(json)}.name}}",
            ["awslogs-region"] = ConstructSynth.Region,
            ["awslogs-stream-prefix"] = "tfc-agent",
        });
        var groups = json.Resources("aws_cloudwatch_log_group").ToDictionary(g => g.Body.Str("name")!, g => g.Body);
        // CloudWatch user guide: ECS Container Insights writes to /aws/ecs/containerinsights/CLUSTER/performance.
        groups.Keys.ShouldBe(["/easypay/easypay-test-tfc-agent", "/aws/ecs/containerinsights/easypay-test-tfc-agent/performance"], ignoreOrder: true);
        var logsKey = json.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("Agent and Container Insights logs", StringComparison.Ordinal));
        groups.Values.ShouldAllBe(g => g.Str("retention_in_days") == "30" && g.Str("kms_key_id") == $"${{aws_kms_key.{logsKey.Name}.arn}}");
        // CloudWatch Logs user guide, "Encrypt log data using AWS KMS": the regional logs service principal uses the key.
        Statements(logsKey.Body.Str("policy"))["AllowCloudWatchLogs"].Str("Principal.Service").ShouldBe($"logs.{ConstructSynth.Region}.amazonaws.com");
        // ECS ClusterSetting: containerInsights = enabled; the cluster waits for its pre-created log group.
        var cluster = json.Single("aws_ecs_cluster");
        (cluster.Str("setting.0.name"), cluster.Str("setting.0.value")).ShouldBe(("containerInsights", "enabled"));
        cluster["depends_on"].Strings().ShouldHaveSingleItem().ShouldStartWith("aws_cloudwatch_log_group.");
    }

    [Fact]
    public void The_execution_role_can_only_write_its_logs_and_read_and_decrypt_its_token()
    {
        var json = Synth();
        var role = json.Single("aws_iam_role");
        json.Single("aws_ecs_task_definition").Str("execution_role_arn").ShouldBe(Ref(json, "aws_iam_role", "arn"));
        // ECS task execution IAM role: trust ecs-tasks.amazonaws.com; aws:SourceAccount limits it to this account's tasks.
        var trust = JsonNode.Parse(role.Str("assume_role_policy")!)!["Statement"]!.AsArray().ShouldHaveSingleItem()!;
        (trust.Str("Principal.Service"), trust.Str("Action"), trust.Str("Condition.StringEquals.aws:SourceAccount"))
            .ShouldBe(("ecs-tasks.amazonaws.com", "sts:AssumeRole", ConstructSynth.AccountId));
        json.Resources("aws_iam_role_policy_attachment").ShouldBeEmpty(); // no AmazonECSTaskExecutionRolePolicy (ecr:*, logs on *)
        var logGroup = AgentLogGroup(json);
        var tokenKey = json.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("HCP Terraform agent token", StringComparison.Ordinal)).Name;
        // ECS task execution IAM role: awslogs needs CreateLogStream + PutLogEvents; secrets need GetSecretValue and,
        // for a customer-managed key, kms:Decrypt.
        var statements = Statements(json.Single("aws_iam_role_policy").Str("policy"));
        statements.Keys.ShouldBe(["WriteOwnLogs", "ReadOwnToken", "DecryptOwnToken"], ignoreOrder: true);
        statements.Values.ShouldAllBe(s => s.Str("Effect") == "Allow");
        OneOrMany(statements["WriteOwnLogs"]["Action"]).ShouldBe(["logs:CreateLogStream", "logs:PutLogEvents"]);
        OneOrMany(statements["WriteOwnLogs"]["Resource"]).ShouldBe(
            [$"${{aws_cloudwatch_log_group.{logGroup}.arn}}", $"${{aws_cloudwatch_log_group.{logGroup}.arn}}:log-stream:*"]);
        (statements["ReadOwnToken"].Str("Action"), statements["ReadOwnToken"].Str("Resource"))
            .ShouldBe(("secretsmanager:GetSecretValue", Ref(json, "aws_secretsmanager_secret", "arn")));
        (statements["DecryptOwnToken"].Str("Action"), statements["DecryptOwnToken"].Str("Resource"))
            .ShouldBe(("kms:Decrypt", $"${{aws_kms_key.{tokenKey}.arn}}"));
        // AWS KMS condition keys: kms:ViaService limits the decrypt to requests Secrets Manager makes for the role.
        statements["DecryptOwnToken"].Str("Condition.StringEquals.kms:ViaService").ShouldBe($"secretsmanager.{ConstructSynth.Region}.amazonaws.com");
    }

    [Fact]
    public void The_task_has_no_task_role()
    {
        var json = Synth();
        // Runs authenticate with HCP Terraform dynamic credentials; the container gets no AWS identity of its own.
        json.Single("aws_ecs_task_definition")["task_role_arn"].ShouldBeNull();
        json.Resources("aws_iam_role").Count.ShouldBe(1);
    }

    [Fact]
    public void The_security_group_admits_nothing_and_lets_out_only_https_and_dns_to_the_vpc_resolver()
    {
        var json = Synth();
        var sg = json.Single("aws_security_group");
        // Provider docs (aws_security_group): without inline rules Terraform removes AWS's default allow-all egress.
        (sg["ingress"], sg["egress"]).ShouldBe((null, null));
        json.Resources("aws_vpc_security_group_ingress_rule").ShouldBeEmpty();
        json.Resources("aws_security_group_rule").ShouldBeEmpty();
        var self = Ref(json, "aws_security_group", "id");
        var egress = json.Resources("aws_vpc_security_group_egress_rule").Select(r => r.Body).ToList();
        egress.ShouldAllBe(r => r.Str("security_group_id") == self && !string.IsNullOrEmpty(r.Str("description")));
        // Amazon VPC user guide, "Amazon DNS server": VPC base + 2 (10.40.0.0/16 -> 10.40.0.2).
        egress.Select(r => (r.Str("ip_protocol"), r.Str("from_port"), r.Str("to_port"), r.Str("cidr_ipv4"))).ShouldBe(
            [
                ("tcp", "443", "443", "0.0.0.0/0"),
                ("udp", "53", "53", "10.40.0.2/32"),
                ("tcp", "53", "53", "10.40.0.2/32"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void The_service_spans_the_private_subnets_without_public_ips_and_rolls_back_a_failing_deployment()
    {
        var json = Synth();
        var service = json.Single("aws_ecs_service");
        service.Str("cluster").ShouldBe(Ref(json, "aws_ecs_cluster", "arn"));
        service.Str("task_definition").ShouldBe(Ref(json, "aws_ecs_task_definition", "arn"));
        // Fargate Linux platform versions: 1.4.0 (pinned instead of LATEST).
        (service.Str("launch_type"), service.Str("platform_version")).ShouldBe(("FARGATE", "1.4.0"));
        service.Str("desired_count").ShouldBe("3"); // one agent per subnet (AZ) by default
        service["network_configuration"]!["subnets"].Strings().ShouldBe(["subnet-a", "subnet-b", "subnet-c"]);
        service["network_configuration"]!["security_groups"].Strings().ShouldBe([Ref(json, "aws_security_group", "id")]);
        service.Str("network_configuration.assign_public_ip").ShouldBe("false");
        // ECS DeploymentCircuitBreaker: enable + rollback; DeploymentConfiguration minimumHealthyPercent / maximumPercent.
        (service.Str("deployment_circuit_breaker.enable"), service.Str("deployment_circuit_breaker.rollback")).ShouldBe(("true", "true"));
        (service.Str("deployment_minimum_healthy_percent"), service.Str("deployment_maximum_percent")).ShouldBe(("100", "200"));
        // ECS CreateService propagateTags: TASK_DEFINITION | SERVICE | NONE.
        (service.Str("propagate_tags"), service.Str("enable_execute_command"), service.Str("wait_for_steady_state"))
            .ShouldBe(("SERVICE", "false", "true"));
        var dependsOn = service["depends_on"].Strings();
        dependsOn.ShouldContain(d => d.StartsWith("aws_iam_role_policy.", StringComparison.Ordinal));
        dependsOn.ShouldContain(d => d.StartsWith("aws_secretsmanager_secret_version.", StringComparison.Ordinal));
    }

    [Fact]
    public void Desired_count_and_task_size_can_be_set()
    {
        var json = Synth(p => p with { DesiredCount = 1, Cpu = 2048, Memory = 6144, TfcAddress = "https://tfe.example.com" });
        json.Single("aws_ecs_service").Str("desired_count").ShouldBe("1");
        (json.Single("aws_ecs_task_definition").Str("cpu"), json.Single("aws_ecs_task_definition").Str("memory")).ShouldBe(("2048", "6144"));
        Container(json)["environment"]!.AsArray().Single(e => e!.Str("name") == "TFC_ADDRESS")!.Str("value").ShouldBe("https://tfe.example.com");
    }

    [Theory]
    // ECS task size table: 256 takes 512/1024/2048 only; 1024 takes 2-8 GB in 1 GB steps; 8192 takes 16-60 GB in 4 GB steps.
    [InlineData(256, 2048, true)]
    [InlineData(256, 1536, false)]
    [InlineData(1024, 1024, false)]
    [InlineData(1024, 8192, true)]
    [InlineData(2048, 4096, true)]
    [InlineData(4096, 31744, false)]
    [InlineData(8192, 20480, true)]
    [InlineData(8192, 17408, false)]
    [InlineData(16384, 122880, true)]
    [InlineData(3072, 8192, false)]
    public void Only_fargate_task_sizes_are_accepted(int cpu, int memory, bool valid) =>
        TerraformAgent.IsFargateSize(cpu, memory).ShouldBe(valid);

    [Fact]
    public void Every_problem_with_the_props_is_reported_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(p => p with
        {
            Name = "EasyPay Agent",
            VpcCidr = "10.40.0.1/16",
            Image = "hashicorp/tfc-agent:latest",
            TokenValue = "atlasv1.literal-token",
            LogRetentionDays = 42,
            Cpu = 1024,
            Memory = 1024,
            SecretRecoveryWindowInDays = 0,
            TfcAddress = "http://app.terraform.io:8080",
        })).Message;
        message.ShouldContain("Invalid TerraformAgentProps (8 problem(s))");
        message.ShouldContain("TerraformAgentProps.Name: 'EasyPay Agent' must be 2-48 lowercase letters");
        message.ShouldContain("TerraformAgentProps.VpcCidr: '10.40.0.1/16' has host bits set");
        message.ShouldContain("TerraformAgentProps.Image: 'hashicorp/tfc-agent:latest' is not pinned");
        message.ShouldContain("TerraformAgentProps.TokenValue: must be a Terraform reference");
        message.ShouldContain("TerraformAgentProps.LogRetentionDays: 42 is not a CloudWatch Logs retention period");
        message.ShouldContain("TerraformAgentProps.Memory: cpu 1024 with memory 1024 MiB is not a Fargate task size");
        message.ShouldContain("TerraformAgentProps.SecretRecoveryWindowInDays: 0 is outside Secrets Manager's 7-30 day recovery window");
        message.ShouldContain("TerraformAgentProps.TfcAddress: 'http://app.terraform.io:8080' must be https://HOST");
    }

    [Fact]
    public void No_subnets_means_no_agents_and_is_rejected()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(p => p with { SubnetIds = [] })).Message;
        message.ShouldContain("TerraformAgentProps.SubnetIds: give the private subnets, one per AZ");
        message.ShouldContain("TerraformAgentProps.DesiredCount: 0 agents would run nothing");
        Should.Throw<ArgumentException>(() => Synth(p => p with { DesiredCount = 0 })).Message
            .ShouldContain("TerraformAgentProps.DesiredCount: 0 agents would run nothing");
    }

    [Theory]
    // Pinning: a floating tag, an upper-case or short digest and a digest without a version are all refused.
    [InlineData("hashicorp/tfc-agent:1")]
    [InlineData("hashicorp/tfc-agent:latest")]
    [InlineData("hashicorp/tfc-agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("hashicorp/tfc-agent:1.23.1@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("hashicorp/tfc-agent:1.23.1@sha256:0123456789abcdef")]
    public void Images_not_pinned_are_rejected(string image) =>
        Should.Throw<ArgumentException>(() => Synth(p => p with { Image = image })).Message
            .ShouldContain("TerraformAgentProps.Image:");
}
