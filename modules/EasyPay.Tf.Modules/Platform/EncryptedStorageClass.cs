using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.StorageClassV1;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Props of <see cref="EncryptedStorageClass"/>.</summary>
/// <param name="Name">The StorageClass, e.g. "gp3-encrypted".</param>
/// <param name="KmsKeyArn">The customer-managed key every volume of the class is encrypted with (its full ARN: the EBS
/// CSI driver's kmsKeyId, docs/parameters.md); the driver's IAM role must be allowed to use it.</param>
public sealed record EncryptedStorageClassProps(string Name, string KmsKeyArn)
{
    /// <summary>Retain keeps a volume (and its data) when its claim is deleted: production; Delete elsewhere. @default "Retain"</summary>
    public string ReclaimPolicy { get; init; } = "Retain";

    /// <summary>The cluster's default class, for claims that name none. @default true</summary>
    public bool IsDefault { get; init; } = true;
}

/// <summary>The persistent-volume StorageClass of the cluster: gp3 through the EBS CSI driver, encrypted with a
/// customer-managed key, bound where the pod is scheduled (EBS volumes are zonal), expandable.</summary>
public sealed class EncryptedStorageClass : Construct
{
    /// <summary>The EBS CSI driver's provisioner name.</summary>
    public const string Provisioner = "ebs.csi.aws.com";

    public string Name { get; }

    public EncryptedStorageClass(Construct scope, string id, EncryptedStorageClassProps props, KubernetesProvider kubernetes) : base(scope, id)
    {
        new PropsValidator(nameof(EncryptedStorageClassProps))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Name ?? "", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), nameof(props.Name), $"'{props.Name}' is not a Kubernetes object name")
            .CheckReferenceOr(props.KmsKeyArn, "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", nameof(props.KmsKeyArn), $"'{props.KmsKeyArn}' is not a KMS key ARN (an alias or key id is not enough for kmsKeyId)")
            .Check(props.ReclaimPolicy is "Retain" or "Delete", nameof(props.ReclaimPolicy), $"'{props.ReclaimPolicy}' is not Retain or Delete")
            .ThrowIfInvalid();
        var storageClass = new StorageClassV1(this, "class", new StorageClassV1Config
        {
            Provider = kubernetes,
            Metadata = new StorageClassV1Metadata
            {
                Name = props.Name,
                Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = props.IsDefault ? "true" : "false" },
            },
            StorageProvisioner = Provisioner,
            // aws-ebs-csi-driver docs/parameters.md: type, encrypted ("true"/"false"), kmsKeyId (full ARN), csi.storage.k8s.io/fstype.
            Parameters = new Dictionary<string, string>
            {
                ["type"] = "gp3",
                ["encrypted"] = "true",
                ["kmsKeyId"] = props.KmsKeyArn,
                ["csi.storage.k8s.io/fstype"] = "ext4",
            },
            ReclaimPolicy = props.ReclaimPolicy,
            VolumeBindingMode = "WaitForFirstConsumer",
            AllowVolumeExpansion = true,
        });
        Name = storageClass.Metadata.Name;
    }

    /// <summary>What the EBS CSI driver's role needs to create, attach and grow volumes under a customer-managed key
    /// (EKS user guide, "Create an Amazon EBS CSI driver IAM role": grants only for AWS resources, then the key's use).</summary>
    public static IReadOnlyList<PolicyStatement> DriverKeyStatements(string keyArn) =>
    [
        new("GrantsForVolumes", ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], [keyArn],
            Conditions: PolicyDocument.Condition("Bool", "kms:GrantIsForAWSResource", "true")),
        new("UseVolumeKey", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], [keyArn]),
    ];
}
