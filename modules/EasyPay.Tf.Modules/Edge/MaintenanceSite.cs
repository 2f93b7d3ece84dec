using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Modules.Storage;
using HashiCorp.Cdktf.Providers.Aws.CloudfrontDistribution;
using HashiCorp.Cdktf.Providers.Aws.CloudfrontOriginAccessControl;
using HashiCorp.Cdktf.Providers.Aws.DataAwsCloudfrontCachePolicy;
using HashiCorp.Cdktf.Providers.Aws.S3Object;

namespace EasyPay.Tf.Modules.Edge;

/// <summary>Props of <see cref="MaintenanceSite"/>.</summary>
/// <param name="BucketName">Globally unique name of the private bucket that holds the page, e.g.
/// easypay-prod-maintenance-333344445555 (any name: CloudFront, not S3 website hosting, serves it).</param>
/// <param name="DomainName">The name customers use, e.g. pay.easypay.example (the distribution's alias).</param>
/// <param name="CertificateArn">ACM certificate in us-east-1 (CloudFront reads certificates only there) covering
/// <paramref name="DomainName"/>: CloudFront serves an alternate domain name only with a certificate for it.</param>
/// <param name="IndexHtml">The page: self-contained HTML (no external assets, no Terraform template syntax).</param>
public sealed record MaintenanceSiteProps(string BucketName, string DomainName, string CertificateArn, string IndexHtml)
{
    /// <summary>Let terraform destroy delete the bucket with its page (the page lives in the repository).</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>Region of the bucket and its key: another than the platform's, so the page is up while the
    /// platform's region is down (the distribution itself is global). @default null (the stack's region)</summary>
    public string? Region { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the bucket's key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;
}

/// <summary>A static maintenance page behind CloudFront over HTTPS: a private bucket of the platform's baseline
/// (SSE-KMS with its own key, TLS only, no public access) that only this distribution may read (origin access
/// control, aws:SourceArn), every path answering with the page (403/404 from the origin become the page with
/// 503), nothing cached. Route 53 aliases the customers' name to it when the platform fails its health check.</summary>
public sealed partial class MaintenanceSite : Construct
{
    public const string IndexDocument = "index.html";

    /// <summary>The only region CloudFront reads ACM certificates from (CloudFront developer guide, "Requirements
    /// for using SSL/TLS certificates with CloudFront").</summary>
    public const string CertificateRegion = "us-east-1";

    /// <summary>What the private origin answers for a path it does not have (403 without s3:ListBucket).</summary>
    private static readonly int[] OriginErrorCodes = [403, 404];

    public string BucketName { get; }

    /// <summary>Alias target of a Route 53 record: the distribution's domain (dxxxx.cloudfront.net).</summary>
    public string AliasDomain { get; }

    /// <summary>Alias target zone: the distribution's hosted zone.</summary>
    public string AliasZoneId { get; }

    /// <summary>Everything the distribution needs to read the page (bucket, policies, key, page): the DNS
    /// record that sends customers here waits for it.</summary>
    public IReadOnlyList<HashiCorp.Cdktf.ITerraformDependable> Resources { get; }

    public MaintenanceSite(Construct scope, string id, MaintenanceSiteProps props) : base(scope, id)
    {
        new PropsValidator(nameof(MaintenanceSiteProps))
            .Check(BucketNamePattern().IsMatch(props.BucketName ?? "") && !(props.BucketName ?? "").Contains("..", StringComparison.Ordinal), nameof(props.BucketName),
                $"'{props.BucketName}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and dashes)")
            .CheckNotEmpty(props.DomainName, nameof(props.DomainName))
            .CheckReferenceOr(props.CertificateArn, "^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$", nameof(props.CertificateArn),
                $"'{props.CertificateArn}' is not an ACM certificate ARN in us-east-1, the only region CloudFront takes certificates from")
            .CheckNotEmpty(props.IndexHtml, nameof(props.IndexHtml))
            .Check(!(props.IndexHtml ?? "").Contains("${", StringComparison.Ordinal) && !(props.IndexHtml ?? "").Contains("%{", StringComparison.Ordinal),
                nameof(props.IndexHtml), "contains '${' or '%{', which Terraform would read as template syntax; escape them as '$${' / '%%{'")
            .Check(props.Region is null || Regex.IsMatch(props.Region, AwsEnvironment.RegionPattern), nameof(props.Region), $"'{props.Region}' is not a region name")
            .ThrowIfInvalid();

        var accessControl = new CloudfrontOriginAccessControl(this, "origin-access", new CloudfrontOriginAccessControlConfig
        {
            Name = props.BucketName!,
            Description = $"CloudFront reads {props.BucketName} signed (SigV4)",
            OriginAccessControlOriginType = "s3",
            SigningBehavior = "always",
            SigningProtocol = "sigv4",
        });
        // AWS's managed policy that caches nothing: the page must disappear the moment DNS fails back.
        var noCache = new DataAwsCloudfrontCachePolicy(this, "caching-disabled", new DataAwsCloudfrontCachePolicyConfig { Name = "Managed-CachingDisabled" });

        // The bucket, its key and the page; placed in props.Region below (the distribution stays global).
        var storage = new Construct(this, "storage");
        const string originId = "maintenance-bucket";
        // The bucket's regional domain is known from its name and region, so the distribution comes first and
        // the policies below can name its ARN (they are what let it read).
        var originDomain = $"{props.BucketName}.s3.{props.Region ?? AwsEnvironment.Of(this).Region}.amazonaws.com";
        var distribution = new CloudfrontDistribution(this, "distribution", new CloudfrontDistributionConfig
        {
            Enabled = true,
            Comment = $"Maintenance page of {props.DomainName}",
            Aliases = [props.DomainName!],
            PriceClass = "PriceClass_100",
            Origin = new[]
            {
                new CloudfrontDistributionOrigin { DomainName = originDomain, OriginId = originId, OriginAccessControlId = accessControl.Id },
            },
            DefaultCacheBehavior = new CloudfrontDistributionDefaultCacheBehavior
            {
                TargetOriginId = originId,
                ViewerProtocolPolicy = "redirect-to-https",
                AllowedMethods = ["GET", "HEAD"],
                CachedMethods = ["GET", "HEAD"],
                CachePolicyId = noCache.Id,
                Compress = true,
            },
            // Every path of the failed-over site (/, /api/..., /checkout) shows the page, as 503: without
            // s3:ListBucket a missing key (and "/", no default root object) answers 403.
            CustomErrorResponse = OriginErrorCodes.Select(code => new CloudfrontDistributionCustomErrorResponse
            {
                ErrorCode = code,
                ResponseCode = 503,
                ResponsePagePath = "/" + IndexDocument,
                ErrorCachingMinTtl = 0,
            }).ToArray(),
            Restrictions = new CloudfrontDistributionRestrictions
            {
                GeoRestriction = new CloudfrontDistributionRestrictionsGeoRestriction { RestrictionType = "none" },
            },
            ViewerCertificate = new CloudfrontDistributionViewerCertificate
            {
                AcmCertificateArn = props.CertificateArn,
                SslSupportMethod = "sni-only",
                MinimumProtocolVersion = "TLSv1.2_2021",
            },
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.BucketName}" },
        });

        var distributionArn = distribution.Arn;
        var key = new EncryptionKey(storage, "key", new EncryptionKeyProps($"{props.BucketName}", $"Maintenance page bucket {props.BucketName}")
        {
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
            Region = props.Region,
            // S3 user guide / CloudFront developer guide, "Restricting access to an Amazon S3 origin": with SSE-KMS
            // the key policy lets CloudFront decrypt for this distribution only.
            AdditionalStatements =
            [
                new("CloudFrontDecryptsForTheDistribution", ["kms:Decrypt"], ["*"], Principals: PolicyDocument.Service("cloudfront.amazonaws.com"),
                    Conditions: PolicyDocument.Condition("StringEquals", "AWS:SourceArn", distributionArn)),
            ],
        });
        var bucket = new SecureBucket(storage, "bucket", new SecureBucketProps(props.BucketName!, key.Arn)
        {
            ForceDestroy = props.ForceDestroy,
            AdditionalPolicyStatements =
            [
                new("CloudFrontReadsThePage", ["s3:GetObject"], [$"arn:{AwsEnvironment.Of(this).Partition}:s3:::{props.BucketName}/*"],
                    Principals: PolicyDocument.Service("cloudfront.amazonaws.com"),
                    Conditions: PolicyDocument.Condition("StringEquals", "AWS:SourceArn", distributionArn)),
            ],
        });
        new S3Object(storage, "index", new S3ObjectConfig
        {
            Bucket = bucket.Name,
            Key = IndexDocument,
            Content = props.IndexHtml,
            ContentType = "text/html; charset=utf-8",
            CacheControl = "no-store", // browsers must not keep showing the page once the platform is back
            // Uploaded after the bucket's KMS default encryption exists, or it would stay SSE-S3.
            DependsOn = ConstructTree.Resources(bucket),
        });
        if (props.Region is { } region)
        {
            ConstructTree.PlaceInRegion(storage, region);
        }

        Resources = ConstructTree.Resources(storage);
        BucketName = bucket.Name;
        AliasDomain = distribution.DomainName;
        AliasZoneId = distribution.HostedZoneId;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();
}
