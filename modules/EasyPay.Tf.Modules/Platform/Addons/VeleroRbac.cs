namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>What Velero's server may do outside its own namespace (inside it, chart 10.0.10's Role grants
/// everything): read, for backups, and nothing else. Not cluster-admin (the chart's default binding): a restore
/// writes into every namespace and runs under break-glass, which binds cluster-admin for its duration
/// (docs/disaster-recovery.md).</summary>
public static class VeleroRbac
{
    public const string BackupClusterRoleName = "easypay-velero-backup";

    /// <summary>The core resources a backup reads: every listable one of Kubernetes 1.35's v1 API but Secrets
    /// (the schedules exclude them; External Secrets and the charts re-create them).</summary>
    public static readonly IReadOnlyList<string> CoreResources =
    [
        "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes",
        "pods", "podtemplates", "replicationcontrollers", "resourcequotas", "serviceaccounts", "services",
    ];

    /// <summary>Every other API group the cluster serves: Kubernetes 1.35's, EKS's (VPC CNI, network policy agent,
    /// VPC resource controller), and the add-ons'. Velero lists every resource discovery shows; one it may not read
    /// is an error in the backup log and the backup ends PartiallyFailed, so an add-on with a new group adds it here.</summary>
    public static readonly IReadOnlyList<string> ApiGroups =
    [
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps", "autoscaling", "batch",
        "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
        "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
        "storage.k8s.io", "metrics.k8s.io", "snapshot.storage.k8s.io",
        "crd.k8s.amazonaws.com", "networking.k8s.aws", "vpcresources.k8s.aws", "cloudwatch.aws.amazon.com",
        "elbv2.k8s.aws", "external-secrets.io", "generators.external-secrets.io",
        "projectcalico.org", "crd.projectcalico.org", "operator.tigera.io", "policy.networking.k8s.io", "velero.io",
    ];

    public static readonly IReadOnlyList<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>The ClusterRole, as the chart's extraObjects renders it.</summary>
    public static object BackupClusterRole { get; } = new Dictionary<string, object>
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = new Dictionary<string, object> { ["name"] = BackupClusterRoleName },
        ["rules"] = new object[]
        {
            new Dictionary<string, object> { ["apiGroups"] = new[] { "" }, ["resources"] = CoreResources, ["verbs"] = ReadVerbs },
            new Dictionary<string, object> { ["apiGroups"] = ApiGroups, ["resources"] = new[] { "*" }, ["verbs"] = ReadVerbs },
        },
    };
}
