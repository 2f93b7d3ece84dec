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
        IReadOnlyList<string> targetGroupArns, string nodeSecurityGroupId, AwsEnvironment aws) =>
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
            [aws.Arn("ec2", $"security-group/{nodeSecurityGroupId}")]),
    ];

    /// <summary>cluster-autoscaler with auto-discovery: it may resize or shrink only Auto Scaling groups tagged
    /// as this cluster's (EKS tags its node groups' ASGs so), and read the rest.</summary>
    public static IReadOnlyList<PolicyStatement> ClusterAutoscaler(string clusterName, AwsEnvironment aws) =>
    [
        new("ScaleOwnNodeGroupsOnly",
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            [aws.Arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/*")],
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
            [aws.Arn("eks", $"nodegroup/{clusterName}/*/*")]),
    ];

    /// <summary>External Secrets (its controller's identity, for ClusterSecretStores): read the secrets whose names
    /// start with <paramref name="secretNamePrefix"/> (the application's own, e.g. payment-provider API keys) and
    /// decrypt them through Secrets Manager only. Never the database's: the application reaches the database with
    /// IAM auth tokens, and the RDS-managed master secret is readable by the role-creating function alone.</summary>
    public static IReadOnlyList<PolicyStatement> ExternalSecrets(string secretNamePrefix, AwsEnvironment aws) =>
    [
        new("ReadApplicationSecrets", ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            [aws.Arn("secretsmanager", $"secret:{secretNamePrefix}*")]),
        new("DecryptApplicationSecrets", ["kms:Decrypt"], [aws.Arn("kms", "key/*")],
            Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>> { ["kms:ViaService"] = [$"secretsmanager.{aws.Region}.amazonaws.com"] },
                ["ArnLike"] = new Dictionary<string, IReadOnlyList<string>> { ["kms:EncryptionContext:SecretARN"] = [aws.Arn("secretsmanager", $"secret:{secretNamePrefix}*")] },
            }),
    ];

    /// <summary>Velero: objects of its own bucket, the bucket's key, and EBS snapshots of the volumes it
    /// backs up. Snapshots and restored volumes are created with their tags in the same call, which is the
    /// only way CreateTags is allowed.</summary>
    public static IReadOnlyList<PolicyStatement> Velero(string bucketArn, string keyArn, AwsEnvironment aws)
    {
        var volumes = aws.Arn("ec2", "volume/*");
        var snapshots = aws.Arn("ec2", "snapshot/*", account: ""); // snapshot ARNs carry no account
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
                [volumes, snapshots]),
            // Velero tags its snapshots velero.io/backup: it cannot delete anyone else's.
            new("DeleteOwnSnapshots", ["ec2:DeleteSnapshot"], [snapshots],
                Conditions: PolicyDocument.Condition("Null", "aws:ResourceTag/velero.io/backup", "false")),
            new("TagOnCreateOnly", ["ec2:CreateTags"],
                [volumes, snapshots],
                Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
                {
                    ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>> { ["ec2:CreateAction"] = ["CreateSnapshot", "CreateVolume"] },
                }),
        ];
    }
}
