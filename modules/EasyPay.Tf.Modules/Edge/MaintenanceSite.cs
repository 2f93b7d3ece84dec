using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Storage;
using HashiCorp.Cdktf.Providers.Aws.S3BucketPolicy;
using HashiCorp.Cdktf.Providers.Aws.S3BucketWebsiteConfiguration;
using HashiCorp.Cdktf.Providers.Aws.S3Object;

namespace EasyPay.Tf.Modules.Edge;

/// <summary>Props of <see cref="MaintenanceSite"/>.</summary>
/// <param name="BucketName">Must equal the DNS name that fails over to the site: Route 53 can alias a
/// name only to the S3 website endpoint of the bucket of that very name.</param>
/// <param name="IndexHtml">The page: self-contained HTML (no external assets, no Terraform template syntax).</param>
public sealed record MaintenanceSiteProps(string BucketName, string IndexHtml)
{
    /// <summary>Let terraform destroy delete the bucket with its page (the page lives in the repository).</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>Region of the bucket and its website: another than the platform's, so the page is up while the
    /// platform's region is down. @default null (the stack's region)</summary>
    public string? Region { get; init; }
}

/// <summary>A static maintenance page in an S3 website bucket. This is the platform's one intentionally
/// public bucket, and it holds nothing but the page: anonymous read is granted on index.html only, ACLs are
/// disabled, and the public-access block stays on for everything but the bucket policy. Two further
/// exceptions follow from S3 website hosting: objects use SSE-S3 (anonymous readers cannot use a KMS key)
/// and reads come over HTTP (website endpoints have no TLS), so only writes are denied without TLS.</summary>
public sealed partial class MaintenanceSite : Construct
{
    public const string IndexDocument = "index.html";

    public string BucketName { get; }

    /// <summary>null: the stack's region.</summary>
    public string? Region { get; }

    /// <summary>Alias target of a Route 53 record: the region's website domain, e.g. s3-website-eu-west-1.amazonaws.com.</summary>
    public string WebsiteDomain { get; }

    /// <summary>Hosted zone of the region's S3 website endpoints (alias target zone).</summary>
    public string WebsiteZoneId { get; }

    public MaintenanceSite(Construct scope, string id, MaintenanceSiteProps props) : base(scope, id)
    {
        new PropsValidator(nameof(MaintenanceSiteProps))
            .Check(BucketNamePattern().IsMatch(props.BucketName ?? "") && !(props.BucketName ?? "").Contains("..", StringComparison.Ordinal), nameof(props.BucketName),
                $"'{props.BucketName}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and dashes)")
            .CheckNotEmpty(props.IndexHtml, nameof(props.IndexHtml))
            .Check(props.Region is null || Regex.IsMatch(props.Region, AwsEnvironment.RegionPattern), nameof(props.Region), $"'{props.Region}' is not a region name")
            .Check(!(props.IndexHtml ?? "").Contains("${", StringComparison.Ordinal) && !(props.IndexHtml ?? "").Contains("%{", StringComparison.Ordinal),
                nameof(props.IndexHtml), "contains '${' or '%{', which Terraform would read as template syntax; escape them as '$${' / '%%{'")
            .ThrowIfInvalid();

        // The platform's bucket baseline (ownership, versioning, encryption), with SSE-S3 and a public policy.
        var (bucket, publicAccess) = SecureBucket.CreateBaseline(this, props.BucketName!, kmsKeyArn: null, props.ForceDestroy, preventDestroy: false, publicPolicy: true);
        var website = new S3BucketWebsiteConfiguration(this, "website", new S3BucketWebsiteConfigurationConfig
        {
            Bucket = bucket.Id,
            IndexDocument = new S3BucketWebsiteConfigurationIndexDocument { Suffix = IndexDocument },
            // Every path of the failed-over site (/api/..., /checkout) shows the maintenance page.
            ErrorDocument = new S3BucketWebsiteConfigurationErrorDocument { Key = IndexDocument },
        });
        new S3BucketPolicy(this, "policy", new S3BucketPolicyConfig
        {
            Bucket = bucket.Id,
            Policy = PolicyDocument.Render(
                new PolicyStatement("PublicReadOfTheMaintenancePageOnly", ["s3:GetObject"], [$"{bucket.Arn}/{IndexDocument}"],
                    Principals: PolicyDocument.Aws("*")),
                new PolicyStatement("DenyWritesWithoutTls",
                    ["s3:PutObject*", "s3:DeleteObject*", "s3:PutBucket*", "s3:DeleteBucket*"],
                    [bucket.Arn, $"{bucket.Arn}/*"], Effect: "Deny",
                    Principals: PolicyDocument.Aws("*"),
                    Conditions: PolicyDocument.Condition("Bool", "aws:SecureTransport", "false"))),
            DependsOn = [publicAccess], // a public policy is refused until the block allows it
        });
        new S3Object(this, "index", new S3ObjectConfig
        {
            Bucket = bucket.Id,
            Key = IndexDocument,
            Content = props.IndexHtml,
            ContentType = "text/html; charset=utf-8",
            // Browsers must not keep showing the page once the platform is back.
            CacheControl = "no-store",
        });
        if (props.Region is { } region)
        {
            ConstructTree.PlaceInRegion(this, region);
        }
        Region = props.Region;
        BucketName = bucket.Bucket;
        WebsiteDomain = website.WebsiteDomain;
        WebsiteZoneId = bucket.HostedZoneId;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();
}
