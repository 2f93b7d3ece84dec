using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EksNodeGroup;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;
using HashiCorp.Cdktf.Providers.Aws.LaunchTemplate;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>A Kubernetes node taint (effect NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE, as EKS spells it).</summary>
public sealed record NodeTaint(string Key, string Value, string Effect);

/// <summary>Props of <see cref="ManagedNodeGroup"/>.</summary>
/// <param name="Name">Node group name, e.g. easypay-prod-general; also names the role, template and key.</param>
/// <param name="ClusterName">The cluster the nodes join.</param>
/// <param name="SubnetIds">Private subnets of every AZ: the group spreads its nodes over them.</param>
/// <param name="SecurityGroupIds">Node security group plus the cluster security group (a launch template with
/// security groups replaces EKS's default, so the cluster group must be listed).</param>
/// <param name="InstanceTypes">x86_64 instance types (the AMI is Amazon Linux 2023 x86_64).</param>
/// <param name="Region">Region (key policy).</param>
/// <param name="AccountId">Owning account (key policy, Auto Scaling service-linked role).</param>
public sealed record ManagedNodeGroupProps(
    string Name,
    string ClusterName,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyList<string> InstanceTypes,
    string Region,
    string AccountId)
{
    /// <summary>"ON_DEMAND" or "SPOT".</summary>
    public string CapacityType { get; init; } = "ON_DEMAND";

    public int MinSize { get; init; } = 3;
    public int DesiredSize { get; init; } = 3;
    public int MaxSize { get; init; } = 9;
    public int DiskSizeGiB { get; init; } = 50;

    /// <summary>Share of nodes a rolling update may replace at once: a third keeps two AZs' worth serving.</summary>
    public int MaxUnavailablePercentage { get; init; } = 33;

    /// <summary>IMDSv2 response hop limit. 2 lets SDKs in pods (behind one network hop) read the region and
    /// instance identity as the AWS Load Balancer Controller and cluster-autoscaler do at start-up; their
    /// credentials still come from IRSA web identity. 1 would cut pods off IMDS entirely.</summary>
    public int MetadataHopLimit { get; init; } = 2;

    /// <summary>Kubernetes labels of every node; workloads select the pool with them.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<NodeTaint> Taints { get; init; } = [];

    /// <summary>Tags for the instances and volumes the template launches. The provider's default_tags stop
    /// at the launch template itself, so the caller passes them here to reach nodes and their disks.</summary>
    public IReadOnlyDictionary<string, string> LaunchedResourceTags { get; init; } = new Dictionary<string, string>();

    public int KeyDeletionWindowInDays { get; init; } = 30;

    public string Partition { get; init; } = "aws";
}

/// <summary>An EKS managed node group on Amazon Linux 2023, launched from a template that requires IMDSv2,
/// encrypts a gp3 root volume with a customer-managed key and turns on detailed monitoring, run by a role
/// with only the four policies nodes need. Tagged for cluster-autoscaler auto-discovery.</summary>
public sealed class ManagedNodeGroup : Construct
{
    public const string AmiType = "AL2023_x86_64_STANDARD";

    /// <summary>Root device of the AL2023 EKS AMIs.</summary>
    public const string RootDevice = "/dev/xvda";

    public static readonly IReadOnlyList<string> NodePolicies =
        ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"];

    public string Name { get; }
    public string RoleArn { get; }
    public string RoleName { get; }
    public string LaunchTemplateId { get; }
    public ITerraformDependable Resource { get; }

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
        var attachments = NodePolicies.Select(p => (ITerraformDependable)new IamRolePolicyAttachment(this, $"policy-{p}", new IamRolePolicyAttachmentConfig
        {
            Role = role.Name,
            PolicyArn = $"arn:{props.Partition}:iam::aws:policy/{p}",
        })).ToList();

        var volumeKey = new EncryptionKey(this, "volume-key", new EncryptionKeyProps(
            $"{props.Name}-node-volumes", $"Root volumes of the {props.Name} nodes", props.AccountId)
        {
            AdditionalStatements = AutoScalingVolumeKeyStatements(props.Partition, props.AccountId),
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
            Partition = props.Partition,
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

        var group = new EksNodeGroup(this, "group", new EksNodeGroupConfig
        {
            ClusterName = props.ClusterName,
            NodeGroupName = props.Name,
            NodeRoleArn = role.Arn,
            SubnetIds = [.. props.SubnetIds],
            AmiType = AmiType,
            InstanceTypes = [.. props.InstanceTypes],
            CapacityType = props.CapacityType,
            LaunchTemplate = new EksNodeGroupLaunchTemplate { Id = template.Id, Version = Token.AsString(template.LatestVersion) },
            ScalingConfig = new EksNodeGroupScalingConfig { MinSize = props.MinSize, DesiredSize = props.DesiredSize, MaxSize = props.MaxSize },
            UpdateConfig = new EksNodeGroupUpdateConfig { MaxUnavailablePercentage = props.MaxUnavailablePercentage },
            Labels = props.Labels.Count > 0 ? props.Labels.ToDictionary() : null,
            Taint = props.Taints.Count > 0
                ? props.Taints.Select(t => new EksNodeGroupTaint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToArray()
                : null,
            Tags = AutoscalerTags(props.ClusterName).ToDictionary(),
            // cluster-autoscaler owns the desired size once the group exists; a plan must not reset it.
            Lifecycle = new TerraformResourceLifecycle { IgnoreChanges = AutoscalerOwnedFields },
            DependsOn = [.. attachments, .. dependsOn],
        });

        Name = group.NodeGroupName;
        RoleArn = role.Arn;
        RoleName = role.Name;
        LaunchTemplateId = template.Id;
        Resource = group;
    }

    /// <summary>EC2 Auto Scaling launches the nodes through its service-linked role, which must be able to use
    /// the volume key (key policy plus grants for the instances' volumes). The role exists once any Auto Scaling
    /// group was created in the account; a brand-new account creates it first (docs/cluster.md).</summary>
    public static IReadOnlyList<PolicyStatement> AutoScalingVolumeKeyStatements(string partition, string accountId)
    {
        var autoScaling = PolicyDocument.Aws($"arn:{partition}:iam::{accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
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

    private static readonly string[] Effects = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"];

    private static void Validate(ManagedNodeGroupProps props)
    {
        var v = new PropsValidator(nameof(ManagedNodeGroupProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,57}$"), nameof(props.Name),
                $"'{props.Name}' is not a valid node group name (letters, digits, '-', '_'; at most 58 so the role name fits)")
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "give the private subnets of at least two AZs so the group survives an AZ loss")
            .Check((props.SecurityGroupIds ?? []).Count > 0, nameof(props.SecurityGroupIds), "give the node and cluster security groups")
            .Check((props.InstanceTypes ?? []).Count > 0, nameof(props.InstanceTypes), "name at least one instance type")
            .Check(props.CapacityType is "ON_DEMAND" or "SPOT", nameof(props.CapacityType), $"'{props.CapacityType}' must be ON_DEMAND or SPOT")
            .Check(props.MinSize >= 1 && props.MinSize <= props.MaxSize, nameof(props.MinSize), $"{props.MinSize} must be between 1 and MaxSize {props.MaxSize}")
            .Check(props.DesiredSize >= props.MinSize && props.DesiredSize <= props.MaxSize, nameof(props.DesiredSize),
                $"{props.DesiredSize} must lie between MinSize {props.MinSize} and MaxSize {props.MaxSize}")
            .Check(props.DiskSizeGiB >= 20, nameof(props.DiskSizeGiB), $"{props.DiskSizeGiB} GiB is too small for the AL2023 AMI and images; use 20 or more")
            .Check(props.MaxUnavailablePercentage is >= 1 and <= 100, nameof(props.MaxUnavailablePercentage), "must be 1-100")
            .Check(props.MetadataHopLimit is >= 1 and <= 64, nameof(props.MetadataHopLimit), "must be 1-64 (2 lets pods reach IMDSv2)");
        foreach (var type in props.InstanceTypes ?? [])
        {
            // Graviton families carry a 'g' after the generation digit (m7g, c6gn, t4g): they need the arm64 AMI.
            v.Check(!Regex.IsMatch(type, "^[a-z]+[0-9]+g[a-z]*\\."), nameof(props.InstanceTypes),
                $"'{type}' is an arm64 (Graviton) type but the group runs the x86_64 {AmiType} AMI");
        }
        foreach (var taint in props.Taints)
        {
            v.Check(Effects.Contains(taint.Effect), nameof(props.Taints), $"taint {taint.Key} has effect '{taint.Effect}'; use one of {string.Join(", ", Effects)}");
        }
        v.ThrowIfInvalid();
    }
}
