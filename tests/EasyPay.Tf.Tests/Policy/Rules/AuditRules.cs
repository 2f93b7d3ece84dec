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

    public static readonly StackRule AccessLogVersions = new("AUD-003",
        "The bucket a load balancer delivers access logs to keeps noncurrent (deleted) log versions as long as current logs, with versioning on",
        Severity.Medium, Applicability.AllEnvironments,
        "PCI DSS 10.5: log objects are never overwritten, so a noncurrent version exists only because someone deleted a log; expiring it after a day makes that deletion final before anyone looks.",
        ctx => ctx.Resources("aws_lb").SelectMany(lb => TfValue.Blocks(lb["access_logs"]).Where(l => TfValue.IsTrue(l["enabled"])).SelectMany(logs =>
        {
            var bucket = ctx.Resolve(logs["bucket"]);
            if (bucket is null)
            {
                return [];
            }
            var rules = ctx.Resources("aws_s3_bucket_lifecycle_configuration").Where(c => ctx.RefersTo(c["bucket"], bucket)).SelectMany(c => TfValue.Blocks(c["rule"])).ToList();
            var versioned = ctx.Resources("aws_s3_bucket_versioning").Any(v => ctx.RefersTo(v["bucket"], bucket)
                && TfValue.Blocks(v["versioning_configuration"]).Any(c => TfValue.Text(c["status"]) == "Enabled"));
            var kept = rules.SelectMany(r => TfValue.Blocks(r["expiration"])).Select(e => TfValue.Number(e["days"])).Where(d => d is not null).DefaultIfEmpty(null).Max();
            var noncurrent = rules.SelectMany(r => TfValue.Blocks(r["noncurrent_version_expiration"])).Select(e => TfValue.Number(e["noncurrent_days"])).Where(d => d is not null).DefaultIfEmpty(null).Min();
            return ctx.Violations(lb,
                (!versioned, $"{bucket.Address} has no versioning: a deleted log is gone at once"),
                (noncurrent is not null && (kept is null || noncurrent < kept), $"{bucket.Address} expires deleted log versions after {noncurrent} days, before the {kept?.ToString() ?? "unexpired"} days logs are kept"));
        })))
    {
        Subjects = ["aws_lb"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [Trails, DatabaseAudit, AccessLogVersions];
}
