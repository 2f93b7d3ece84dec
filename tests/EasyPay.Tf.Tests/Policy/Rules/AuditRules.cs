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

    public static readonly StackRule DatabaseAudit = new("AUD-002",
        "Aurora PostgreSQL parameter groups load pgAudit, log writes, role changes and DDL (pgaudit.log), and log connections and disconnections",
        Severity.High, Applicability.AllEnvironments,
        "PCI DSS 10.2: who connected to the cardholder database and what they changed; DDL-only logging misses every data change and login.",
        ctx => ctx.Resources("aws_rds_cluster_parameter_group").Where(g => (TfValue.Text(g["family"]) ?? "").StartsWith("aurora-postgresql", StringComparison.Ordinal)).SelectMany(group =>
        {
            var parameters = TfValue.Blocks(group["parameter"]).ToDictionary(p => TfValue.Text(p["name"]) ?? "", p => TfValue.Text(p["value"]) ?? "");
            string Value(string name) => parameters.TryGetValue(name, out var v) ? v : "";
            var classes = Value("pgaudit.log").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return ctx.Violations(group,
                (!Value("shared_preload_libraries").Split(',', StringSplitOptions.TrimEntries).Contains("pgaudit"), "shared_preload_libraries does not include pgaudit"),
                (!(classes.Contains("all") || new[] { "write", "role", "ddl" }.All(classes.Contains)), $"pgaudit.log '{Value("pgaudit.log")}' does not include write, role and ddl"),
                (Value("log_connections") != "1", "log_connections is not 1"),
                (Value("log_disconnections") != "1", "log_disconnections is not 1"));
        }))
    {
        Subjects = ["aws_rds_cluster_parameter_group"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [Trails, DatabaseAudit];
}
