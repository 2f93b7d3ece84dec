using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class ManagedNodeGroupTests
{
    private const string AutoScalingRole = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";

    private static readonly NodeGroupZone[] Zones =
        [new("eu-west-1a", "subnet-a"), new("eu-west-1b", "subnet-b"), new("eu-west-1c", "subnet-c")];

    private static ManagedNodeGroupProps Props() =>
        new("easypay-test-general", "easypay-test", Zones, ["sg-nodes", "sg-cluster"], ["m6i.large"], AutoScalingRole);

    private static JsonObject Synth(ManagedNodeGroupProps props) => ConstructSynth.Stack((stack, _) => new ManagedNodeGroup(stack, "nodes", props));

    [Fact]
    public void The_launch_template_requires_imdsv2_out_of_reach_of_pods()
    {
        var metadata = Synth(Props()).Single("aws_launch_template")["metadata_options"]!;
        metadata.Str("http_tokens").ShouldBe("required");
        metadata.Str("http_endpoint").ShouldBe("enabled");
        // Hop limit 1: a pod's own network namespace is one hop away, so only host-network pods reach IMDS and
        // the node role (EKS best practices, "Restrict access to the instance profile assigned to the worker node").
        metadata.Str("http_put_response_hop_limit").ShouldBe("1");
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
        // The key policy names the service-linked role the caller passes (created before the key: KMS rejects a
        // policy whose principal does not exist, KMS API reference, PutKeyPolicy / CreateKey).
        keyPolicy.ShouldContain(s => s!.Str("Principal.AWS") == AutoScalingRole
            && s.Str("Action") == "kms:CreateGrant" && s.Str("Condition.Bool.kms:GrantIsForAWSResource") == "true");
    }

    [Fact]
    public void Every_az_gets_its_own_group_from_the_one_template_with_per_az_sizes_and_rolling_limits()
    {
        var json = Synth(Props() with { MinSizePerAz = 1, DesiredSizePerAz = 2, MaxSizePerAz = 3, CapacityType = NodeCapacityType.Spot });
        var groups = json.Resources("aws_eks_node_group").Select(g => g.Body).ToList();
        // cluster-autoscaler FAQ: "use separate node groups per zone" so it can add a node in the zone a pod needs.
        groups.Select(g => (g.Str("node_group_name_prefix"), g["subnet_ids"].Strings().Single())).ShouldBe(
            [("easypay-test-general-1a-", "subnet-a"), ("easypay-test-general-1b-", "subnet-b"), ("easypay-test-general-1c-", "subnet-c")],
            ignoreOrder: true);
        // instance_types, capacity_type and ami_type force a new node group (provider eks node_group ForceNew):
        // with a name prefix the replacement is created before the old group drains.
        groups.ShouldAllBe(g => g["node_group_name"] == null && g.Str("lifecycle.create_before_destroy") == "true");
        json.Resources("aws_launch_template").ShouldHaveSingleItem();
        json.Resources("aws_iam_role").ShouldHaveSingleItem();
        foreach (var group in groups)
        {
            (group.Str("scaling_config.min_size"), group.Str("scaling_config.desired_size"), group.Str("scaling_config.max_size")).ShouldBe(("1", "2", "3"));
            group.Str("update_config.max_unavailable_percentage").ShouldBe("33");
            group.Str("capacity_type").ShouldBe("SPOT");
            group.Str("ami_type").ShouldBe("AL2023_x86_64_STANDARD");
            group.Str("launch_template.id")!.ShouldStartWith("${aws_launch_template.");
            group.Str("launch_template.version")!.ShouldEndWith(".latest_version}");
            group["lifecycle"]!["ignore_changes"].Strings().ShouldBe(["scaling_config[0].desired_size"]);
        }
    }

    [Fact]
    public void A_version_change_rolls_one_az_after_the_other()
    {
        var json = Synth(Props() with { KubernetesVersion = "1.35" });
        var groups = json.Resources("aws_eks_node_group").ToList();
        groups.ShouldAllBe(g => g.Body.Str("version") == "1.35");
        // Each AZ's group depends on the previous AZ's, so Terraform updates (or replaces) them one at a time.
        for (var i = 1; i < groups.Count; i++)
        {
            groups[i].Body["depends_on"].Strings().ShouldContain($"aws_eks_node_group.{groups[i - 1].Name}");
        }
        groups[0].Body["depends_on"].Strings().ShouldNotContain(d => d.StartsWith("aws_eks_node_group.", StringComparison.Ordinal));
        // Without a version the group is created at the cluster's and never follows its upgrades.
        Synth(Props()).Resources("aws_eks_node_group").ShouldAllBe(g => g.Body["version"] == null);
    }

    [Fact]
    public void Auto_repair_replaces_a_not_ready_node_one_at_a_time()
    {
        // provider 6.25 node_repair_config: enabled, max_parallel_nodes_repaired_count (>= 1; #44894).
        foreach (var group in Synth(Props()).Resources("aws_eks_node_group"))
        {
            group.Body.Str("node_repair_config.enabled").ShouldBe("true");
            group.Body.Str("node_repair_config.max_parallel_nodes_repaired_count").ShouldBe("1");
        }
        Synth(Props() with { AutoRepair = false }).Resources("aws_eks_node_group")
            .ShouldAllBe(g => g.Body.Str("node_repair_config.enabled") == "false" && g.Body.Str("node_repair_config.max_parallel_nodes_repaired_count") == null);
    }

    [Fact]
    public void Cluster_autoscaler_discovers_the_group_by_its_tags()
    {
        var tags = Synth(Props()).Resources("aws_eks_node_group")[0].Body["tags"]!;
        tags["k8s.io/cluster-autoscaler/enabled"]!.ToString().ShouldBe("true");
        tags["k8s.io/cluster-autoscaler/easypay-test"]!.ToString().ShouldBe("owned");
    }

    [Fact]
    public void Labels_and_taints_reach_the_nodes()
    {
        var group = Synth(Props() with
        {
            Labels = new Dictionary<string, string> { ["easypay.io/node-pool"] = "batch" },
            Taints = [new NodeTaint("dedicated", "batch", NodeTaintEffect.NoSchedule)],
        }).Resources("aws_eks_node_group")[0].Body;
        group["labels"]!["easypay.io/node-pool"]!.ToString().ShouldBe("batch");
        // EKS API reference, Taint.effect: NO_SCHEDULE | NO_EXECUTE | PREFER_NO_SCHEDULE.
        group.Str("taint.0.effect").ShouldBe("NO_SCHEDULE");
        group.Str("taint.0.key").ShouldBe("dedicated");
    }

    [Fact]
    public void The_node_role_has_only_the_kubelet_policies()
    {
        var json = Synth(Props());
        // The CNI's policy is its IRSA role's (AWS, "Configure Amazon VPC CNI plugin to use IRSA"); no Session Manager.
        // PullOnly: GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer, BatchImportUpstreamImage (AWS managed
        // policy reference, AmazonEC2ContainerRegistryPullOnly v1), what kubelet's ECR credential provider and a pull need.
        json.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn")).ShouldBe(
            [
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            ],
            ignoreOrder: true);
        json.Resources("aws_iam_role_policy").ShouldBeEmpty();
        JsonNode.Parse(json.Single("aws_iam_role").Str("assume_role_policy")!)!.Str("Statement.0.Principal.Service").ShouldBe("ec2.amazonaws.com");

        // During the upgrade to the CNI's IRSA role, and where Session Manager is wanted (dev), each is one prop.
        Synth(Props() with { CniPolicyOnNodeRole = true, SessionManager = true }).Resources("aws_iam_role_policy_attachment")
            .Select(a => a.Body.Str("policy_arn")).ShouldBe(
            [
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Nodes_may_create_and_import_only_the_pull_through_cache_repositories()
    {
        var json = Synth(Props() with { PullThroughCachePrefixes = ["quay", "docker-hub"] });
        var policy = JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!;
        // ECR user guide, "IAM permissions required to sync an upstream registry": a first pull needs
        // ecr:BatchImportUpstreamImage and, for a repository that does not exist yet, ecr:CreateRepository.
        policy["Statement"]!.AsArray().ShouldHaveSingleItem();
        policy["Statement"]![0]!["Action"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]);
        policy["Statement"]![0]!["Resource"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(
            ["arn:aws:ecr:eu-west-1:123456789012:repository/quay/*", "arn:aws:ecr:eu-west-1:123456789012:repository/docker-hub/*"]);
    }

    [Theory]
    // EKS API reference, CreateNodegroup capacityType: ON_DEMAND | SPOT | CAPACITY_BLOCK.
    [InlineData(NodeCapacityType.OnDemand, "ON_DEMAND")]
    [InlineData(NodeCapacityType.Spot, "SPOT")]
    public void Capacity_types_render_as_the_eks_api_spells_them(NodeCapacityType type, string expected) =>
        Synth(Props() with { CapacityType = type }).Resources("aws_eks_node_group").ShouldAllBe(g => g.Body.Str("capacity_type") == expected);

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = Props() with
        {
            Zones = [new NodeGroupZone("eu-west-1a", "subnet-a")],
            InstanceTypes = ["m7g.large"],
            CapacityType = (NodeCapacityType)42,
            MinSizePerAz = 5,
            DesiredSizePerAz = 2,
            MaxSizePerAz = 4,
            DiskSizeGiB = 8,
            Taints = [new NodeTaint("k", "v", (NodeTaintEffect)9)],
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("ManagedNodeGroupProps.Zones: give the private subnets of at least two AZs");
        message.ShouldContain("ManagedNodeGroupProps.InstanceTypes: 'm7g.large' is an arm64 (Graviton) type");
        message.ShouldContain("ManagedNodeGroupProps.CapacityType: '42' is not a NodeCapacityType");
        message.ShouldContain("ManagedNodeGroupProps.MinSizePerAz: 5 must be between 1 (a node in every AZ) and MaxSizePerAz 4");
        message.ShouldContain("ManagedNodeGroupProps.DesiredSizePerAz: 2 must lie between MinSizePerAz 5 and MaxSizePerAz 4");
        message.ShouldContain("ManagedNodeGroupProps.DiskSizeGiB: 8 GiB is too small");
        message.ShouldContain("ManagedNodeGroupProps.Taints: taint k has effect '9', which is not a NodeTaintEffect");
    }
}
