using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EksCluster;
using HashiCorp.Cdktf.Providers.Aws.IamOpenidConnectProvider;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>Props of <see cref="EksControlPlane"/>.</summary>
/// <param name="Name">Cluster name, e.g. easypay-prod (the subnets carry its discovery tag).</param>
/// <param name="KubernetesVersion">Pinned minor version, e.g. "1.35". EKS upgrades one minor version per update.</param>
/// <param name="SubnetIds">Private subnets of every AZ: EKS places the control plane ENIs there.</param>
/// <param name="PublicAccessCidrs">Who may reach the public API endpoint; never empty.</param>
public sealed record EksControlPlaneProps(
    string Name,
    string KubernetesVersion,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> PublicAccessCidrs)
{
    /// <summary>Retention of the control-plane log group. @default 365</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>EKS deletion protection: a destroy fails until it is switched off (production). @default true</summary>
    public bool DeletionProtection { get; init; } = true;

    /// <summary>When false, the public 0.0.0.0/0 CIDR is rejected (production). @default false</summary>
    public bool AllowPublicAccessFromAnywhere { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the secrets and log keys. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>What happens at the end of standard support. Set explicitly (EKS's default for a cluster created
    /// without it is extended support, billed at the extended rate once the version ages). @default
    /// <see cref="EksSupportType.Standard"/></summary>
    public EksSupportType SupportType { get; init; } = EksSupportType.Standard;

    /// <summary>Names of the other log groups the logs key encrypts (Container Insights): its policy admits
    /// CloudWatch Logs for exactly these and the control-plane group. @default none</summary>
    public IReadOnlyList<string> AdditionalLogGroupNames { get; init; } = [];
}

/// <summary>An EKS control plane over the private subnets of every AZ: Kubernetes secrets envelope-encrypted
/// with a customer-managed key, all five control-plane log types in a KMS-encrypted log group with
/// retention, a private endpoint plus a public one limited to given CIDRs, API authentication mode with
/// explicit access entries only, and the IAM OIDC provider IRSA roles trust.</summary>
public sealed class EksControlPlane : Construct
{
    /// <summary>Every control-plane log type EKS offers (the audit trail needs all of them).</summary>
    public static readonly IReadOnlyList<string> LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    public string Name { get; }
    public string Arn { get; }
    public string Endpoint { get; }
    public string CertificateAuthorityData { get; }
    public string Version { get; }

    /// <summary>The upgrade policy the cluster was given.</summary>
    public EksSupportType SupportType { get; }

    /// <summary>The security group EKS creates for the control plane ENIs and nodes.</summary>
    public string ClusterSecurityGroupId { get; }
    public string OidcProviderArn { get; }

    /// <summary>Issuer URL without https://, the form IRSA trust conditions use.</summary>
    public string OidcIssuer { get; }
    public string SecretsKeyArn { get; }

    /// <summary>Key of the control-plane log group, usable for the log groups named in
    /// <see cref="EksControlPlaneProps.AdditionalLogGroupNames"/>.</summary>
    public string LogsKeyArn { get; }
    public string LogGroupName { get; }

    /// <summary>The cluster resource, for add-ons and node groups that must wait for it.</summary>
    public ITerraformDependable Resource { get; }

    public EksControlPlane(Construct scope, string id, EksControlPlaneProps props) : base(scope, id)
    {
        Validate(props);

        var secretsKey = new EncryptionKey(this, "secrets-key", new EncryptionKeyProps(
            $"{props.Name}-eks-secrets", $"Envelope encryption of the Kubernetes secrets of {props.Name}")
        {
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        var logsKey = new EncryptionKey(this, "logs-key", new EncryptionKeyProps(
            $"{props.Name}-eks-logs", $"Control-plane and Container Insights logs of {props.Name}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, [$"/aws/eks/{props.Name}/cluster", .. props.AdditionalLogGroupNames])],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        // EKS writes to /aws/eks/NAME/cluster; creating it first means EKS never creates it itself
        // (unencrypted, kept forever).
        var logGroup = new LogGroup(this, "logs", new LogGroupProps($"/aws/eks/{props.Name}/cluster", props.LogRetentionDays, logsKey.Arn));

        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = $"{props.Name}-eks-cluster",
            Description = $"EKS control plane of {props.Name}",
            AssumeRolePolicy = PolicyDocument.Render(new PolicyStatement(
                "EksAssume", ["sts:AssumeRole"],
                Principals: PolicyDocument.Service("eks.amazonaws.com"),
                Conditions: PolicyDocument.Condition("StringEquals", "aws:SourceAccount", AwsEnvironment.Of(this).AccountId))),
        });
        var clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", new IamRolePolicyAttachmentConfig
        {
            Role = role.Name,
            PolicyArn = AwsEnvironment.Of(this).ManagedPolicyArn("AmazonEKSClusterPolicy"),
        });
        // The key policy delegates to IAM, so the cluster role needs these to wrap and unwrap secret data keys.
        var keyPolicy = new IamRolePolicy(this, "secrets-key-access", new IamRolePolicyConfig
        {
            Name = "encrypt-kubernetes-secrets",
            Role = role.Id,
            Policy = PolicyDocument.Render(new PolicyStatement(
                "EnvelopeEncryption", ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], [secretsKey.Arn])),
        });

        var cluster = new EksCluster(this, "cluster", new EksClusterConfig
        {
            Name = props.Name,
            Version = props.KubernetesVersion,
            RoleArn = role.Arn,
            // EKS API UpgradePolicyRequest.supportType: STANDARD | EXTENDED (provider 6.25 upgrade_policy.support_type).
            UpgradePolicy = new EksClusterUpgradePolicy { SupportType = props.SupportType == EksSupportType.Extended ? "EXTENDED" : "STANDARD" },
            VpcConfig = new EksClusterVpcConfig
            {
                SubnetIds = [.. props.SubnetIds],
                // Nodes and in-VPC tooling use the private endpoint; people reach the public one from listed CIDRs only.
                EndpointPrivateAccess = true,
                EndpointPublicAccess = true,
                PublicAccessCidrs = [.. props.PublicAccessCidrs],
            },
            AccessConfig = new EksClusterAccessConfig
            {
                AuthenticationMode = "API",
                // Whoever runs terraform gets no hidden admin rights: access entries are the only way in.
                BootstrapClusterCreatorAdminPermissions = false,
            },
            EncryptionConfig = new EksClusterEncryptionConfig
            {
                Resources = ["secrets"],
                Provider = new EksClusterEncryptionConfigProvider { KeyArn = secretsKey.Arn },
            },
            EnabledClusterLogTypes = [.. LogTypes],
            DeletionProtection = props.DeletionProtection,
            DependsOn = [clusterPolicy, keyPolicy, logGroup.Resource],
        });

        var issuerUrl = cluster.Identity.Get(0).Oidc.Get(0).Issuer;
        var oidc = new IamOpenidConnectProvider(this, "oidc", new IamOpenidConnectProviderConfig
        {
            Url = issuerUrl,
            ClientIdList = [IrsaRole.Audience],
            // No thumbprint_list: IAM trusts the EKS issuer through its own root CA library.
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-eks-oidc" },
        });

        Name = cluster.Name;
        Arn = cluster.Arn;
        Endpoint = cluster.Endpoint;
        CertificateAuthorityData = cluster.CertificateAuthority.Get(0).Data;
        Version = cluster.Version;
        SupportType = props.SupportType;
        ClusterSecurityGroupId = cluster.VpcConfig.ClusterSecurityGroupId;
        OidcProviderArn = oidc.Arn;
        // A local keeps the policy JSON that embeds the issuer free of function calls (and their quotes).
        OidcIssuer = new TerraformLocal(this, "oidc-issuer", Fn.Replace(issuerUrl, "https://", "")).AsString;
        SecretsKeyArn = secretsKey.Arn;
        LogsKeyArn = logsKey.Arn;
        LogGroupName = logGroup.Name;
        Resource = cluster;
    }

    private static void Validate(EksControlPlaneProps props)
    {
        var v = new PropsValidator(nameof(EksControlPlaneProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$"), nameof(props.Name),
                $"'{props.Name}' is not a valid EKS cluster name (letters, digits, '-', '_'; at most 100)")
            .Check(Regex.IsMatch(props.KubernetesVersion ?? "", @"^1\.[0-9]{2}$"), nameof(props.KubernetesVersion),
                $"'{props.KubernetesVersion}' is not a pinned Kubernetes minor version such as 1.35")
            .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "EKS needs subnets in at least two AZs")
            .Check((props.PublicAccessCidrs ?? []).Count > 0, nameof(props.PublicAccessCidrs),
                "is empty, which EKS reads as 0.0.0.0/0; list the office/VPN egress CIDRs")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays));
        foreach (var cidr in props.PublicAccessCidrs ?? [])
        {
            v.CheckCidr(cidr, nameof(props.PublicAccessCidrs));
            v.Check(props.AllowPublicAccessFromAnywhere || !(Ipv4Cidr.TryParse(cidr, out var c, out _) && c.IsAnywhere), nameof(props.PublicAccessCidrs),
                "0.0.0.0/0 opens the Kubernetes API to the internet; list the office/VPN egress CIDRs (or set AllowPublicAccessFromAnywhere outside production)");
        }
        v.ThrowIfInvalid();
    }
}
