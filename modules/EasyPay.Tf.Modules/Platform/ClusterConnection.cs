using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>How the kubernetes and helm providers authenticate to EKS.</summary>
public enum ClusterAuthentication
{
    /// <summary>A token from the <c>aws_eks_cluster_auth</c> ephemeral resource (Terraform ≥ 1.10, AWS provider
    /// 6.x): opened afresh in each run phase, never stored in the plan or state, valid 15 minutes
    /// (<see cref="ClusterConnection.TokenLifetimeSeconds"/>). Needs nothing on the runner (the HCP Terraform agent
    /// image has no aws CLI); one phase (the apply) must fit in the token's life.</summary>
    Token,

    /// <summary>`aws eks get-token` run by the providers whenever they need a token (client-go exec credential
    /// plugin): never expires mid-apply; needs the AWS CLI v2 on the runner (an operator's machine).</summary>
    Exec,
}

/// <summary>Props of <see cref="ClusterConnection"/>.</summary>
/// <param name="ClusterName">EKS cluster name (for the token).</param>
/// <param name="Endpoint">API server URL.</param>
/// <param name="CertificateAuthorityData">Base64 PEM of the cluster CA, as EKS returns it.</param>
public sealed record ClusterConnectionProps(string ClusterName, string Endpoint, string CertificateAuthorityData)
{
    /// <summary>How the providers get their credentials. @default Token</summary>
    public ClusterAuthentication Authentication { get; init; } = ClusterAuthentication.Token;
}

/// <summary>The kubernetes and helm providers pointed at an EKS cluster, with a token read at plan time or an
/// exec credential plugin (<see cref="ClusterAuthentication"/>); never a kubeconfig file.</summary>
public sealed class ClusterConnection : Construct
{
    /// <summary>How long EKS accepts a token from aws_eks_cluster_auth / aws eks get-token (EKS user guide,
    /// "Connect kubectl to an EKS cluster": the token is a presigned STS GetCallerIdentity URL valid 15 minutes).</summary>
    public const int TokenLifetimeSeconds = 900;

    /// <summary>What the apply phase spends outside the releases after it opens its token (provider start-up,
    /// refresh of the stack's resources and remote state). The releases' longest chain of timeouts must fit in the
    /// rest (PlatformStack, checked by a test).</summary>
    public const int ApplyStartupAllowanceSeconds = 180;

    /// <summary>The client-go exec API the AWS CLI's `eks get-token` answers (aws eks get-token prints an
    /// ExecCredential of client.authentication.k8s.io/v1beta1).</summary>
    public const string ExecApiVersion = "client.authentication.k8s.io/v1beta1";

    /// <summary>Local name of the ephemeral token block (one connection per stack).</summary>
    public const string EphemeralTokenName = "cluster";

    public KubernetesProvider Kubernetes { get; }
    public HelmProvider Helm { get; }

    public ClusterConnection(Construct scope, string id, ClusterConnectionProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ClusterConnectionProps))
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .CheckNotEmpty(props.Endpoint, nameof(props.Endpoint))
            .CheckNotEmpty(props.CertificateAuthorityData, nameof(props.CertificateAuthorityData))
            .ThrowIfInvalid();
        var ca = Fn.Base64decode(props.CertificateAuthorityData);
        // One of the two is set: exec arguments for the AWS CLI, or the ephemeral token.
        string[]? execArgs = null;
        string? token = null;
        if (props.Authentication == ClusterAuthentication.Exec)
        {
            // The AWS CLI takes the same credentials as the aws provider (environment, profile): the deployer role.
            execArgs = ["eks", "get-token", "--cluster-name", props.ClusterName, "--region", AwsEnvironment.Of(this).Region, "--output", "json"];
        }
        else
        {
            // CDKTF 0.21 has no construct for ephemeral resources: the block goes in as raw configuration (Terraform
            // parses .tf.json with the same file schema as .tf, ephemeral blocks included). The data source this
            // replaces was read once at plan time, so a slow plan, a queued apply or an unconfirmed plan expired it.
            HashiCorp.Cdktf.TerraformStack.Of(this).AddOverride($"ephemeral.aws_eks_cluster_auth.{EphemeralTokenName}",
                new Dictionary<string, object> { ["name"] = props.ClusterName });
            token = $"${{ephemeral.aws_eks_cluster_auth.{EphemeralTokenName}.token}}";
        }
        Kubernetes = new KubernetesProvider(this, "kubernetes", new KubernetesProviderConfig
        {
            Host = props.Endpoint,
            ClusterCaCertificate = ca,
            Token = token,
            Exec = execArgs is null ? null : new[] { new KubernetesProviderExec { ApiVersion = ExecApiVersion, Command = "aws", Args = execArgs } },
        });
        Helm = new HelmProvider(this, "helm", new HelmProviderConfig
        {
            Kubernetes = new HelmProviderKubernetes
            {
                Host = props.Endpoint,
                ClusterCaCertificate = ca,
                Token = token,
                Exec = execArgs is null ? null : new HelmProviderKubernetesExec { ApiVersion = ExecApiVersion, Command = "aws", Args = execArgs },
            },
        });
    }
}
