using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Storage;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Storage;

public class SecureBucketTests
{
    private static JsonObject Synth(SecureBucketProps props) => ConstructSynth.Stack((stack, _) => new SecureBucket(stack, "bucket", props));

    [Fact]
    public void A_bucket_is_private_versioned_kms_encrypted_and_tls_only()
    {
        var json = Synth(new SecureBucketProps("easypay-test-velero-123456789012", "arn:aws:kms:eu-west-1:123456789012:key/k"));
        var block = json.Single("aws_s3_bucket_public_access_block");
        new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }.ShouldAllBe(f => block.Str(f) == "true");
        json.Single("aws_s3_bucket_ownership_controls").Str("rule.object_ownership").ShouldBe("BucketOwnerEnforced");
        json.Single("aws_s3_bucket_versioning").Str("versioning_configuration.status").ShouldBe("Enabled");
        var sse = json.Single("aws_s3_bucket_server_side_encryption_configuration")["rule"]![0]!;
        (sse.Str("apply_server_side_encryption_by_default.sse_algorithm"), sse.Str("apply_server_side_encryption_by_default.kms_master_key_id"), sse.Str("bucket_key_enabled"))
            .ShouldBe(("aws:kms", "arn:aws:kms:eu-west-1:123456789012:key/k", "true"));
        var deny = JsonNode.Parse(json.Single("aws_s3_bucket_policy").Str("policy")!)!["Statement"]![0]!;
        (deny.Str("Effect"), deny.Str("Condition.Bool.aws:SecureTransport")).ShouldBe(("Deny", "false"));
        var rule = json.Single("aws_s3_bucket_lifecycle_configuration")["rule"]![0]!;
        (rule.Str("noncurrent_version_expiration.0.noncurrent_days"), rule.Str("abort_incomplete_multipart_upload.0.days_after_initiation")).ShouldBe(("30", "7"));
        rule["expiration"].ShouldBeNull();
        json.Single("aws_s3_bucket").Str("force_destroy").ShouldBe("false");
    }

    [Fact]
    public void Production_buckets_are_protected_and_development_buckets_destroyable()
    {
        Synth(new SecureBucketProps("easypay-test-b", "arn:key") { PreventDestroy = true }).Single("aws_s3_bucket").Str("lifecycle.prevent_destroy").ShouldBe("true");
        Synth(new SecureBucketProps("easypay-test-b", "arn:key") { ForceDestroy = true }).Single("aws_s3_bucket").Str("force_destroy").ShouldBe("true");
    }

    [Fact]
    public void Additional_statements_follow_the_tls_deny()
    {
        var json = Synth(new SecureBucketProps("easypay-test-b", null)
        {
            AdditionalPolicyStatements = [new PolicyStatement("Deliver", ["s3:PutObject"], ["arn:aws:s3:::easypay-test-b/*"], Principals: PolicyDocument.Service("delivery.logs.amazonaws.com"))],
        });
        JsonNode.Parse(json.Single("aws_s3_bucket_policy").Str("policy")!)!["Statement"]!.AsArray().Select(s => s!.Str("Sid")).ShouldBe(["DenyInsecureTransport", "Deliver"]);
        json.Single("aws_s3_bucket_server_side_encryption_configuration").Str("rule.0.apply_server_side_encryption_by_default.sse_algorithm").ShouldBe("AES256");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(new SecureBucketProps("Easypay_Bucket", "") { ForceDestroy = true, PreventDestroy = true, ExpireAfterDays = 0 })).Message;
        message.ShouldContain("SecureBucketProps.Name: 'Easypay_Bucket' is not a valid bucket name");
        message.ShouldContain("SecureBucketProps.KmsKeyArn: is empty");
        message.ShouldContain("SecureBucketProps.ExpireAfterDays: must be at least 1 day");
        message.ShouldContain("SecureBucketProps.ForceDestroy: contradicts PreventDestroy");
    }

    [Fact]
    public void Object_lock_is_enabled_at_creation_with_a_default_retention()
    {
        var json = Synth(new SecureBucketProps("easypay-test-b", "arn:key") { ObjectLock = new BucketObjectLock("COMPLIANCE", 90) });
        json.Single("aws_s3_bucket").Str("object_lock_enabled").ShouldBe("true");
        // S3 API reference, DefaultRetention: Mode GOVERNANCE | COMPLIANCE; Days.
        var retention = json.Single("aws_s3_bucket_object_lock_configuration")["rule"]!["default_retention"]!;
        (retention.Str("mode"), retention.Str("days")).ShouldBe(("COMPLIANCE", "90"));
        var plain = Synth(new SecureBucketProps("easypay-test-b", "arn:key"));
        plain.Single("aws_s3_bucket")["object_lock_enabled"].ShouldBeNull();
        plain.Resources("aws_s3_bucket_object_lock_configuration").ShouldBeEmpty();
    }

    [Fact]
    public void Force_destroy_cannot_empty_a_compliance_locked_bucket()
    {
        // terraform-provider-aws internal/service/s3: force_destroy empties the bucket with BypassGovernanceRetention,
        // which S3 honours for GOVERNANCE retention only.
        Synth(new SecureBucketProps("easypay-test-b", "arn:key") { ObjectLock = new BucketObjectLock("GOVERNANCE", 1), ForceDestroy = true })
            .Single("aws_s3_bucket").Str("force_destroy").ShouldBe("true");
        var message = Should.Throw<ArgumentException>(() => Synth(new SecureBucketProps("easypay-test-b", "arn:key")
        {
            ObjectLock = new BucketObjectLock("COMPLIANCE", 0),
            ForceDestroy = true,
        })).Message;
        message.ShouldContain("SecureBucketProps.ForceDestroy: cannot empty a bucket whose objects are locked in COMPLIANCE mode");
        message.ShouldContain("SecureBucketProps.ObjectLock: retention must be at least 1 day");
        Should.Throw<ArgumentException>(() => Synth(new SecureBucketProps("easypay-test-b", "arn:key") { ObjectLock = new BucketObjectLock("LEGAL_HOLD", 1) }))
            .Message.ShouldContain("SecureBucketProps.ObjectLock: mode 'LEGAL_HOLD' is not one of GOVERNANCE, COMPLIANCE");
    }
}
