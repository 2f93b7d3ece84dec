namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Pinned versions of every third-party chart (and images the charts don't pin for us).
/// Upgrading one is a reviewed change here, visible in the platform stack snapshots.</summary>
public static class ChartVersions
{
    /// <summary>Calico's tigera-operator (policy-only mode on EKS, with the API server for projectcalico.org/v3).</summary>
    public const string TigeraOperator = "v3.29.3";
    public const string MetricsServer = "3.12.2";
    /// <summary>AWS Load Balancer Controller v2.13.4 (TargetGroupBinding CRD).</summary>
    public const string AwsLoadBalancerController = "1.13.4";
    public const string ClusterAutoscaler = "9.46.6";
    /// <summary>The autoscaler minor must match the Kubernetes minor (1.33).</summary>
    public const string ClusterAutoscalerImageTag = "v1.33.0";
    /// <summary>Serves external-secrets.io/v1, the API the app chart's ExternalSecret uses.</summary>
    public const string ExternalSecrets = "0.19.2";
    /// <summary>Velero 1.16.</summary>
    public const string Velero = "10.0.10";
    public const string VeleroAwsPluginImage = "velero/velero-plugin-for-aws:v1.12.0";
}
