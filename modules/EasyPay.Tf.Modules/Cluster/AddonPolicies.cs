using EasyPay.Tf.Modules.Core;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>Least-privilege permissions of the platform add-ons' IRSA roles. Describe/Get calls that IAM
/// cannot scope to a resource use "*"; every action that changes something is scoped to this cluster's
/// resources. Actions are listed one by one (no wildcards) so a review sees exactly what is granted.</summary>
public static class AddonPolicies
{
    /// <summary>AWS Load Balancer Controller in TargetGroupBinding mode only. Terraform owns the ALB, its
    /// listeners and target groups, so unlike the upstream policy (which creates and deletes load balancers,
    /// target groups, security groups, WAF and Shield associations for Ingress/Service objects) the
    /// controller may only read, (de)register pod IPs in these target groups, and open the node security
    /// group for the ALB when a binding asks it to.</summary>
    public static IReadOnlyList<PolicyStatement> LoadBalancerController(
        IReadOnlyList<string> targetGroupArns, string nodeSecurityGroupId, string partition, string region, string accountId) =>
    [
        new("DescribeLoadBalancing",
            ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
             "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
             "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
             "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags"],
            ["*"]),
        new("DescribeNetwork",
            ["ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces",
             "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeAvailabilityZones", "ec2:DescribeTags"],
            ["*"]),
        new("RegisterPodsInOwnTargetGroups",
            ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            [.. targetGroupArns]),
        new("TargetGroupBindingNetworking",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            [$"arn:{partition}:ec2:{region}:{accountId}:security-group/{nodeSecurityGroupId}"]),
    ];

    /// <summary>cluster-autoscaler with auto-discovery: it may resize or shrink only Auto Scaling groups tagged
    /// as this cluster's (EKS tags its node groups' ASGs so), and read the rest.</summary>
    public static IReadOnlyList<PolicyStatement> ClusterAutoscaler(string clusterName, string partition, string region, string accountId) =>
    [
        new("ScaleOwnNodeGroupsOnly",
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            [$"arn:{partition}:autoscaling:{region}:{accountId}:autoScalingGroup:*:autoScalingGroupName/*"],
            Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>>
                {
                    [$"aws:ResourceTag/k8s.io/cluster-autoscaler/{clusterName}"] = ["owned"],
                    ["aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"] = ["true"],
                },
            }),
        new("DiscoverNodeGroups",
            ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
             "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags",
             "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions",
             "ec2:GetInstanceTypesFromInstanceRequirements"],
            ["*"]),
        new("DescribeOwnEksNodeGroups", ["eks:DescribeNodegroup"],
            [$"arn:{partition}:eks:{region}:{accountId}:nodegroup/{clusterName}/*/*"]),
    ];

    /// <summary>Velero: objects of its own bucket, the bucket's key, and EBS snapshots of the volumes it
    /// backs up. Snapshots and restored volumes are created with their tags in the same call, which is the
    /// only way CreateTags is allowed.</summary>
    public static IReadOnlyList<PolicyStatement> Velero(string bucketArn, string keyArn, string partition, string region, string accountId)
    {
        var ec2 = $"arn:{partition}:ec2:{region}";
        return
        [
            new("BackupObjects",
                ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                [$"{bucketArn}/*"]),
            new("ListBackupBucket", ["s3:ListBucket", "s3:GetBucketLocation"], [bucketArn]),
            new("UseBackupKey", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], [keyArn]),
            new("DescribeVolumesAndSnapshots", ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], ["*"]),
            new("SnapshotAndRestoreVolumes",
                ["ec2:CreateSnapshot", "ec2:CreateVolume"],
                [$"{ec2}:{accountId}:volume/*", $"{ec2}::snapshot/*"]),
            // Velero tags its snapshots velero.io/backup: it cannot delete anyone else's.
            new("DeleteOwnSnapshots", ["ec2:DeleteSnapshot"], [$"{ec2}::snapshot/*"],
                Conditions: PolicyDocument.Condition("Null", "aws:ResourceTag/velero.io/backup", "false")),
            new("TagOnCreateOnly", ["ec2:CreateTags"],
                [$"{ec2}:{accountId}:volume/*", $"{ec2}::snapshot/*"],
                Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
                {
                    ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>> { ["ec2:CreateAction"] = ["CreateSnapshot", "CreateVolume"] },
                }),
        ];
    }
}
