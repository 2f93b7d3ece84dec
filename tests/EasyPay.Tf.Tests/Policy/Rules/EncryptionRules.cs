using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>ENC: encryption at rest with customer-managed KMS keys, and the S3 baseline.</summary>
public static class EncryptionRules
{
    public static readonly StackRule AuroraStorage = new("ENC-001",
        "Aurora/RDS storage is encrypted with a customer-managed KMS key",
        Severity.Critical, Applicability.AllEnvironments,
        "Payment data at rest must be unreadable without a key whose policy and audit trail we own.",
        ctx => ctx.Resources("aws_rds_cluster", "aws_db_instance").SelectMany(db => ctx.Violations(db,
            (!TfValue.IsTrue(db["storage_encrypted"]), "storage_encrypted is not true: set it (it cannot be changed after creation)"),
            (!AwsFacts.IsCustomerManagedKey(db["kms_key_id"]), "kms_key_id is not a customer-managed key: pass an EncryptionKey's ARN"))))
    {
        Subjects = ["aws_rds_cluster", "aws_db_instance"],
    };

    public static readonly StackRule PerformanceInsights = new("ENC-002",
        "Performance Insights data is encrypted with a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "Performance Insights stores query text (including literals from payment requests).",
        ctx => ctx.Resources("aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_instance")
            .Where(db => TfValue.IsTrue(db["performance_insights_enabled"]))
            .Where(db => !AwsFacts.IsCustomerManagedKey(db["performance_insights_kms_key_id"]))
            .Select(db => ctx.Violation(db, "Performance Insights is enabled without performance_insights_kms_key_id: set it to the database's key ARN")))
    {
        Subjects = ["aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_instance"],
    };

    public static readonly StackRule SnsTopics = new("ENC-003",
        "SNS topics are encrypted with a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "Alarm notifications describe the platform's weak points; CloudWatch cannot even publish to a topic under the AWS-managed key.",
        ctx => ctx.Resources("aws_sns_topic")
            .Where(t => !AwsFacts.IsCustomerManagedKey(t["kms_master_key_id"]))
            .Select(t => ctx.Violation(t, "kms_master_key_id is missing or AWS-managed: use an EncryptionKey that lets CloudWatch use it")))
    {
        Subjects = ["aws_sns_topic"],
    };

    public static readonly StackRule LogGroups = new("ENC-004",
        "CloudWatch log groups are encrypted with a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "Logs carry request data, IPs and error details; a CMK makes every read auditable and revocable.",
        ctx => ctx.Resources("aws_cloudwatch_log_group")
            .Where(g => !AwsFacts.IsCustomerManagedKey(g["kms_key_id"]))
            .Select(g => ctx.Violation(g, "kms_key_id is not set: pass an EncryptionKey with the AllowCloudWatchLogs statement")))
    {
        Subjects = ["aws_cloudwatch_log_group"],
    };

    public static readonly StackRule Volumes = new("ENC-005",
        "EBS volumes (launch templates, volumes, node groups) are encrypted with a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "Node disks hold container images, logs and secrets mounted into pods.",
        VolumeProblems)
    {
        Subjects = ["aws_launch_template", "aws_ebs_volume", "aws_eks_node_group"],
    };

    public static readonly StackRule BucketEncryption = new("ENC-006",
        "S3 buckets use SSE-KMS with a customer-managed key (ALB log and website buckets: SSE-S3 allowed)",
        Severity.High, Applicability.AllEnvironments,
        "Backups and logs in S3 must be unreadable without our key; AWS only allows SSE-S3 for ALB logs and public websites.",
        BucketEncryptionProblems)
    {
        Subjects = ["aws_s3_bucket"],
    };

    public static readonly StackRule BucketPublicAccess = new("ENC-007",
        "S3 buckets block all public access (website buckets: public ACLs still blocked)",
        Severity.Critical, Applicability.AllEnvironments,
        "A single public bucket policy or ACL is the most common AWS data leak.",
        BucketPublicAccessProblems)
    {
        Subjects = ["aws_s3_bucket"],
    };

    public static readonly StackRule BucketTls = new("ENC-008",
        "S3 bucket policies deny requests without TLS",
        Severity.High, Applicability.AllEnvironments,
        "Encryption in transit everywhere: S3 accepts plain HTTP unless the bucket policy denies it.",
        BucketTlsProblems)
    {
        Subjects = ["aws_s3_bucket"],
    };

    public static readonly StackRule BucketVersioning = new("ENC-009",
        "S3 buckets have versioning enabled",
        Severity.Medium, Applicability.AllEnvironments,
        "Overwritten or deleted backups and logs stay recoverable (ransomware, operator error).",
        ctx => ctx.Resources("aws_s3_bucket")
            .Where(b => !AwsFacts.ForBucket(ctx, b, "aws_s3_bucket_versioning")
                    .Any(v => TfValue.Text(TfValue.Block(v["versioning_configuration"])?["status"]) == "Enabled")
                && !TfValue.Blocks(b["versioning"]).Any(v => TfValue.IsTrue(v["enabled"])))
            .Select(b => ctx.Violation(b, "no aws_s3_bucket_versioning with status Enabled for this bucket")))
    {
        Subjects = ["aws_s3_bucket"],
    };

    public static readonly StackRule KeyRotation = new("ENC-010",
        "Every KMS key rotates its key material",
        Severity.High, Applicability.AllEnvironments,
        "Rotation bounds how much data one compromised key version exposes.",
        ctx => ctx.Resources("aws_kms_key")
            // Only symmetric encryption keys can rotate (AWS refuses rotation of asymmetric and HMAC keys).
            .Where(k => (TfValue.Text(k["customer_master_key_spec"]) ?? "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT")
            .Where(k => !TfValue.IsTrue(k["enable_key_rotation"]))
            .Select(k => ctx.Violation(k, "enable_key_rotation is not true")))
    {
        Subjects = ["aws_kms_key"],
    };

    public static readonly StackRule PersistentVolumes = new("ENC-011",
        "StorageClasses of the EBS CSI driver encrypt every volume with a customer-managed key (encrypted \"true\" and a kmsKeyId key ARN)",
        Severity.High, Applicability.AllEnvironments,
        "A persistent volume can hold anything a pod writes (a queue, a cache dump, card data by mistake); unencrypted or under the AWS-managed key, its snapshots can be shared or read outside our key policy.",
        ctx => ctx.Resources("kubernetes_storage_class_v1").Where(c => TfValue.Text(c["storage_provisioner"]) == "ebs.csi.aws.com").SelectMany(c =>
        {
            var parameters = TfValue.Block(c["parameters"]) ?? new JsonObject();
            // aws-ebs-csi-driver docs/parameters.md: keys are case-insensitive.
            string? Parameter(string name) => parameters.Where(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Select(p => TfValue.Text(p.Value)).FirstOrDefault();
            return ctx.Violations(c,
                (Parameter("encrypted") != "true", "parameters.encrypted is not \"true\": volumes of the class are created unencrypted (unless the account encrypts by default)"),
                (!AwsFacts.IsCustomerManagedKey(JsonValue.Create(Parameter("kmsKeyId"))) || (Parameter("kmsKeyId") ?? "").Contains("alias/", StringComparison.Ordinal),
                    "parameters.kmsKeyId is not a customer-managed key's ARN: volumes get the region's default key"));
        }))
    {
        Subjects = ["kubernetes_storage_class_v1"],
    };

    public static readonly StackRule EbsByDefault = new("ENC-012",
        "The account stack turns on EBS encryption by default in the environment's region",
        Severity.High, Applicability.AllEnvironments,
        "Any volume a future resource, an operator or an AWS service creates without naming a key is encrypted anyway (PCI DSS 3.5); nothing of ours depends on unencrypted volumes.",
        ctx => ctx.StackName != "account" || ctx.Resources("aws_ebs_encryption_by_default").Any(r => TfValue.IsTrue(r["enabled"]) && !TfValue.IsSet(r["region"]))
            ? []
            : [ctx.Violation("aws_ebs_encryption_by_default", "no aws_ebs_encryption_by_default with enabled = true for the stack's region")]);

    public static IReadOnlyList<StackRule> All { get; } =
        [AuroraStorage, PerformanceInsights, SnsTopics, LogGroups, Volumes, BucketEncryption, BucketPublicAccess, BucketTls, BucketVersioning, KeyRotation, PersistentVolumes, EbsByDefault];

    private static IEnumerable<Violation> VolumeProblems(PolicyContext ctx)
    {
        foreach (var template in ctx.Resources("aws_launch_template"))
        {
            var ebs = TfValue.Blocks(template["block_device_mappings"]).Select(m => TfValue.Block(m["ebs"])).OfType<JsonObject>().ToList();
            if (ebs.Count == 0)
            {
                yield return ctx.Violation(template, "no block_device_mappings with an ebs block: the root volume falls back to the AMI's settings; map it with encrypted = true and a kms_key_id");
            }
            foreach (var volume in ebs.Where(v => !TfValue.IsTrue(v["encrypted"]) || !AwsFacts.IsCustomerManagedKey(v["kms_key_id"])))
            {
                yield return ctx.Violation(template, $"block device volume ({TfValue.Text(volume["volume_type"]) ?? "default type"}) needs encrypted = true and a customer-managed kms_key_id");
            }
        }
        foreach (var volume in ctx.Resources("aws_ebs_volume").Where(v => !TfValue.IsTrue(v["encrypted"]) || !AwsFacts.IsCustomerManagedKey(v["kms_key_id"])))
        {
            yield return ctx.Violation(volume, "needs encrypted = true and a customer-managed kms_key_id");
        }
        foreach (var group in ctx.Resources("aws_eks_node_group").Where(g => TfValue.Block(g["launch_template"]) is null))
        {
            yield return ctx.Violation(group, "has no launch_template: its disks get the account's default EBS key; give it a launch template with a CMK-encrypted root volume");
        }
    }

    private static IEnumerable<Violation> BucketEncryptionProblems(PolicyContext ctx)
    {
        foreach (var bucket in ctx.Resources("aws_s3_bucket"))
        {
            var defaults = AwsFacts.ForBucket(ctx, bucket, "aws_s3_bucket_server_side_encryption_configuration").Select(c => c.Body)
                .Concat(TfValue.Blocks(bucket["server_side_encryption_configuration"])) // the deprecated inline form
                .SelectMany(c => TfValue.Blocks(c["rule"]))
                .Select(r => TfValue.Block(r["apply_server_side_encryption_by_default"]))
                .OfType<JsonObject>()
                .ToList();
            var kms = defaults.Any(d => TfValue.Text(d["sse_algorithm"]) is "aws:kms" or "aws:kms:dsse" && AwsFacts.IsCustomerManagedKey(d["kms_master_key_id"]));
            var sseS3Allowed = AwsFacts.IsLoadBalancerLogBucket(ctx, bucket) || AwsFacts.IsWebsiteBucket(ctx, bucket);
            if (kms || (sseS3Allowed && defaults.Any(d => TfValue.Text(d["sse_algorithm"]) == "AES256")))
            {
                continue;
            }
            yield return ctx.Violation(bucket, defaults.Count == 0
                ? "no aws_s3_bucket_server_side_encryption_configuration for this bucket: add one with sse_algorithm aws:kms and a customer-managed kms_master_key_id"
                : sseS3Allowed
                    ? "default encryption is neither SSE-KMS with a customer-managed key nor AES256"
                    : "default encryption is not aws:kms with a customer-managed kms_master_key_id (AES256 is only allowed for ALB access-log and website buckets)");
        }
    }

    private static IEnumerable<Violation> BucketPublicAccessProblems(PolicyContext ctx)
    {
        foreach (var bucket in ctx.Resources("aws_s3_bucket"))
        {
            var website = AwsFacts.IsWebsiteBucket(ctx, bucket);
            string[] required = website
                ? ["block_public_acls", "ignore_public_acls"]
                : ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
            var blocks = AwsFacts.ForBucket(ctx, bucket, "aws_s3_bucket_public_access_block").ToList();
            if (blocks.Count == 0)
            {
                yield return ctx.Violation(bucket, "no aws_s3_bucket_public_access_block for this bucket");
                continue;
            }
            var missing = required.Where(flag => !blocks.Any(b => TfValue.IsTrue(b[flag]))).ToList();
            if (missing.Count > 0)
            {
                yield return ctx.Violation(bucket, $"public access block does not set {string.Join(", ", missing)} to true");
            }
        }
    }

    private static IEnumerable<Violation> BucketTlsProblems(PolicyContext ctx)
    {
        foreach (var bucket in ctx.Resources("aws_s3_bucket"))
        {
            var policies = AwsFacts.ForBucket(ctx, bucket, "aws_s3_bucket_policy").ToList();
            if (policies.Count == 0)
            {
                yield return ctx.Violation(bucket, "no aws_s3_bucket_policy for this bucket: add one that denies aws:SecureTransport = false");
                continue;
            }
            var statements = policies.Select(p => AwsFacts.Statements(ctx, p["policy"])).ToList();
            if (statements.Any(s => s is null))
            {
                yield return ctx.Violation(bucket, "its bucket policy is neither a JSON document nor an aws_iam_policy_document: it cannot be verified");
                continue;
            }
            var all = statements.SelectMany(s => s!).ToList();
            var denies = all.Where(s => s.Effect == "Deny" && s.IsPublic && s.Conditions.Any(IsInsecureTransport)).ToList();
            if (AwsFacts.IsWebsiteBucket(ctx, bucket))
            {
                // Website endpoints are plain HTTP: reads cannot require TLS, but every write must, and the
                // public may do nothing but read objects.
                if (denies.Count == 0)
                {
                    yield return ctx.Violation(bucket, "website bucket policy does not deny writes without TLS (aws:SecureTransport = false)");
                }
                foreach (var s in all.Where(s => s.Effect == "Allow" && s.IsPublic && s.Actions.Any(a => a != "s3:GetObject")))
                {
                    yield return ctx.Violation(bucket, $"website bucket policy grants the public more than s3:GetObject: {string.Join(", ", s.Actions)}");
                }
                continue;
            }
            if (!denies.Any(s => s.Actions.Any(a => a is "s3:*" or "*")))
            {
                yield return ctx.Violation(bucket, "bucket policy has no Deny of s3:* for everyone when aws:SecureTransport is false");
            }
        }
    }

    private static bool IsInsecureTransport(PolicyCondition c) =>
        c.Test == "Bool" && c.Variable == "aws:SecureTransport" && c.Values.Contains("false");
}
