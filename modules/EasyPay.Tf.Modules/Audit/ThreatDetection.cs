using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.GuarddutyDetector;
using HashiCorp.Cdktf.Providers.Aws.GuarddutyDetectorFeature;

namespace EasyPay.Tf.Modules.Audit;

/// <summary>Props of <see cref="ThreatDetection"/>.</summary>
public sealed record ThreatDetectionProps
{
    /// <summary>GuardDuty Runtime Monitoring (RUNTIME_MONITORING) with automated agent configuration for EKS
    /// (EKS_ADDON_MANAGEMENT): GuardDuty installs and updates its security agent as the aws-guardduty-agent EKS
    /// add-on on every cluster of the region. @default true
    /// <para>With automated agent configuration GuardDuty also creates, outside Terraform, a VPC endpoint
    /// (com.amazonaws.REGION.guardduty-data) and a security group for it in each cluster's VPC, both tagged
    /// GuardDutyManaged=true, and deletes them only when Runtime Monitoring is disabled (GuardDuty user guide,
    /// "Using Infrastructure as Code (IaC) with GuardDuty automated security agents"). Terraform does not know
    /// them, so destroying the VPC stack fails on its subnets ("has dependencies and cannot be deleted"). To tear
    /// a VPC down: set this to false (or disable Runtime Monitoring) and apply first, or delete the
    /// GuardDutyManaged endpoint and then its security group by hand, then destroy the VPC.</para></summary>
    public bool EksRuntimeMonitoring { get; init; } = true;

    /// <summary>How often GuardDuty publishes updates of existing findings (to EventBridge and S3).
    /// @default "FIFTEEN_MINUTES"</summary>
    public string FindingPublishingFrequency { get; init; } = "FIFTEEN_MINUTES";

    /// <summary>The values the provider accepts (enum FindingPublishingFrequency of the GuardDuty API).</summary>
    public static readonly IReadOnlyList<string> FindingPublishingFrequencies = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"];
}

/// <summary>The region's Amazon GuardDuty detector with the protection plans the platform needs, each configured
/// through its own aws_guardduty_detector_feature (the detector's datasources block is deprecated).</summary>
public sealed class ThreatDetection : Construct
{
    public string DetectorId { get; }

    public ThreatDetection(Construct scope, string id, ThreatDetectionProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ThreatDetectionProps))
            .Check(ThreatDetectionProps.FindingPublishingFrequencies.Contains(props.FindingPublishingFrequency), nameof(props.FindingPublishingFrequency),
                $"'{props.FindingPublishingFrequency}' is not one of {string.Join(", ", ThreatDetectionProps.FindingPublishingFrequencies)}")
            .ThrowIfInvalid();

        var detector = new GuarddutyDetector(this, "detector", new GuarddutyDetectorConfig
        {
            Enable = true,
            FindingPublishingFrequency = props.FindingPublishingFrequency,
        });

        // Each plan on, because each watches data this platform holds:
        // - EKS_AUDIT_LOGS: the EKS control plane's audit log (credential misuse, anonymous access, privileged pods).
        // - RDS_LOGIN_EVENTS: logins to the Aurora PostgreSQL cluster that holds the payment data.
        // - RUNTIME_MONITORING: process, file and network events inside the nodes and pods (Runtime Monitoring,
        //   not the older EKS_RUNTIME_MONITORING, which it replaces: the API rejects both at once).
        // - S3_DATA_EVENTS: object-level access to the backup, log and audit buckets (exfiltration, deletion).
        // - EBS_MALWARE_PROTECTION: scans a node's volumes only when another finding points at malware there,
        //   so it costs nothing until it matters.
        Feature(detector, "eks-audit-logs", "EKS_AUDIT_LOGS", true);
        Feature(detector, "rds-login-events", "RDS_LOGIN_EVENTS", true);
        Feature(detector, "runtime-monitoring", "RUNTIME_MONITORING", props.EksRuntimeMonitoring,
            // All three agent managements are listed: the resource reads back every one the API reports
            // (a set), so one left out of the configuration would differ from the state.
            ("EKS_ADDON_MANAGEMENT", props.EksRuntimeMonitoring),
            // The platform runs no ECS: GuardDuty would inject its agent sidecar into any Fargate task unseen.
            ("ECS_FARGATE_AGENT_MANAGEMENT", false),
            // The nodes are EKS nodes, covered by the add-on; an SSM-installed EC2 agent would run beside it.
            ("EC2_AGENT_MANAGEMENT", false));
        Feature(detector, "s3-data-events", "S3_DATA_EVENTS", true);
        Feature(detector, "ebs-malware-protection", "EBS_MALWARE_PROTECTION", true);

        DetectorId = detector.Id;
    }

    private void Feature(GuarddutyDetector detector, string id, string name, bool enabled, params (string Name, bool Enabled)[] additional) =>
        new GuarddutyDetectorFeature(this, id, new GuarddutyDetectorFeatureConfig
        {
            DetectorId = detector.Id,
            Name = name,
            Status = Status(enabled),
            AdditionalConfiguration = additional.Length == 0 ? null : additional
                .Select(a => new GuarddutyDetectorFeatureAdditionalConfiguration { Name = a.Name, Status = Status(a.Enabled) })
                .ToArray(),
        });

    private static string Status(bool enabled) => enabled ? "ENABLED" : "DISABLED";
}
