using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Storage;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Storage;

public class BucketReplicaTests
{
    private const string SourceKey = "arn:aws:kms:eu-west-1:123456789012:key/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

    private static JsonObject Synth(string replicaRegion = "eu-central-1") => ConstructSynth.Stack((stack, _) =>
    {
        var source = new SecureBucket(stack, "source", new SecureBucketProps("easypay-test-velero-123456789012", SourceKey));
        new BucketReplica(stack, "replica", new BucketReplicaProps(source, SourceKey, "easypay-test-velero-dr-123456789012", replicaRegion));
    });

    [Fact]
    public void New_versions_and_delete_markers_of_kms_objects_replicate_encrypted_with_the_replica_regions_key()
    {
        var json = Synth();
        var rule = json.Single("aws_s3_bucket_replication_configuration")["rule"]![0]!;
        // S3 ReplicationRule (API reference): Status Enabled; a Filter (V2 schema) requires DeleteMarkerReplication;
        // SSE-KMS objects replicate only with SseKmsEncryptedObjects Enabled and a ReplicaKmsKeyID.
        (rule.Str("status"), rule.Str("filter.prefix"), rule.Str("delete_marker_replication.status")).ShouldBe(("Enabled", "", "Enabled"));
        rule.Str("source_selection_criteria.sse_kms_encrypted_objects.status").ShouldBe("Enabled");
        var replicaKey = json.Resources("aws_kms_key").Single(k => k.Body.Str("region") == "eu-central-1");
        rule.Str("destination.encryption_configuration.replica_kms_key_id").ShouldBe($"${{aws_kms_key.{replicaKey.Name}.arn}}");
        var replicaBucket = json.Resources("aws_s3_bucket").Single(b => b.Body.Str("region") == "eu-central-1");
        replicaBucket.Body.Str("bucket").ShouldBe("easypay-test-velero-dr-123456789012");
        // Both buckets versioned and the role's policy in place before S3 accepts the configuration.
        var dependsOn = json.Single("aws_s3_bucket_replication_configuration")["depends_on"].Strings();
        dependsOn.Count(d => d.StartsWith("aws_s3_bucket_versioning.", StringComparison.Ordinal)).ShouldBe(2);
        dependsOn.ShouldContain(d => d.StartsWith("aws_iam_role_policy.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_role_reads_only_source_versions_and_writes_only_replicas()
    {
        var json = Synth();
        // S3 user guide, "Setting up permissions for live replication" (and its SSE-KMS additions).
        var statements = JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!["Statement"]!.AsArray()
            .ToDictionary(s => s!.Str("Sid")!, s => s!["Action"] is JsonArray ? s["Action"].Strings() : [s.Str("Action")!]);
        statements["ReadSourceVersions"].ShouldBe(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]);
        statements["WriteReplicas"].ShouldBe(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
        statements["DecryptSourceObjects"].ShouldBe(["kms:Decrypt"]);
        var trust = JsonNode.Parse(json.Single("aws_iam_role").Str("assume_role_policy")!)!["Statement"]![0]!;
        trust.Str("Principal.Service").ShouldBe("s3.amazonaws.com");
        trust["Condition"].ShouldBeNull();
    }

    [Fact]
    public void The_replica_must_be_in_another_region()
    {
        Should.Throw<ArgumentException>(() => Synth(ConstructSynth.Region)).Message
            .ShouldContain($"BucketReplicaProps.ReplicaRegion: '{ConstructSynth.Region}' must be a region name other than the stack's region");
    }
}
