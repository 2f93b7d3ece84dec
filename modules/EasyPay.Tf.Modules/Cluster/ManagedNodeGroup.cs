using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EksNodeGroup;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;
using HashiCorp.Cdktf.Providers.Aws.LaunchTemplate;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>What a taint does to pods that do not tolerate it (Kubernetes' NoSchedule, NoExecute, PreferNoSchedule).</summary>
public enum NodeTaintEffect
{
    NoSchedule,
    NoExecute,
    PreferNoSchedule,
}

/// <summary>A Kubernetes node taint of every node of the pool.</summary>
public sealed record NodeTaint(string Key, string Value, NodeTaintEffect Effect);

/// <summary>One AZ of a <see cref="ManagedNodeGroup"/>: it gets an EKS node group of its own there.</summary>
/// <param name="AvailabilityZone">e.g. eu-west-1a; its last segment (1a) goes into the node group's name.</param>
/// <param name="SubnetId">The private subnet of that AZ.</param>
public sealed record NodeGroupZone(string AvailabilityZone, string SubnetId);

/// <summary>How the nodes are bought.</summary>
public enum NodeCapacityType
{
    /// <summary>Never reclaimed by AWS (production payments).</summary>
    OnDemand,
    /// <summary>Up to ~90% cheaper, reclaimed at two minutes' notice (development).</summary>
    Spot,
}

/// <summary>Props of <see cref="ManagedNodeGroup"/>.</summary>
/// <param name="Name">Name of the pool, e.g. easypay-prod-general: names the role, template and key; each
/// AZ's node group is named NAME-ZONE- plus a unique suffix (easypay-prod-general-1a-2025...).</param>
/// <param name="ClusterName">The cluster the nodes join.</param>
/// <param name="Zones">The private subnet of every AZ the pool spans (at least two): one node group each.</param>
/// <param name="SecurityGroupIds">The nodes' security groups. A launch template with security groups replaces EKS's
/// default, so EKS does not add the cluster security group (Amazon EKS user guide, "Customize managed nodes with launch
/// templates"): name it only to accept its allow-all egress; <see cref="NodeSecurityGroup"/> opens the control-plane
/// paths itself.</param>
/// <param name="InstanceTypes">x86_64 instance types (the AMI is Amazon Linux 2023 x86_64).</param>
/// <param name="AutoScalingServiceLinkedRoleArn">The EC2 Auto Scaling service-linked role, which launches the
/// nodes and must use the volume key. It must exist before the key policy names it (KMS rejects unknown
/// principals): pass the ARN of a <see cref="Security.ServiceLinkedRole"/>.</param>
public sealed record ManagedNodeGroupProps(
    string Name,
    string ClusterName,
    IReadOnlyList<NodeGroupZone> Zones,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyList<string> InstanceTypes,
    string AutoScalingServiceLinkedRoleArn)
{
    /// <summary>@default <see cref="NodeCapacityType.OnDemand"/></summary>
    public NodeCapacityType CapacityType { get; init; } = NodeCapacityType.OnDemand;

    /// <summary>Nodes per AZ the group never goes below. @default 1</summary>
    public int MinSizePerAz { get; init; } = 1;

    /// <summary>Nodes per AZ at creation (cluster-autoscaler owns the number afterwards). @default 1</summary>
    public int DesiredSizePerAz { get; init; } = 1;

    /// <summary>Nodes per AZ cluster-autoscaler may grow to. @default 3</summary>
    public int MaxSizePerAz { get; init; } = 3;

    public int DiskSizeGiB { get; init; } = 50;

    /// <summary>Share of an AZ's nodes a rolling update may replace at once (at least one node). @default 33</summary>
    public int MaxUnavailablePercentage { get; init; } = 33;

    /// <summary>IMDSv2 response hop limit. 1 (the default) keeps pods, which sit one network hop behind the
    /// node, away from IMDS and so from the node role's credentials: every add-on that calls AWS has its own
    /// IRSA role and is given its region and VPC explicitly; host-network pods (VPC CNI, kube-proxy, the
    /// Container Insights agents) still reach IMDS. @default 1</summary>
    public int MetadataHopLimit { get; init; } = 1;

    /// <summary>Kubernetes labels of every node; workloads select the pool with them.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>@default none</summary>
    public IReadOnlyList<NodeTaint> Taints { get; init; } = [];

    /// <summary>Tags for the instances and volumes the template launches. The provider's default_tags stop
    /// at the launch template itself, so the caller passes them here to reach nodes and their disks.</summary>
    public IReadOnlyDictionary<string, string> LaunchedResourceTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Waiting period before a scheduled deletion of the volume key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>The nodes' Kubernetes minor version ("1.35"): the control plane's, or up to three minors older
    /// while an upgrade is under way (Kubernetes version skew policy: kubelet may be up to three minors older than
    /// the API server, never newer). Changing it rolls the AZs' groups one after the other. @default null (the
    /// cluster's version when a group is created; later control-plane upgrades leave the nodes behind)</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>AmazonEKS_CNI_Policy on the node role, which every pod that reaches IMDS (host-network ones) then
    /// holds. Only while the vpc-cni add-on moves to its IRSA role during an upgrade. @default false</summary>
    public bool CniPolicyOnNodeRole { get; init; }

    /// <summary>AmazonSSMManagedInstanceCore: Session Manager shells on the nodes (root, outside the Kubernetes
    /// audit log, not session-logged here) and read access to every SSM parameter of the account. @default false</summary>
    public bool SessionManager { get; init; }

    /// <summary>Repository prefixes of the account's ECR pull-through cache (Registry.PullThroughCache): kubelet may
    /// import upstream images into them and create their repositories on a first pull, nothing else. @default none</summary>
    public IReadOnlyList<string> PullThroughCachePrefixes { get; init; } = [];

    /// <summary>EKS node auto repair: a node NotReady for 30 minutes (or deleted) is replaced, one node per AZ's
    /// group at a time. EKS halts repairs itself when more than 20% of a group of more than five nodes is
    /// unhealthy, and during an ARC zonal shift. @default true</summary>
    public bool AutoRepair { get; init; } = true;
}

/// <summary>A pool of EKS managed node groups on Amazon Linux 2023, one per AZ, launched from one template that
/// requires IMDSv2 (hop limit 1), encrypts a gp3 root volume with a customer-managed key and turns on detailed
/// monitoring, run by one role with only what kubelet needs (the CNI's permissions are its own IRSA role's). Tagged for cluster-autoscaler
/// auto-discovery.</summary>
public sealed class ManagedNodeGroup : Construct
{
    public const string AmiType = "AL2023_x86_64_STANDARD";

    /// <summary>Root device of the AL2023 EKS AMIs.</summary>
    public const string RootDevice = "/dev/xvda";

    /// <summary>What every node needs: join the cluster (kubelet) and pull images from ECR. AmazonEC2ContainerRegistryPullOnly
    /// (GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer, BatchImportUpstreamImage) rather than ReadOnly, whose
    /// describe and list actions kubelet never calls (the Amazon EKS user guide's node role uses PullOnly).</summary>
    public static readonly IReadOnlyList<string> NodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"];

    /// <summary>The VPC CNI's ENI and IP permissions; they belong to its IRSA role (kube-system:aws-node).</summary>
    public const string CniPolicy = "AmazonEKS_CNI_Policy";

    /// <summary>Session Manager on the nodes.</summary>
    public const string SessionManagerPolicy = "AmazonSSMManagedInstanceCore";

    /// <summary>The managed policies of the node role for these props.</summary>
    public static IReadOnlyList<string> PoliciesFor(ManagedNodeGroupProps props) =>
        [.. NodePolicies, .. props.CniPolicyOnNodeRole ? [CniPolicy] : Array.Empty<string>(), .. props.SessionManager ? [SessionManagerPolicy] : Array.Empty<string>()];

    public string Name { get; }
    public string RoleArn { get; }
    public string RoleName { get; }
    public string LaunchTemplateId { get; }

    /// <summary>The per-AZ node groups, for add-ons that must wait for nodes.</summary>
    public IReadOnlyList<ITerraformDependable> Resources { get; }

    /// <summary>node_group_name_prefix of one AZ's group: NAME-ZONE- (zone = the AZ's last segment, e.g. 1a);
    /// Terraform appends a unique suffix, so a replacement can be created before the group it replaces.</summary>
    public static string NodeGroupNamePrefix(string name, string availabilityZone) =>
        $"{name}-{availabilityZone[(availabilityZone.LastIndexOf('-') + 1)..]}-";

    /// <summary>The tags cluster-autoscaler discovers node groups by (EKS also puts them on the group's ASG).</summary>
    public static IReadOnlyDictionary<string, string> AutoscalerTags(string clusterName) => new Dictionary<string, string>
    {
        ["k8s.io/cluster-autoscaler/enabled"] = "true",
        [$"k8s.io/cluster-autoscaler/{clusterName}"] = "owned",
    };

    public ManagedNodeGroup(Construct scope, string id, ManagedNodeGroupProps props, params ITerraformDependable[] dependsOn) : base(scope, id)
    {
        Validate(props);

        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = $"{props.Name}-node",
            Description = $"EKS nodes of {props.Name}",
            AssumeRolePolicy = PolicyDocument.Render(new PolicyStatement(
                "Ec2Assume", ["sts:AssumeRole"], Principals: PolicyDocument.Service("ec2.amazonaws.com"))),
        });
        var attachments = PoliciesFor(props).Select(p => (ITerraformDependable)new IamRolePolicyAttachment(this, $"policy-{p}", new IamRolePolicyAttachmentConfig
        {
            Role = role.Name,
            PolicyArn = AwsEnvironment.Of(this).ManagedPolicyArn(p),
        })).ToList();
        if (props.PullThroughCachePrefixes.Count > 0)
        {
            // A first pull through the cache creates the repository as the puller (ECR user guide, "IAM permissions
            // required to sync an upstream registry"); PullOnly has no ecr:CreateRepository.
            attachments.Add(new IamRolePolicy(this, "pull-through-cache", new IamRolePolicyConfig
            {
                Name = "pull-through-cache",
                Role = role.Id,
                Policy = PolicyDocument.Render(Registry.PullThroughCache.PullerStatement(AwsEnvironment.Of(this), props.PullThroughCachePrefixes)),
            }));
        }

        var volumeKey = new EncryptionKey(this, "volume-key", new EncryptionKeyProps(
            $"{props.Name}-node-volumes", $"Root volumes of the {props.Name} nodes")
        {
            AdditionalStatements = AutoScalingVolumeKeyStatements(props.AutoScalingServiceLinkedRoleArn),
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });

        var nameTag = new Dictionary<string, string> { ["Name"] = $"{props.Name}-node" };
        var launchedTags = new Dictionary<string, string>(props.LaunchedResourceTags) { ["Name"] = $"{props.Name}-node" };
        var template = new LaunchTemplate(this, "template", new LaunchTemplateConfig
        {
            Name = props.Name,
            Description = $"Nodes of {props.Name}: IMDSv2, encrypted gp3 root, detailed monitoring",
            UpdateDefaultVersion = true,
            VpcSecurityGroupIds = [.. props.SecurityGroupIds],
            MetadataOptions = new LaunchTemplateMetadataOptions
            {
                HttpEndpoint = "enabled",
                HttpTokens = "required", // IMDSv2 only: no SSRF-style credential theft through IMDSv1
                HttpPutResponseHopLimit = props.MetadataHopLimit,
            },
            BlockDeviceMappings = new[]
            {
                new LaunchTemplateBlockDeviceMappings
                {
                    DeviceName = RootDevice,
                    Ebs = new LaunchTemplateBlockDeviceMappingsEbs
                    {
                        VolumeType = "gp3",
                        VolumeSize = props.DiskSizeGiB,
                        Encrypted = "true",
                        KmsKeyId = volumeKey.Arn,
                        DeleteOnTermination = "true",
                    },
                },
            },
            Monitoring = new LaunchTemplateMonitoring { Enabled = true }, // one-minute EC2 metrics for the node alarms
            TagSpecifications = new[]
            {
                new LaunchTemplateTagSpecifications { ResourceType = "instance", Tags = launchedTags },
                new LaunchTemplateTagSpecifications { ResourceType = "volume", Tags = launchedTags },
            },
            Tags = nameTag,
        });

        // One node group per AZ: cluster-autoscaler can then add a node in exactly the AZ a Pending pod needs
        // (a group spanning AZs lets the ASG pick the AZ), and balance-similar-node-groups keeps them even.
        // Each AZ's group waits for the previous AZ's: a version or template change then rolls one AZ at a
        // time while the others keep their full capacity (first creation is serial too, a few minutes longer).
        var groups = new List<ITerraformDependable>();
        foreach (var zone in props.Zones)
        {
            groups.Add(new EksNodeGroup(this, $"group-{zone.AvailabilityZone}", new EksNodeGroupConfig
        {
            ClusterName = props.ClusterName,
            NodeGroupNamePrefix = NodeGroupNamePrefix(props.Name, zone.AvailabilityZone),
            NodeRoleArn = role.Arn,
            SubnetIds = [zone.SubnetId],
            AmiType = AmiType,
            Version = props.KubernetesVersion,
            InstanceTypes = [.. props.InstanceTypes],
            CapacityType = CapacityTypeValue(props.CapacityType),
            LaunchTemplate = new EksNodeGroupLaunchTemplate { Id = template.Id, Version = Token.AsString(template.LatestVersion) },
            ScalingConfig = new EksNodeGroupScalingConfig { MinSize = props.MinSizePerAz, DesiredSize = props.DesiredSizePerAz, MaxSize = props.MaxSizePerAz },
            UpdateConfig = new EksNodeGroupUpdateConfig { MaxUnavailablePercentage = props.MaxUnavailablePercentage },
            Labels = props.Labels.Count > 0 ? props.Labels.ToDictionary() : null,
            Taint = props.Taints.Count > 0
                ? props.Taints.Select(t => new EksNodeGroupTaint { Key = t.Key, Value = t.Value, Effect = TaintEffectValue(t.Effect) }).ToArray()
                : null,
            // EKS node health (node-repair guide): the Ready condition alone needs no monitoring agent.
            NodeRepairConfig = new EksNodeGroupNodeRepairConfig { Enabled = props.AutoRepair, MaxParallelNodesRepairedCount = props.AutoRepair ? 1 : null },
            Tags = AutoscalerTags(props.ClusterName).ToDictionary(),
            Lifecycle = new TerraformResourceLifecycle
            {
                // A change EKS cannot make in place (instance types, capacity or AMI type) replaces every AZ's
                // group at once: the new ones must exist before the old ones drain, or the cluster has no node.
                CreateBeforeDestroy = true,
                // cluster-autoscaler owns the desired size once the group exists; a plan must not reset it.
                IgnoreChanges = AutoscalerOwnedFields,
            },
            DependsOn = [.. attachments, .. dependsOn, .. groups.TakeLast(1)],
        }));
        }

        Name = props.Name;
        RoleArn = role.Arn;
        RoleName = role.Name;
        LaunchTemplateId = template.Id;
        Resources = groups;
    }

    /// <summary>EC2 Auto Scaling launches the nodes through its service-linked role, which must be able to use
    /// the volume key (key policy plus grants for the instances' volumes; EC2 Auto Scaling user guide,
    /// "Required AWS KMS key policy for use with encrypted volumes").</summary>
    public static IReadOnlyList<PolicyStatement> AutoScalingVolumeKeyStatements(string autoScalingServiceLinkedRoleArn)
    {
        var autoScaling = PolicyDocument.Aws(autoScalingServiceLinkedRoleArn);
        return
        [
            new("AllowAutoScalingUseOfTheKey",
                ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
                ["*"], Principals: autoScaling),
            new("AllowAutoScalingGrantsForVolumes", ["kms:CreateGrant"], ["*"], Principals: autoScaling,
                Conditions: PolicyDocument.Condition("Bool", "kms:GrantIsForAWSResource", "true")),
        ];
    }

    /// <summary>Fields cluster-autoscaler changes at run time.</summary>
    private static readonly string[] AutoscalerOwnedFields = ["scaling_config[0].desired_size"];

    /// <summary>The effect as EKS spells it (EKS API Taint.effect: NO_SCHEDULE | NO_EXECUTE | PREFER_NO_SCHEDULE).</summary>
    public static string TaintEffectValue(NodeTaintEffect effect) => effect switch
    {
        NodeTaintEffect.NoSchedule => "NO_SCHEDULE",
        NodeTaintEffect.NoExecute => "NO_EXECUTE",
        NodeTaintEffect.PreferNoSchedule => "PREFER_NO_SCHEDULE",
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect, null),
    };

    /// <summary>The capacity_type value EKS takes (EKS API Nodegroup.capacityType: ON_DEMAND | SPOT | CAPACITY_BLOCK).</summary>
    public static string CapacityTypeValue(NodeCapacityType type) => type switch
    {
        NodeCapacityType.OnDemand => "ON_DEMAND",
        NodeCapacityType.Spot => "SPOT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static void Validate(ManagedNodeGroupProps props)
    {
        var v = new PropsValidator(nameof(ManagedNodeGroupProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,31}$"), nameof(props.Name),
                $"'{props.Name}' is not a valid node pool name (letters, digits, '-', '_'; at most 32 so NAME-ZONE- and Terraform's 26-character suffix fit EKS's 63)")
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .CheckNotEmpty(props.AutoScalingServiceLinkedRoleArn, nameof(props.AutoScalingServiceLinkedRoleArn))
            .Check((props.Zones ?? []).Count >= 2, nameof(props.Zones), "give the private subnets of at least two AZs so the pool survives an AZ loss")
            .Check((props.Zones ?? []).Select(z => z.AvailabilityZone).Distinct().Count() == (props.Zones ?? []).Count, nameof(props.Zones), "names an AZ twice; give one subnet per AZ")
            .Check((props.SecurityGroupIds ?? []).Count > 0, nameof(props.SecurityGroupIds), "give the nodes' security groups")
            .Check((props.InstanceTypes ?? []).Count > 0, nameof(props.InstanceTypes), "name at least one instance type")
            .Check(Enum.IsDefined(props.CapacityType), nameof(props.CapacityType), $"'{props.CapacityType}' is not a {nameof(NodeCapacityType)}")
            .Check(props.MinSizePerAz >= 1 && props.MinSizePerAz <= props.MaxSizePerAz, nameof(props.MinSizePerAz),
                $"{props.MinSizePerAz} must be between 1 (a node in every AZ) and MaxSizePerAz {props.MaxSizePerAz}")
            .Check(props.DesiredSizePerAz >= props.MinSizePerAz && props.DesiredSizePerAz <= props.MaxSizePerAz, nameof(props.DesiredSizePerAz),
                $"{props.DesiredSizePerAz} must lie between MinSizePerAz {props.MinSizePerAz} and MaxSizePerAz {props.MaxSizePerAz}")
            .Check(props.DiskSizeGiB >= 20, nameof(props.DiskSizeGiB), $"{props.DiskSizeGiB} GiB is too small for the AL2023 AMI and images; use 20 or more")
            .Check(props.MaxUnavailablePercentage is >= 1 and <= 100, nameof(props.MaxUnavailablePercentage), "must be 1-100")
            .Check(props.MetadataHopLimit is >= 1 and <= 64, nameof(props.MetadataHopLimit), "must be 1-64 (1 keeps pods off IMDS)")
            .Check(props.KubernetesVersion is null || Regex.IsMatch(props.KubernetesVersion, @"^1\.[0-9]{2}$"), nameof(props.KubernetesVersion),
                $"'{props.KubernetesVersion}' is not a Kubernetes minor version such as 1.35");
        foreach (var type in props.InstanceTypes ?? [])
        {
            // Graviton families carry a 'g' after the generation digit (m7g, c6gn, t4g): they need the arm64 AMI.
            v.Check(!Regex.IsMatch(type, "^[a-z]+[0-9]+g[a-z]*\\."), nameof(props.InstanceTypes),
                $"'{type}' is an arm64 (Graviton) type but the group runs the x86_64 {AmiType} AMI");
        }
        foreach (var taint in props.Taints)
        {
            v.Check(Enum.IsDefined(taint.Effect), nameof(props.Taints), $"taint {taint.Key} has effect '{taint.Effect}', which is not a {nameof(NodeTaintEffect)}");
        }
        v.ThrowIfInvalid();
    }
}
