using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Audit;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Audit;

public class AuditTrailTests
{
    private const string TrailArn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/easypay-test-audit";
    private const string Bucket = "easypay-test-audit-123456789012";

    private static JsonObject Synth(AuditTrailProps? props = null) =>
        ConstructSynth.Stack((stack, _) => new AuditTrail(stack, "audit", props ?? new AuditTrailProps("easypay-test-audit", 365)));

    private static JsonNode Statement(string policy, string sid) =>
        JsonNode.Parse(policy)!["Statement"]!.AsArray().Single(s => s!.Str("Sid") == sid)!;

    [Fact]
    public void The_trail_records_every_region_and_global_services_with_validated_encrypted_log_files()
    {
        var json = Synth();
        var trail = json.Single("aws_cloudtrail");
        (trail.Str("name"), trail.Str("is_multi_region_trail"), trail.Str("include_global_service_events"), trail.Str("enable_log_file_validation"))
            .ShouldBe(("easypay-test-audit", "true", "true", "true"));
        var key = json.Resources("aws_kms_key").Single();
        trail.Str("kms_key_id").ShouldBe($"${{aws_kms_key.{key.Name}.arn}}");
        var bucket = json.Resources("aws_s3_bucket").Single();
        bucket.Body.Str("bucket").ShouldBe(Bucket);
        trail.Str("s3_bucket_name").ShouldBe($"${{aws_s3_bucket.{bucket.Name}.bucket}}");
    }

    [Fact]
    public void The_trail_waits_for_the_bucket_policy_and_the_object_lock()
    {
        // CloudTrail CreateTrail checks the bucket policy (InsufficientS3BucketPolicyException); files must be locked from the first one.
        var dependsOn = Synth().Single("aws_cloudtrail")["depends_on"].Strings();
        dependsOn.ShouldContain(d => d.StartsWith("aws_s3_bucket_policy.", StringComparison.Ordinal));
        dependsOn.ShouldContain(d => d.StartsWith("aws_s3_bucket_object_lock_configuration.", StringComparison.Ordinal));
        dependsOn.ShouldContain(d => d.StartsWith("aws_s3_bucket_server_side_encryption_configuration.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_lets_only_this_trail_encrypt_and_describe()
    {
        // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail": "Granting encrypt permissions" (StringLike on the
        // encryption context, StringEquals aws:SourceArn = the trail), "Enable CloudTrail to describe KMS key properties".
        var policy = Synth().Single("aws_kms_key").Str("policy")!;
        var encrypt = Statement(policy, "AllowCloudTrailToEncryptLogs");
        (encrypt.Str("Principal.Service"), encrypt.Str("Action"), encrypt.Str("Resource")).ShouldBe(("cloudtrail.amazonaws.com", "kms:GenerateDataKey*", "*"));
        encrypt.Str("Condition.StringLike.kms:EncryptionContext:aws:cloudtrail:arn").ShouldBe("arn:aws:cloudtrail:*:123456789012:trail/*");
        encrypt.Str("Condition.StringEquals.aws:SourceArn").ShouldBe(TrailArn);
        var describe = Statement(policy, "AllowCloudTrailToDescribeKey");
        (describe.Str("Principal.Service"), describe.Str("Action"), describe.Str("Condition.StringEquals.aws:SourceArn"))
            .ShouldBe(("cloudtrail.amazonaws.com", "kms:DescribeKey", TrailArn));
        // Same guide, "Granting decrypt permissions": kms:Decrypt is required to create a trail on a bucket with an S3 Bucket Key.
        var decrypt = Statement(policy, "AllowCloudTrailToDecryptWithTheBucketKey");
        (decrypt.Str("Principal.Service"), decrypt.Str("Action")).ShouldBe(("cloudtrail.amazonaws.com", "kms:Decrypt"));
        JsonNode.Parse(policy)!["Statement"]!.AsArray().Select(s => s!.Str("Sid")).ShouldBe(
            ["EnableIamPolicies", "AllowCloudTrailToEncryptLogs", "AllowCloudTrailToDecryptWithTheBucketKey", "AllowCloudTrailToDescribeKey"]);
    }

    [Fact]
    public void The_key_policy_names_the_partition_of_the_stack()
    {
        var json = ConstructSynth.Stack((stack, _) => new AuditTrail(stack, "audit", new AuditTrailProps("easypay-test-audit", 365)),
            ConstructSynth.DefaultEnvironment with { Region = "us-gov-west-1", Partition = "aws-us-gov" });
        var encrypt = Statement(json.Single("aws_kms_key").Str("policy")!, "AllowCloudTrailToEncryptLogs");
        encrypt.Str("Condition.StringLike.kms:EncryptionContext:aws:cloudtrail:arn").ShouldBe("arn:aws-us-gov:cloudtrail:*:123456789012:trail/*");
        encrypt.Str("Condition.StringEquals.aws:SourceArn").ShouldBe("arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/easypay-test-audit");
    }

    [Fact]
    public void The_bucket_lets_only_this_trail_check_its_acl_and_write_its_account_prefix()
    {
        // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail": GetBucketAcl on the bucket, PutObject on
        // AWSLogs/ACCOUNT/* with s3:x-amz-acl bucket-owner-full-control, both with aws:SourceArn = the trail.
        var policy = Synth().Single("aws_s3_bucket_policy").Str("policy")!;
        var acl = Statement(policy, "AllowCloudTrailAclCheck");
        (acl.Str("Principal.Service"), acl.Str("Action"), acl.Str("Resource"), acl.Str("Condition.StringEquals.aws:SourceArn"))
            .ShouldBe(("cloudtrail.amazonaws.com", "s3:GetBucketAcl", $"arn:aws:s3:::{Bucket}", TrailArn));
        var write = Statement(policy, "AllowCloudTrailWrite");
        (write.Str("Principal.Service"), write.Str("Action"), write.Str("Resource")).ShouldBe(("cloudtrail.amazonaws.com", "s3:PutObject", $"arn:aws:s3:::{Bucket}/AWSLogs/123456789012/*"));
        (write.Str("Condition.StringEquals.s3:x-amz-acl"), write.Str("Condition.StringEquals.aws:SourceArn")).ShouldBe(("bucket-owner-full-control", TrailArn));
        Statement(policy, "DenyInsecureTransport").Str("Effect").ShouldBe("Deny");
    }

    [Fact]
    public void Log_files_are_locked_for_their_whole_retention_and_then_expire()
    {
        var json = Synth();
        json.Single("aws_s3_bucket").Str("object_lock_enabled").ShouldBe("true");
        // S3 API reference, DefaultRetention: Mode GOVERNANCE | COMPLIANCE, Days.
        var retention = json.Single("aws_s3_bucket_object_lock_configuration")["rule"]!["default_retention"]!;
        (retention.Str("mode"), retention.Str("days")).ShouldBe(("GOVERNANCE", "365"));
        json.Single("aws_s3_bucket_lifecycle_configuration").Str("rule.0.expiration.0.days").ShouldBe("365");
        json.Single("aws_s3_bucket_versioning").Str("versioning_configuration.status").ShouldBe("Enabled");
    }

    [Fact]
    public void Production_locks_in_compliance_mode_and_protects_bucket_and_key()
    {
        var json = Synth(new AuditTrailProps("easypay-test-audit", 400) { ObjectLockMode = "COMPLIANCE", ObjectLockDays = 90, PreventDestroy = true });
        var retention = json.Single("aws_s3_bucket_object_lock_configuration")["rule"]!["default_retention"]!;
        (retention.Str("mode"), retention.Str("days")).ShouldBe(("COMPLIANCE", "90"));
        json.Single("aws_s3_bucket").Str("lifecycle.prevent_destroy").ShouldBe("true");
        json.Single("aws_kms_key").Str("lifecycle.prevent_destroy").ShouldBe("true");
        json.Single("aws_s3_bucket").Str("force_destroy").ShouldBe("false");
    }

    [Fact]
    public void Development_can_go_without_a_lock_and_force_destroy()
    {
        var json = Synth(new AuditTrailProps("easypay-test-audit", 30) { ObjectLock = false, ForceDestroy = true, KeyDeletionWindowInDays = 7 });
        json.Resources("aws_s3_bucket_object_lock_configuration").ShouldBeEmpty();
        json.Single("aws_s3_bucket")["object_lock_enabled"].ShouldBeNull();
        json.Single("aws_s3_bucket").Str("force_destroy").ShouldBe("true");
        json.Single("aws_kms_key").Str("deletion_window_in_days").ShouldBe("7");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(new AuditTrailProps("EasyPay_Audit", 30)
        {
            ObjectLockMode = "COMPLIANCE",
            ObjectLockDays = 31,
            ForceDestroy = true,
            KeyDeletionWindowInDays = 31,
        })).Message;
        message.ShouldContain("AuditTrailProps.Name: 'EasyPay_Audit' is not a trail name");
        message.ShouldContain("AuditTrailProps.ObjectLockDays: 31 exceeds RetentionDays 30");
        message.ShouldContain("AuditTrailProps.ForceDestroy: cannot empty a bucket locked in COMPLIANCE mode");
        message.ShouldContain("AuditTrailProps.KeyDeletionWindowInDays: must be between 7 and 30 days");
        Should.Throw<ArgumentException>(() => Synth(new AuditTrailProps("easypay-test-audit", 0) { ObjectLockMode = "governance" })).Message
            .ShouldSatisfyAllConditions(
                m => m.ShouldContain("AuditTrailProps.RetentionDays: must be at least 1 day"),
                m => m.ShouldContain("AuditTrailProps.ObjectLockMode: 'governance' is not one of GOVERNANCE, COMPLIANCE"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("easypay--audit")]
    [InlineData("-easypay-audit")]
    [InlineData("easypay-prod-audit-trail-with-a-name-far-too-long-x")]
    public void Names_that_cloudtrail_or_s3_refuse_are_rejected(string name) =>
        Should.Throw<ArgumentException>(() => Synth(new AuditTrailProps(name, 30))).Message.ShouldContain("AuditTrailProps.Name");
}
