namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Pinned versions of every third-party chart (and images the charts don't pin for us).
/// Upgrading one is a reviewed change here, visible in the platform stack snapshots.</summary>
public static class ChartVersions
{
    /// <summary>Calico's tigera-operator (policy-only mode on EKS, with the API server for projectcalico.org/v3).
    /// 3.30 is tested on Kubernetes 1.31-1.35 (Calico 3.30 system requirements) and carries the fix for
    /// projectcalico/calico#9437 (v3 policies could not be patched by name after 3.29.0; fixed in 3.30.0 and
    /// 3.29.4). helm never upgrades a chart's crds/: before bumping this, apply the new release's CRDs
    /// (docs/cluster.md, "Upgrading Calico").</summary>
    public const string TigeraOperator = "v3.30.7";
    public const string MetricsServer = "3.12.2";
    /// <summary>AWS Load Balancer Controller v2.13.4 (TargetGroupBinding CRD).</summary>
    public const string AwsLoadBalancerController = "1.13.4";
    /// <summary>9.59.0 (appVersion 1.35.0; kubernetes/autoscaler tag cluster-autoscaler-chart-9.59.0): the newest
    /// chart; every value key set here is in its values.yaml.</summary>
    public const string ClusterAutoscaler = "9.59.0";
    /// <summary>Serves external-secrets.io/v1, the API the app chart's ExternalSecret uses.</summary>
    public const string ExternalSecrets = "0.19.2";
    /// <summary>Velero 1.16 (appVersion 1.16.1).</summary>
    public const string Velero = "10.0.10";
}
