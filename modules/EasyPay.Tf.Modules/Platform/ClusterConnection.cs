using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.DataAwsEksClusterAuth;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Props of <see cref="ClusterConnection"/>.</summary>
/// <param name="ClusterName">EKS cluster name (for the token).</param>
/// <param name="Endpoint">API server URL.</param>
/// <param name="CertificateAuthorityData">Base64 PEM of the cluster CA, as EKS returns it.</param>
public sealed record ClusterConnectionProps(string ClusterName, string Endpoint, string CertificateAuthorityData);

/// <summary>The kubernetes and helm providers pointed at an EKS cluster with a short-lived token from the
/// aws_eks_cluster_auth data source: no kubeconfig file and no aws CLI on the runner, so a Terraform Cloud
/// remote run can apply it. The token lives 15 minutes; release timeouts stay below that.</summary>
public sealed class ClusterConnection : Construct
{
    public KubernetesProvider Kubernetes { get; }
    public HelmProvider Helm { get; }

    public ClusterConnection(Construct scope, string id, ClusterConnectionProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ClusterConnectionProps))
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .CheckNotEmpty(props.Endpoint, nameof(props.Endpoint))
            .CheckNotEmpty(props.CertificateAuthorityData, nameof(props.CertificateAuthorityData))
            .ThrowIfInvalid();
        var auth = new DataAwsEksClusterAuth(this, "auth", new DataAwsEksClusterAuthConfig { Name = props.ClusterName });
        var ca = Fn.Base64decode(props.CertificateAuthorityData);
        Kubernetes = new KubernetesProvider(this, "kubernetes", new KubernetesProviderConfig
        {
            Host = props.Endpoint,
            ClusterCaCertificate = ca,
            Token = auth.Token,
        });
        Helm = new HelmProvider(this, "helm", new HelmProviderConfig
        {
            Kubernetes = new HelmProviderKubernetes
            {
                Host = props.Endpoint,
                ClusterCaCertificate = ca,
                Token = auth.Token,
            },
        });
    }
}
