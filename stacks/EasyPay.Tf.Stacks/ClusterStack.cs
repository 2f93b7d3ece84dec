namespace EasyPay.Tf.Stacks;

/// <summary>What the cluster stack gives database, monitoring and platform. Values are Terraform tokens
/// (outputs here, remote-state lookups in consumers) unless noted as known at synth time.</summary>
public sealed record ClusterOutputs
{
    public required string ClusterName { get; init; }
    public required string ClusterEndpoint { get; init; }
    /// <summary>Base64 PEM of the cluster CA, as EKS returns it.</summary>
    public required string ClusterCertificateAuthorityData { get; init; }
    public required string OidcProviderArn { get; init; }
    /// <summary>Issuer URL without the https:// scheme (the form IRSA trust conditions use).</summary>
    public required string OidcIssuer { get; init; }
    /// <summary>Security group of the nodes (and so of the pods, with the VPC CNI).</summary>
    public required string NodeSecurityGroupId { get; init; }
    /// <summary>The EKS-managed cluster security group (control plane ⇄ nodes).</summary>
    public required string ClusterSecurityGroupId { get; init; }
    public required string AlbSecurityGroupId { get; init; }
    public required string LoadBalancerControllerRoleArn { get; init; }
    public required string ClusterAutoscalerRoleArn { get; init; }
    public required string ExternalSecretsRoleArn { get; init; }
    /// <summary>Name of the External Secrets IRSA role: the database stack grants it read access to exactly
    /// its own secret (the secret does not exist yet when the cluster is built).</summary>
    public required string ExternalSecretsRoleName { get; init; }
    public required string VeleroRoleArn { get; init; }
    public required string VeleroBucketName { get; init; }
    public required string AlbArn { get; init; }
    /// <summary>"app/name/id": the LoadBalancer dimension of ALB CloudWatch metrics.</summary>
    public required string AlbArnSuffix { get; init; }
    public required string AlbDnsName { get; init; }
    public required string AlbZoneId { get; init; }
    public required string FrontendTargetGroupArn { get; init; }
    public required string BackendTargetGroupArn { get; init; }
    /// <summary>"targetgroup/name/id": the TargetGroup dimension of ALB CloudWatch metrics.</summary>
    public required string FrontendTargetGroupArnSuffix { get; init; }
    public required string BackendTargetGroupArnSuffix { get; init; }
    /// <summary>Known at synth time: the node group's minimum, for the node-count alarm.</summary>
    public required int NodeGroupMinSize { get; init; }
    /// <summary>Known at synth time: the Kubernetes group developers are mapped to (chart RBAC binds it).</summary>
    public required string DeveloperGroup { get; init; }
}
