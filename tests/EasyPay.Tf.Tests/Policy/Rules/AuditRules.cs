using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>AUD: the account's API history is complete, tamper-evident and encrypted.</summary>
public static class AuditRules
{
    public static readonly StackRule Trails = new("AUD-001",
        "CloudTrail trails are multi-region with global service events, validate their log files and encrypt with a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "An incident review needs every region's calls (IAM is global), proof that no log file was altered (digest files) and logs only our key opens.",
        ctx => ctx.Resources("aws_cloudtrail").SelectMany(trail => ctx.Violations(trail,
            (!TfValue.IsTrue(trail["is_multi_region_trail"]), "is_multi_region_trail is not true"),
            (TfValue.IsFalse(trail["include_global_service_events"]), "include_global_service_events is false"),
            (!TfValue.IsTrue(trail["enable_log_file_validation"]), "enable_log_file_validation is not true"),
            (!AwsFacts.IsCustomerManagedKey(trail["kms_key_id"]), "kms_key_id is not a customer-managed key"))))
    {
        Subjects = ["aws_cloudtrail"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [Trails];
}
