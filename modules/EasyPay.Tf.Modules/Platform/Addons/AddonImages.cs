using EasyPay.Tf.Modules.Registry;

namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Every third-party image the add-ons run with the values this platform gives their charts, pinned, and pulled
/// through the account's ECR pull-through cache (<see cref="PullThroughCache"/>) instead of the public registries.
/// Each pin is the chart's own default image at the version in <see cref="ChartVersions"/> unless its comment says
/// otherwise; upgrading a chart means checking its images here.</summary>
public static class AddonImages
{
    /// <summary>tigera-operator chart v3.30.7 values.yaml: tigeraOperator registry quay.io, image tigera/operator, version v1.38.13.</summary>
    public static readonly MirroredImage TigeraOperator = new(UpstreamRegistries.Quay, "tigera/operator", "v1.38.13");

    /// <summary>The Calico version the operator deploys (its operands are calico/NAME:v3.30.7).</summary>
    public const string CalicoVersion = "v3.30.7";

    /// <summary>The operator's operands in policy-only mode on EKS (cni AmazonVPC, API server on, Goldmane and Whisker
    /// off): tigera/operator v1.38.13 pkg/components/calico.go, pulled from the Installation's registry (default
    /// quay.io/, pkg/components/images.go) + imagePath calico. No calico/cni (only with Calico's own CNI).</summary>
    public static readonly IReadOnlyList<MirroredImage> CalicoOperands =
        [.. new[] { "node", "typha", "kube-controllers", "apiserver", "csi", "node-driver-registrar", "pod2daemon-flexvol" }
            .Select(name => new MirroredImage(UpstreamRegistries.Quay, $"calico/{name}", CalicoVersion))];

    /// <summary>metrics-server chart 3.12.2: registry.k8s.io/metrics-server/metrics-server, tag v + appVersion 0.7.2.</summary>
    public static readonly MirroredImage MetricsServer = new(UpstreamRegistries.Kubernetes, "metrics-server/metrics-server", "v0.7.2");

    /// <summary>aws-load-balancer-controller chart 1.13.4: public.ecr.aws/eks/aws-load-balancer-controller:v2.13.4.</summary>
    public static readonly MirroredImage LoadBalancerController = new(UpstreamRegistries.EcrPublic, "eks/aws-load-balancer-controller", "v2.13.4");

    /// <summary>Not the chart's default (v1.35.0, chart 9.59.0 appVersion): the autoscaler minor must match the Kubernetes
    /// minor (1.35) and the newest patch is tag cluster-autoscaler-1.35.2 (version.go ClusterAutoscalerVersion = "1.35.2").</summary>
    public static readonly MirroredImage ClusterAutoscaler = new(UpstreamRegistries.Kubernetes, "autoscaling/cluster-autoscaler", "v1.35.2");

    /// <summary>external-secrets chart 0.19.2 defaults to oci.external-secrets.io/external-secrets/external-secrets, a
    /// redirect to ghcr.io, where the project's release workflow pushes (Makefile IMAGE_REGISTRY ?= ghcr.io); tag = appVersion
    /// v0.19.2. Controller, webhook and cert-controller run the same image.</summary>
    public static readonly MirroredImage ExternalSecrets = new(UpstreamRegistries.GitHub, "external-secrets/external-secrets", "v0.19.2");

    /// <summary>velero chart 10.0.10: velero/velero, tag v + appVersion 1.16.1 (Docker Hub only: velero v1.16.1 push.yml).</summary>
    public static readonly MirroredImage Velero = new(UpstreamRegistries.DockerHub, "velero/velero", "v1.16.1");

    /// <summary>Velero's AWS object store plugin, an init container the chart does not pin (Velero 1.16 compatibility
    /// matrix: plugin v1.12.x).</summary>
    public static readonly MirroredImage VeleroAwsPlugin = new(UpstreamRegistries.DockerHub, "velero/velero-plugin-for-aws", "v1.12.0");

    /// <summary>sh and curl for the API availability Job and the app chart's helm test: the curl project pushes one
    /// manifest list to docker.io/curlimages/curl and quay.io/curl/curl (curl-container build_latest_release_multi.yml),
    /// so Quay serves it without a login. Its user is curl_user, by name only: pods set the UID (100) themselves.</summary>
    public static readonly MirroredImage Curl = new(UpstreamRegistries.Quay, "curl/curl", "8.11.1");

    /// <summary>Every image above.</summary>
    public static IReadOnlyList<MirroredImage> All { get; } =
        [TigeraOperator, .. CalicoOperands, MetricsServer, LoadBalancerController, ClusterAutoscaler, ExternalSecrets, Velero, VeleroAwsPlugin, Curl];
}
