using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.S3BucketReplicationConfiguration;

namespace EasyPay.Tf.Modules.Storage;

/// <summary>Props of <see cref="BucketReplica"/>.</summary>
/// <param name="Source">The versioned, SSE-KMS bucket to replicate.</param>
/// <param name="SourceKeyArn">The source bucket's key (S3 decrypts with it to replicate).</param>
/// <param name="ReplicaName">Globally unique name of the replica bucket, e.g. easypay-prod-velero-dr-333344445555.</param>
/// <param name="ReplicaRegion">Another region than the stack's.</param>
public sealed record BucketReplicaProps(SecureBucket Source, string SourceKeyArn, string ReplicaName, string ReplicaRegion)
{
    /// <summary>lifecycle.prevent_destroy on the replica and its key. @default true</summary>
    public bool PreventDestroy { get; init; } = true;

    /// <summary>Let destroy delete a non-empty replica (development). @default false</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the replica's key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>Object Lock of the replica: S3 replicates object versions with a retention only to a destination
    /// with Object Lock enabled, and needs s3:GetObjectRetention and s3:GetObjectLegalHold on the source (S3 user
    /// guide, "Using Object Lock with S3 Replication"). Give the source's lock. @default null (no lock)</summary>
    public BucketObjectLock? ObjectLock { get; init; }
}

/// <summary>S3 live replication of a bucket into a bucket of the same baseline (private, versioned, TLS only)
/// in another region, encrypted there with a key of that region: every new object version and delete marker
/// is copied (objects that existed before need S3 Batch Replication once). The replication role may read only
/// the source's versions and decrypt with its key, and write only replicas encrypted with the replica's key.</summary>
public sealed class BucketReplica : Construct
{
    public string BucketName { get; }
    public string BucketArn { get; }
    public string KeyArn { get; }
    public string Region { get; }

    public BucketReplica(Construct scope, string id, BucketReplicaProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props?.Source);
        var stackRegion = AwsEnvironment.Of(this).Region;
        new PropsValidator(nameof(BucketReplicaProps))
            .CheckNotEmpty(props.SourceKeyArn, nameof(props.SourceKeyArn))
            .Check((props.ReplicaName ?? "").Length is >= 3 and <= 52, nameof(props.ReplicaName),
                $"'{props.ReplicaName}' must be 3-52 characters: the replication role is named after it plus -replication (IAM: 64)")
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.ReplicaRegion ?? "", AwsEnvironment.RegionPattern) && props.ReplicaRegion != stackRegion,
                nameof(props.ReplicaRegion), $"'{props.ReplicaRegion}' must be a region name other than the stack's region {stackRegion}")
            .ThrowIfInvalid();

        var replicaScope = new Construct(this, "replica");
        var key = new EncryptionKey(replicaScope, "key", new EncryptionKeyProps($"{props.ReplicaName}", $"Replica of {props.Source.Name} in {props.ReplicaRegion}")
        {
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
            Region = props.ReplicaRegion,
        });
        if (props.PreventDestroy)
        {
            ConstructTree.PreventDestroy(key, "aws_kms_key");
        }
        var replica = new SecureBucket(replicaScope, "bucket", new SecureBucketProps(props.ReplicaName!, key.Arn)
        {
            PreventDestroy = props.PreventDestroy,
            ForceDestroy = props.ForceDestroy,
            ObjectLock = props.ObjectLock,
        });
        ConstructTree.PlaceInRegion(replicaScope, props.ReplicaRegion!);

        // S3 user guide, "Setting up permissions for live replication" and "Replicating encrypted objects".
        var role = new ServiceRole(this, "role", new ServiceRoleProps($"{props.ReplicaName}-replication",
            $"S3 replication of {props.Source.Name} to {props.ReplicaRegion}", "s3.amazonaws.com")
        {
            // As the S3 user guide's replication trust policy: no aws:SourceAccount condition, which a
            // replication request may not carry (a missing key fails the condition and every replication).
            RestrictToSourceAccount = false,
            InlineStatements =
            [
                new("ReadTheSourceConfiguration", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [props.Source.Arn]),
                new("ReadSourceVersions", ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
                    .. props.ObjectLock is null ? Array.Empty<string>() : ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]], [$"{props.Source.Arn}/*"]),
                new("WriteReplicas", ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], [$"{replica.Arn}/*"]),
                new("DecryptSourceObjects", ["kms:Decrypt"], [props.SourceKeyArn]),
                new("EncryptReplicas", ["kms:Encrypt", "kms:GenerateDataKey"], [key.Arn]),
            ],
        });

        new S3BucketReplicationConfigurationA(this, "replication", new S3BucketReplicationConfigurationAConfig
        {
            Bucket = props.Source.Name,
            Role = role.Arn,
            Rule = new[]
            {
                new S3BucketReplicationConfigurationRule
                {
                    Id = $"to-{props.ReplicaRegion}",
                    Status = "Enabled",
                    Filter = new S3BucketReplicationConfigurationRuleFilter { Prefix = "" }, // the whole bucket
                    DeleteMarkerReplication = new S3BucketReplicationConfigurationRuleDeleteMarkerReplication { Status = "Enabled" },
                    SourceSelectionCriteria = new S3BucketReplicationConfigurationRuleSourceSelectionCriteria
                    {
                        SseKmsEncryptedObjects = new S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects { Status = "Enabled" },
                    },
                    Destination = new S3BucketReplicationConfigurationRuleDestination
                    {
                        Bucket = replica.Arn,
                        EncryptionConfiguration = new S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration { ReplicaKmsKeyId = key.Arn },
                    },
                },
            },
            // S3 refuses a replication configuration until both buckets are versioned.
            // The role's policy too: an object written before it takes effect fails replication for good.
            DependsOn = [.. ConstructTree.Resources(props.Source), .. ConstructTree.Resources(replicaScope), .. ConstructTree.Resources(role)],
        });

        BucketName = replica.Name;
        BucketArn = replica.Arn;
        KeyArn = key.Arn;
        Region = props.ReplicaRegion!;
    }
}
