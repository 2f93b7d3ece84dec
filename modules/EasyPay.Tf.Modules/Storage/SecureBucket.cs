using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.S3Bucket;
using HashiCorp.Cdktf.Providers.Aws.S3BucketLifecycleConfiguration;
using HashiCorp.Cdktf.Providers.Aws.S3BucketObjectLockConfiguration;
using HashiCorp.Cdktf.Providers.Aws.S3BucketOwnershipControls;
using HashiCorp.Cdktf.Providers.Aws.S3BucketPolicy;
using HashiCorp.Cdktf.Providers.Aws.S3BucketPublicAccessBlock;
using HashiCorp.Cdktf.Providers.Aws.S3BucketServerSideEncryptionConfiguration;
using HashiCorp.Cdktf.Providers.Aws.S3BucketVersioning;

namespace EasyPay.Tf.Modules.Storage;

/// <summary>Props of <see cref="SecureBucket"/>.</summary>
/// <param name="Name">Globally unique bucket name; append the account id, e.g. easypay-prod-velero-333344445555.</param>
/// <param name="KmsKeyArn">Customer-managed key for SSE-KMS. Null means SSE-S3 (AES256), which is only for
/// writers that cannot use KMS, such as ALB access log delivery: say why at the call site.</param>
public sealed record SecureBucketProps(string Name, string? KmsKeyArn)
{
    /// <summary>Statements added to the bucket policy after the TLS-only deny (e.g. a log delivery grant).</summary>
    public IReadOnlyList<PolicyStatement> AdditionalPolicyStatements { get; init; } = [];

    /// <summary>Lets terraform destroy a non-empty bucket: development only.</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>lifecycle.prevent_destroy: production data a plan must never delete.</summary>
    public bool PreventDestroy { get; init; }

    /// <summary>Expire current objects after this many days (logs); null keeps them (the writer manages them).</summary>
    public int? ExpireAfterDays { get; init; }

    /// <summary>Versioning keeps overwritten and deleted objects this long, so a bad write can be undone.</summary>
    public int NoncurrentVersionExpirationDays { get; init; } = 30;

    public int AbortIncompleteUploadsAfterDays { get; init; } = 7;

    /// <summary>S3 Object Lock with a default retention for every new object version (write once, read many:
    /// audit logs). Object Lock can only be turned on when the bucket is created (object_lock_enabled forces a
    /// new bucket). @default null (no Object Lock)</summary>
    public BucketObjectLock? ObjectLock { get; init; }
}

/// <summary>The default retention of <see cref="SecureBucketProps.ObjectLock"/>.</summary>
/// <param name="Mode">"GOVERNANCE" (principals with s3:BypassGovernanceRetention may still delete, e.g. a
/// development force_destroy) or "COMPLIANCE" (nobody, not even the root user, deletes a version before
/// its retention ends).</param>
/// <param name="Days">Retention of each new object version in days.</param>
public sealed record BucketObjectLock(string Mode, int Days)
{
    /// <summary>True: enabled when the bucket is created (object_lock_enabled, which forces a new bucket when it
    /// changes). False: enabled by the lock configuration on a bucket that may already exist (S3 has allowed Object
    /// Lock on existing versioned buckets since November 2023, PutObjectLockConfiguration with ObjectLockEnabled),
    /// so adding a lock to a running bucket does not replace it. @default true</summary>
    public bool AtCreation { get; init; } = true;

    /// <summary>S3 DefaultRetention Mode values (S3 API reference, DefaultRetention).</summary>
    public static readonly IReadOnlyList<string> Modes = ["GOVERNANCE", "COMPLIANCE"];
}

/// <summary>A private S3 bucket: owner-enforced object ownership (no ACLs), all public access blocked,
/// versioning, default encryption (SSE-KMS with a bucket key, or SSE-S3 where KMS is impossible),
/// a TLS-only bucket policy, a lifecycle that bounds noncurrent versions and incomplete uploads, and
/// optionally Object Lock with a default retention.</summary>
public sealed class SecureBucket : Construct
{
    public string Name { get; }
    public string Arn { get; }

    /// <summary>The bucket policy: writers that the bucket validates on creation (ALB access logs) depend on it.</summary>
    public ITerraformDependable Policy { get; }

    public SecureBucket(Construct scope, string id, SecureBucketProps props) : base(scope, id)
    {
        new PropsValidator(nameof(SecureBucketProps))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Name ?? "", "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"), nameof(props.Name),
                $"'{props.Name}' is not a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)")
            .Check(props.KmsKeyArn is null || props.KmsKeyArn.Length > 0, nameof(props.KmsKeyArn), "is empty; give a key ARN, or null for SSE-S3")
            .Check(props.ExpireAfterDays is null or >= 1, nameof(props.ExpireAfterDays), "must be at least 1 day (or null to keep objects)")
            .Check(props.NoncurrentVersionExpirationDays >= 1, nameof(props.NoncurrentVersionExpirationDays), "must be at least 1 day")
            .Check(props.AbortIncompleteUploadsAfterDays >= 1, nameof(props.AbortIncompleteUploadsAfterDays), "must be at least 1 day")
            .Check(!(props.ForceDestroy && props.PreventDestroy), nameof(props.ForceDestroy), "contradicts PreventDestroy; a protected bucket cannot be force-destroyed")
            .Check(props.ObjectLock is null || BucketObjectLock.Modes.Contains(props.ObjectLock.Mode), nameof(props.ObjectLock),
                $"mode '{props.ObjectLock?.Mode}' is not one of {string.Join(", ", BucketObjectLock.Modes)}")
            .Check(props.ObjectLock is null || props.ObjectLock.Days >= 1, nameof(props.ObjectLock), "retention must be at least 1 day")
            // force_destroy empties a locked bucket with BypassGovernanceRetention, which COMPLIANCE ignores.
            .Check(!(props.ForceDestroy && props.ObjectLock?.Mode == "COMPLIANCE"), nameof(props.ForceDestroy),
                "cannot empty a bucket whose objects are locked in COMPLIANCE mode; use GOVERNANCE for a destroyable bucket")
            .ThrowIfInvalid();

        var (bucket, publicAccess) = CreateBaseline(this, props.Name!, props.KmsKeyArn, props.ForceDestroy, props.PreventDestroy, publicPolicy: false,
            objectLock: props.ObjectLock is { AtCreation: true });
        if (props.ObjectLock is { } objectLock)
        {
            new S3BucketObjectLockConfigurationA(this, "object-lock", new S3BucketObjectLockConfigurationAConfig
            {
                Bucket = bucket.Id,
                // Object Lock on an existing bucket needs versioning on first.
                DependsOn = objectLock.AtCreation ? null : [.. ConstructTree.Resources(this).Where(r => r.TerraformResourceType == "aws_s3_bucket_versioning")],
                Rule = new S3BucketObjectLockConfigurationRuleA
                {
                    DefaultRetention = new S3BucketObjectLockConfigurationRuleDefaultRetentionA { Mode = objectLock.Mode, Days = objectLock.Days },
                },
            });
        }
        new S3BucketLifecycleConfiguration(this, "lifecycle", new S3BucketLifecycleConfigurationConfig
        {
            Bucket = bucket.Id,
            Rule = new[]
            {
                new S3BucketLifecycleConfigurationRule
                {
                    Id = "bound-storage",
                    Status = "Enabled",
                    Filter = new[] { new S3BucketLifecycleConfigurationRuleFilter { Prefix = "" } }, // whole bucket
                    Expiration = props.ExpireAfterDays is { } days ? new[] { new S3BucketLifecycleConfigurationRuleExpiration { Days = days } } : null,
                    NoncurrentVersionExpiration = new[] { new S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = props.NoncurrentVersionExpirationDays } },
                    AbortIncompleteMultipartUpload = new[] { new S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = props.AbortIncompleteUploadsAfterDays } },
                },
            },
        });

        var arn = ArnOf(this, props.Name!);
        var statements = new List<PolicyStatement>
        {
            new("DenyInsecureTransport", ["s3:*"], [arn, $"{arn}/*"], Effect: "Deny",
                Principals: PolicyDocument.Aws("*"),
                Conditions: PolicyDocument.Condition("Bool", "aws:SecureTransport", "false")),
        };
        statements.AddRange(props.AdditionalPolicyStatements);
        Policy = new S3BucketPolicy(this, "policy", new S3BucketPolicyConfig
        {
            Bucket = bucket.Id,
            Policy = PolicyDocument.Render(statements),
            DependsOn = [publicAccess], // S3 rejects concurrent policy and public access block updates
        });

        Name = bucket.Bucket;
        Arn = bucket.Arn;
    }

    /// <summary>What every bucket of the platform has, created in <paramref name="scope"/> (ids bucket, ownership,
    /// public-access, versioning, encryption): owner-enforced ownership (no ACLs), the public access block,
    /// versioning, and default encryption with <paramref name="kmsKeyArn"/> and a bucket key, or SSE-S3 when
    /// null. <paramref name="publicPolicy"/> lets a bucket policy grant public read (the maintenance website
    /// only); ACLs stay blocked either way.</summary>
    internal static (S3Bucket Bucket, S3BucketPublicAccessBlock PublicAccess) CreateBaseline(
        Construct scope, string name, string? kmsKeyArn, bool forceDestroy, bool preventDestroy, bool publicPolicy, bool objectLock = false)
    {
        var bucket = new S3Bucket(scope, "bucket", new S3BucketConfig
        {
            Bucket = name,
            ForceDestroy = forceDestroy,
            // Only at creation (ForceNew); null leaves it out of the JSON for buckets without a lock.
            ObjectLockEnabled = objectLock ? true : null,
            Lifecycle = preventDestroy ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
        });
        new S3BucketOwnershipControls(scope, "ownership", new S3BucketOwnershipControlsConfig
        {
            Bucket = bucket.Id,
            Rule = new S3BucketOwnershipControlsRule { ObjectOwnership = "BucketOwnerEnforced" }, // no ACLs at all
        });
        var publicAccess = new S3BucketPublicAccessBlock(scope, "public-access", new S3BucketPublicAccessBlockConfig
        {
            Bucket = bucket.Id,
            BlockPublicAcls = true,
            IgnorePublicAcls = true,
            BlockPublicPolicy = !publicPolicy,
            RestrictPublicBuckets = !publicPolicy,
        });
        new S3BucketVersioningA(scope, "versioning", new S3BucketVersioningAConfig
        {
            Bucket = bucket.Id,
            VersioningConfiguration = new S3BucketVersioningVersioningConfiguration { Status = "Enabled" },
        });
        new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", new S3BucketServerSideEncryptionConfigurationAConfig
        {
            Bucket = bucket.Id,
            Rule = new[]
            {
                new S3BucketServerSideEncryptionConfigurationRuleA
                {
                    ApplyServerSideEncryptionByDefault = new S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                    {
                        SseAlgorithm = kmsKeyArn is null ? "AES256" : "aws:kms",
                        KmsMasterKeyId = kmsKeyArn,
                    },
                    // One data key per bucket instead of per object: fewer KMS calls, lower cost.
                    BucketKeyEnabled = kmsKeyArn is null ? null : true,
                },
            },
        });
        return (bucket, publicAccess);
    }

    /// <summary>Object reads (s3:GetObject, s3:GetObjectVersion) denied to every principal but <paramref name="readerRoleArns"/>
    /// (aws:PrincipalArn: a role session's is its role's ARN), administrators included. Replication reads with
    /// s3:GetObjectVersionForReplication and is not affected.</summary>
    public static PolicyStatement DenyObjectReadsExcept(string bucketArn, IReadOnlyList<string> readerRoleArns)
    {
        if (readerRoleArns.Count == 0)
        {
            throw new ArgumentException("name at least one role that may read the objects", nameof(readerRoleArns));
        }
        return new PolicyStatement("DenyObjectReadsButNamedRoles", ["s3:GetObject", "s3:GetObjectVersion"], [$"{bucketArn}/*"], "Deny",
            Principals: PolicyDocument.Aws("*"),
            Conditions: PolicyDocument.Condition("ArnNotLike", "aws:PrincipalArn", [.. readerRoleArns]));
    }

    /// <summary>The ARN of bucket (or object path) <paramref name="bucketOrObjects"/> in the partition of
    /// <paramref name="scope"/>'s stack; known at synth time, unlike the bucket resource's arn.</summary>
    public static string ArnOf(IConstruct scope, string bucketOrObjects) =>
        AwsEnvironment.Of(scope).Arn("s3", bucketOrObjects, region: "", account: "");
}
