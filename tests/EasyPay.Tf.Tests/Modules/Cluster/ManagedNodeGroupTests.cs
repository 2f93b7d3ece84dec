using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class ManagedNodeGroupTests
{
    private static ManagedNodeGroupProps Props() =>
        new("easypay-test-general", "easypay-test", ["subnet-a", "subnet-b", "subnet-c"], ["sg-nodes", "sg-cluster"], ["m6i.large"], ConstructSynth.Region, ConstructSynth.AccountId);

    private static JsonObject Synth(ManagedNodeGroupProps props) => ConstructSynth.Stack((stack, _) => new ManagedNodeGroup(stack, "nodes", props));

    [Fact]
    public void The_launch_template_requires_imdsv2_with_a_hop_limit_pods_can_use()
    {
        var metadata = Synth(Props()).Single("aws_launch_template")["metadata_options"]!;
        metadata.Str("http_tokens").ShouldBe("required");
        metadata.Str("http_endpoint").ShouldBe("enabled");
        metadata.Str("http_put_response_hop_limit").ShouldBe("2");
    }

    [Fact]
    public void The_root_volume_is_encrypted_gp3_with_a_customer_managed_key_and_monitoring_is_detailed()
    {
        var json = Synth(Props() with { DiskSizeGiB = 80 });
        var template = json.Single("aws_launch_template");
        var ebs = template["block_device_mappings"]!.AsArray().ShouldHaveSingleItem()!;
        ebs.Str("device_name").ShouldBe("/dev/xvda");
        ebs.Str("ebs.volume_type").ShouldBe("gp3");
        ebs.Str("ebs.volume_size").ShouldBe("80");
        ebs.Str("ebs.encrypted").ShouldBe("true");
        ebs.Str("ebs.kms_key_id")!.ShouldStartWith("${aws_kms_key.");
        template.Str("monitoring.enabled").ShouldBe("true");
        template["vpc_security_group_ids"].Strings().ShouldBe(["sg-nodes", "sg-cluster"]);
        // Auto Scaling launches the nodes and must be able to use the key, grants only for AWS resources
        var keyPolicy = JsonNode.Parse(json.Single("aws_kms_key").Str("policy")!)!["Statement"]!.AsArray();
        keyPolicy.ShouldContain(s => s!.Str("Principal.AWS")!.EndsWith("role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", StringComparison.Ordinal)
            && s.Str("Action") == "kms:CreateGrant" && s.Str("Condition.Bool.kms:GrantIsForAWSResource") == "true");
    }

    [Fact]
    public void The_group_spreads_over_every_subnet_from_the_template_with_sizes_and_rolling_limits()
    {
        var group = Synth(Props() with { MinSize = 3, DesiredSize = 4, MaxSize = 9, CapacityType = "SPOT" }).Single("aws_eks_node_group");
        group["subnet_ids"].Strings().ShouldBe(["subnet-a", "subnet-b", "subnet-c"]);
        (group.Str("scaling_config.min_size"), group.Str("scaling_config.desired_size"), group.Str("scaling_config.max_size")).ShouldBe(("3", "4", "9"));
        group.Str("update_config.max_unavailable_percentage").ShouldBe("33");
        group.Str("capacity_type").ShouldBe("SPOT");
        group.Str("ami_type").ShouldBe("AL2023_x86_64_STANDARD");
        group.Str("launch_template.id")!.ShouldStartWith("${aws_launch_template.");
        group.Str("launch_template.version")!.ShouldEndWith(".latest_version}");
        group["lifecycle"]!["ignore_changes"].Strings().ShouldBe(["scaling_config[0].desired_size"]);
    }

    [Fact]
    public void Cluster_autoscaler_discovers_the_group_by_its_tags()
    {
        var tags = Synth(Props()).Single("aws_eks_node_group")["tags"]!;
        tags["k8s.io/cluster-autoscaler/enabled"]!.ToString().ShouldBe("true");
        tags["k8s.io/cluster-autoscaler/easypay-test"]!.ToString().ShouldBe("owned");
    }

    [Fact]
    public void Labels_and_taints_reach_the_nodes()
    {
        var group = Synth(Props() with
        {
            Labels = new Dictionary<string, string> { ["easypay.io/node-pool"] = "batch" },
            Taints = [new NodeTaint("dedicated", "batch", "NO_SCHEDULE")],
        }).Single("aws_eks_node_group");
        group["labels"]!["easypay.io/node-pool"]!.ToString().ShouldBe("batch");
        group.Str("taint.0.effect").ShouldBe("NO_SCHEDULE");
        group.Str("taint.0.key").ShouldBe("dedicated");
    }

    [Fact]
    public void The_node_role_has_only_the_four_node_policies()
    {
        var json = Synth(Props());
        json.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn")).ShouldBe(
            [
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            ],
            ignoreOrder: true);
        json.Resources("aws_iam_role_policy").ShouldBeEmpty();
        JsonNode.Parse(json.Single("aws_iam_role").Str("assume_role_policy")!)!.Str("Statement.0.Principal.Service").ShouldBe("ec2.amazonaws.com");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = Props() with
        {
            SubnetIds = ["subnet-a"],
            InstanceTypes = ["m7g.large"],
            CapacityType = "RESERVED",
            MinSize = 5,
            DesiredSize = 2,
            MaxSize = 4,
            DiskSizeGiB = 8,
            Taints = [new NodeTaint("k", "v", "NoSchedule")],
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("ManagedNodeGroupProps.SubnetIds: give the private subnets of at least two AZs");
        message.ShouldContain("ManagedNodeGroupProps.InstanceTypes: 'm7g.large' is an arm64 (Graviton) type");
        message.ShouldContain("ManagedNodeGroupProps.CapacityType: 'RESERVED' must be ON_DEMAND or SPOT");
        message.ShouldContain("ManagedNodeGroupProps.MinSize: 5 must be between 1 and MaxSize 4");
        message.ShouldContain("ManagedNodeGroupProps.DesiredSize: 2 must lie between MinSize 5 and MaxSize 4");
        message.ShouldContain("ManagedNodeGroupProps.DiskSizeGiB: 8 GiB is too small");
        message.ShouldContain("ManagedNodeGroupProps.Taints: taint k has effect 'NoSchedule'");
    }
}
