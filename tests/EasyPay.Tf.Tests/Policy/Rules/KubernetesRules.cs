using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>EKS: the control plane and the nodes.</summary>
public static class KubernetesRules
{
    /// <summary>Every control-plane log type EKS offers.</summary>
    public static readonly IReadOnlyList<string> ControlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    public static readonly StackRule ControlPlaneLogs = new("EKS-001",
        "EKS clusters ship every control-plane log type (api, audit, authenticator, controllerManager, scheduler)",
        Severity.High, Applicability.AllEnvironments,
        "Audit and authenticator logs are the only record of who did what to the cluster.",
        ctx => ctx.Resources("aws_eks_cluster")
            .Select(c => (Cluster: c, Missing: ControlPlaneLogTypes.Except(TfValue.List(c["enabled_cluster_log_types"])).ToList()))
            .Where(c => c.Missing.Count > 0)
            .Select(c => ctx.Violation(c.Cluster, $"enabled_cluster_log_types lacks {string.Join(", ", c.Missing)}")))
    {
        Subjects = ["aws_eks_cluster"],
    };

    public static readonly StackRule SecretsEncryption = new("EKS-002",
        "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key",
        Severity.Critical, Applicability.AllEnvironments,
        "Without it, database credentials synced into the cluster sit in etcd under AWS's key only.",
        ctx => ctx.Resources("aws_eks_cluster")
            .Where(c => !TfValue.Blocks(c["encryption_config"]).Any(e =>
                TfValue.List(e["resources"]).Contains("secrets") && AwsFacts.IsCustomerManagedKey(TfValue.Block(e["provider"])?["key_arn"])))
            .Select(c => ctx.Violation(c, "no encryption_config with resources [\"secrets\"] and a provider key_arn")))
    {
        Subjects = ["aws_eks_cluster"],
    };

    public static readonly StackRule PublicEndpoint = new("EKS-003",
        "Production EKS API endpoints are private, or public only to listed CIDRs (never /0)",
        Severity.Critical, Applicability.ProductionOnly,
        "An API server open to the internet is one leaked credential or CVE away from the cluster.",
        ctx => ctx.Resources("aws_eks_cluster").SelectMany(c =>
        {
            var vpc = TfValue.Block(c["vpc_config"]);
            var publicAccess = vpc?["endpoint_public_access"] is null || TfValue.IsTrue(vpc["endpoint_public_access"]); // EKS default: public
            var cidrs = TfValue.List(vpc?["public_access_cidrs"]);
            return ctx.Violations(c,
                (!TfValue.IsTrue(vpc?["endpoint_private_access"]), "vpc_config.endpoint_private_access is not true: nodes would reach the API over the internet"),
                (publicAccess && cidrs.Count == 0, "the public endpoint is open to 0.0.0.0/0 (no public_access_cidrs): list the office/VPN CIDRs or disable it"),
                (publicAccess && cidrs.Any(AwsFacts.IsWorld), $"public_access_cidrs contains {string.Join(", ", cidrs.Where(AwsFacts.IsWorld))}"));
        }))
    {
        Subjects = ["aws_eks_cluster"],
    };

    public static readonly StackRule InstanceMetadataV2 = new("EKS-004",
        "Nodes require IMDSv2: every launch template sets http_tokens = required and every node group uses one",
        Severity.High, Applicability.AllEnvironments,
        "IMDSv1 lets any SSRF in a pod read the node role's credentials.",
        ctx => ctx.Resources("aws_launch_template")
                .Where(t => TfValue.Text(TfValue.Block(t["metadata_options"])?["http_tokens"]) != "required")
                .Select(t => ctx.Violation(t, "metadata_options.http_tokens is not \"required\""))
            .Concat(ctx.Resources("aws_eks_node_group")
                .Where(g => TfValue.Block(g["launch_template"]) is null)
                .Select(g => ctx.Violation(g, "has no launch_template: the instance metadata options cannot be enforced"))))
    {
        Subjects = ["aws_launch_template", "aws_eks_node_group"],
    };

    public static readonly StackRule SupportedVersion = new("EKS-005",
        $"EKS clusters set upgrade_policy and run a version with at least {EksSupportCalendar.MinimumStandardSupportDaysLeft} days of support left (standard; extended only where upgrade_policy says EXTENDED), per the pinned EksSupportCalendar",
        Severity.High, Applicability.AllEnvironments,
        "At the end of standard support EKS either upgrades the cluster itself (STANDARD) or bills the extended-support rate (several times the standard control-plane price); stepping through an upgrade takes weeks of review.",
        ctx => ctx.Resources("aws_eks_cluster").SelectMany(c =>
        {
            var version = TfValue.Text(c["version"]);
            var supportType = TfValue.Text(TfValue.Block(c["upgrade_policy"])?["support_type"]);
            var row = version is null ? null : EksSupportCalendar.Find(version);
            var extended = supportType == "EXTENDED";
            var left = row is null ? 0 : extended ? row.ExtendedSupportDaysLeft(ctx.Today) : row.StandardSupportDaysLeft(ctx.Today);
            return ctx.Violations(c,
                (supportType is null, "upgrade_policy.support_type is not set: EKS then defaults to EXTENDED and bills extended support once the version ages"),
                (row is null, $"version {version ?? "(unset)"} is not in EksSupportCalendar: pin a version AWS lists, and add its row with the source"),
                (row is not null && left < EksSupportCalendar.MinimumStandardSupportDaysLeft,
                    $"version {version} leaves {(extended ? "extended" : "standard")} support on {(extended ? row?.EndOfExtendedSupport : row?.EndOfStandardSupport):yyyy-MM-dd} ({left} days from {ctx.Today:yyyy-MM-dd}): upgrade one minor at a time (docs/cluster.md, \"Upgrading Kubernetes\")"));
        }))
    {
        Subjects = ["aws_eks_cluster"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [ControlPlaneLogs, SecretsEncryption, PublicEndpoint, InstanceMetadataV2, SupportedVersion];
}
