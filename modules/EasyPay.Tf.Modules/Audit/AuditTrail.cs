using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Modules.Storage;
using HashiCorp.Cdktf.Providers.Aws.Cloudtrail;

namespace EasyPay.Tf.Modules.Audit;

/// <summary>Props of <see cref="AuditTrail"/>.</summary>
/// <param name="Name">Trail name, also the alias of its key and, with the account id appended, the name of its
/// bucket, e.g. "easypay-prod-audit" (bucket easypay-prod-audit-333344445555).</param>
/// <param name="RetentionDays">Log files are kept this long, then expire.</param>
public sealed partial record AuditTrailProps(string Name, int RetentionDays)
{
    /// <summary>S3 Object Lock on the log bucket with a default retention of <see cref="ObjectLockDays"/>, so
    /// nobody can delete or overwrite a delivered log file early. Only at bucket creation: switching it later
    /// replaces the bucket. @default true</summary>
    public bool ObjectLock { get; init; } = true;

    /// <summary>"GOVERNANCE" (principals with s3:BypassGovernanceRetention can still delete: development) or
    /// "COMPLIANCE" (nobody can, not even the root user, until the retention ends: production). @default "GOVERNANCE"</summary>
    public string ObjectLockMode { get; init; } = "GOVERNANCE";

    /// <summary>Default retention of each log file. Null locks a file for as long as it is kept, so there is
    /// no window in which a kept audit log could be deleted; at most <see cref="RetentionDays"/>, so a version is
    /// unlocked by the time the lifecycle expires it. @default null (= <see cref="RetentionDays"/>)</summary>
    public int? ObjectLockDays { get; init; }

    /// <summary>Lets terraform destroy the non-empty bucket (development). With Object Lock the provider's
    /// force_destroy deletes every version with BypassGovernanceRetention (needs s3:BypassGovernanceRetention),
    /// which empties GOVERNANCE-locked buckets but not COMPLIANCE-locked ones. @default false</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>lifecycle.prevent_destroy on the bucket and its key. @default false</summary>
    public bool PreventDestroy { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the trail's key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    // CloudTrail user guide, "Naming requirements": letters, digits, . _ -, starting and ending with a letter or
    // digit, 3-128 characters. Lowercase and at most 50 here: the bucket is named NAME-ACCOUNT (S3: 63).
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|[.-](?=[a-z0-9])){1,48}[a-z0-9]$")]
    internal static partial Regex NamePattern();
}

/// <summary>The account's multi-region CloudTrail trail: management events of every region and of global
/// services (IAM, STS), log file integrity validation (digest files), encrypted with a dedicated CMK, delivered
/// to a private, versioned, TLS-only bucket whose objects are locked against deletion and expire after the
/// retention.</summary>
public sealed class AuditTrail : Construct
{
    public string TrailArn { get; }
    public string BucketName { get; }
    public string KeyArn { get; }

    public AuditTrail(Construct scope, string id, AuditTrailProps props) : base(scope, id)
    {
        var lockDays = props.ObjectLockDays ?? props.RetentionDays;
        new PropsValidator(nameof(AuditTrailProps))
            .Check(AuditTrailProps.NamePattern().IsMatch(props.Name ?? ""), nameof(props.Name),
                $"'{props.Name}' is not a trail name of 3-50 lowercase letters, digits, '.' and '-' (starting and ending with a letter or digit, no two separators in a row); the bucket appends the account id")
            .Check(props.RetentionDays >= 1, nameof(props.RetentionDays), "must be at least 1 day")
            .Check(BucketObjectLock.Modes.Contains(props.ObjectLockMode), nameof(props.ObjectLockMode),
                $"'{props.ObjectLockMode}' is not one of {string.Join(", ", BucketObjectLock.Modes)}")
            .Check(!props.ObjectLock || lockDays >= 1, nameof(props.ObjectLockDays), "must be at least 1 day")
            .Check(!props.ObjectLock || lockDays <= props.RetentionDays, nameof(props.ObjectLockDays),
                $"{lockDays} exceeds RetentionDays {props.RetentionDays}: the lifecycle could not expire a locked log file")
            .Check(!(props.ForceDestroy && props.PreventDestroy), nameof(props.ForceDestroy), "contradicts PreventDestroy")
            .Check(!(props.ForceDestroy && props.ObjectLock && props.ObjectLockMode == "COMPLIANCE"), nameof(props.ForceDestroy),
                "cannot empty a bucket locked in COMPLIANCE mode (force_destroy bypasses only GOVERNANCE retention); use GOVERNANCE where the trail must be destroyable")
            .Check(props.KeyDeletionWindowInDays is >= 7 and <= 30, nameof(props.KeyDeletionWindowInDays), "must be between 7 and 30 days")
            .ThrowIfInvalid();

        var aws = AwsEnvironment.Of(this);
        // Known before the trail exists: the key and bucket policies name it without a cycle through the trail.
        var trailArn = aws.Arn("cloudtrail", $"trail/{props.Name}");
        var bucketName = $"{props.Name}-{aws.AccountId}";
        var bucketArn = SecureBucket.ArnOf(this, bucketName);
        var fromThisTrail = new Dictionary<string, IReadOnlyList<string>> { ["aws:SourceArn"] = [trailArn] };

        // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail".
        var key = new EncryptionKey(this, "key", new EncryptionKeyProps(props.Name!, $"Log files of the CloudTrail trail {props.Name}")
        {
            AdditionalStatements =
            [
                new PolicyStatement("AllowCloudTrailToEncryptLogs", ["kms:GenerateDataKey*"], ["*"],
                    Principals: PolicyDocument.Service("cloudtrail.amazonaws.com"),
                    Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
                    {
                        ["StringLike"] = new Dictionary<string, IReadOnlyList<string>>
                        {
                            ["kms:EncryptionContext:aws:cloudtrail:arn"] = [aws.Arn("cloudtrail", "trail/*", region: "*")],
                        },
                        ["StringEquals"] = fromThisTrail,
                    }),
                // "If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required
                // to create or update a trail with SSE-KMS encryption enabled": SecureBucket enables the bucket key.
                new PolicyStatement("AllowCloudTrailToDecryptWithTheBucketKey", ["kms:Decrypt"], ["*"],
                    Principals: PolicyDocument.Service("cloudtrail.amazonaws.com")),
                new PolicyStatement("AllowCloudTrailToDescribeKey", ["kms:DescribeKey"], ["*"],
                    Principals: PolicyDocument.Service("cloudtrail.amazonaws.com"),
                    Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> { ["StringEquals"] = fromThisTrail }),
            ],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        if (props.PreventDestroy)
        {
            ConstructTree.PreventDestroy(key, "aws_kms_key");
        }

        // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail".
        var bucket = new SecureBucket(this, "bucket", new SecureBucketProps(bucketName, key.Arn)
        {
            AdditionalPolicyStatements =
            [
                new PolicyStatement("AllowCloudTrailAclCheck", ["s3:GetBucketAcl"], [bucketArn],
                    Principals: PolicyDocument.Service("cloudtrail.amazonaws.com"),
                    Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> { ["StringEquals"] = fromThisTrail }),
                new PolicyStatement("AllowCloudTrailWrite", ["s3:PutObject"], [$"{bucketArn}/AWSLogs/{aws.AccountId}/*"],
                    Principals: PolicyDocument.Service("cloudtrail.amazonaws.com"),
                    Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
                    {
                        ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>>
                        {
                            ["s3:x-amz-acl"] = ["bucket-owner-full-control"],
                            ["aws:SourceArn"] = [trailArn],
                        },
                    }),
            ],
            ExpireAfterDays = props.RetentionDays,
            ObjectLock = props.ObjectLock ? new BucketObjectLock(props.ObjectLockMode, lockDays) : null,
            ForceDestroy = props.ForceDestroy,
            PreventDestroy = props.PreventDestroy,
        });

        var trail = new Cloudtrail(this, "trail", new CloudtrailConfig
        {
            Name = props.Name!,
            S3BucketName = bucket.Name,
            IsMultiRegionTrail = true,
            IncludeGlobalServiceEvents = true,
            EnableLogFileValidation = true,
            KmsKeyId = key.Arn,
            // CreateTrail checks the bucket policy; and no log file may land before the bucket's default
            // encryption and Object Lock retention apply to it.
            DependsOn = [.. ConstructTree.Resources(bucket)],
        });

        TrailArn = trail.Arn;
        BucketName = bucket.Name;
        KeyArn = key.Arn;
    }
}
