using System.Text.Json;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.EcrLifecyclePolicy;
using HashiCorp.Cdktf.Providers.Aws.EcrRepository;

namespace EasyPay.Tf.Modules.Registry;

/// <summary>Props of <see cref="ImageRepository"/>.</summary>
/// <param name="Name">Repository name, e.g. easypay/payment-api.</param>
/// <param name="KmsKeyArn">Customer-managed key the images are encrypted with.</param>
public sealed record ImageRepositoryProps(string Name, string KmsKeyArn)
{
    /// <summary>Untagged images (left behind when a build is retried) expire after this many days. @default 14</summary>
    public int UntaggedExpiryDays { get; init; } = 14;

    /// <summary>The repository keeps at most this many images; older ones expire. With immutable version tags
    /// this is how many releases back a rollback can go. @default 100</summary>
    public int MaxImages { get; init; } = 100;

    /// <summary>Delete the repository even if it holds images (dev). @default false</summary>
    public bool ForceDelete { get; init; }
}

/// <summary>A private ECR repository: immutable tags (a deployed tag can never be re-pointed, so the tag pins the
/// image like a digest), scan on push, KMS encryption with a customer-managed key, and a lifecycle policy.</summary>
public sealed class ImageRepository : Construct
{
    /// <summary>An ECR repository name (CreateRepository repositoryName, without its 2-256 length bound); also the form of a
    /// pull-through cache rule's prefix.</summary>
    internal const string NamePattern = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";

    public string Name { get; }
    public string Arn { get; }

    /// <summary>ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME (a Terraform token).</summary>
    public string Url { get; }

    /// <summary>The same URL known at synth time (the form the provider documents for repository_url).</summary>
    public static string UrlOf(AwsEnvironment aws, string name) => $"{RegistryOf(aws)}/{name}";

    /// <summary>The account's private registry in the stack's region, ACCOUNT.dkr.ecr.REGION.amazonaws.com (ECR user
    /// guide, "Private registry concepts"; .cn in the China regions).</summary>
    public static string RegistryOf(AwsEnvironment aws) =>
        $"{aws.AccountId}.dkr.ecr.{aws.Region}.amazonaws.com{(aws.Partition == "aws-cn" ? ".cn" : "")}";

    public ImageRepository(Construct scope, string id, ImageRepositoryProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ImageRepositoryProps))
            // ECR CreateRepository: 2-256 characters, (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*
            .Check(Regex.IsMatch(props.Name ?? "", $"^(?=.{{2,256}}$){NamePattern}$"), nameof(props.Name),
                $"'{props.Name}' is not an ECR repository name (lower-case segments separated by /, 2-256 characters)")
            .CheckReferenceOr(props.KmsKeyArn, "^arn:aws[a-z-]*:kms:", nameof(props.KmsKeyArn), $"'{props.KmsKeyArn}' is not a KMS key ARN")
            .Check(props.UntaggedExpiryDays >= 1, nameof(props.UntaggedExpiryDays), $"{props.UntaggedExpiryDays} must be at least 1")
            .Check(props.MaxImages is >= 10 and <= 10000, nameof(props.MaxImages), $"{props.MaxImages} must be between 10 and 10000 (ECR allows 10,000 images per repository by default)")
            .ThrowIfInvalid();

        var repository = new EcrRepository(this, "repository", new EcrRepositoryConfig
        {
            Name = props.Name!,
            ImageTagMutability = "IMMUTABLE",
            ImageScanningConfiguration = new EcrRepositoryImageScanningConfiguration { ScanOnPush = true },
            EncryptionConfiguration = new[] { new EcrRepositoryEncryptionConfiguration { EncryptionType = "KMS", KmsKey = props.KmsKeyArn! } },
            ForceDelete = props.ForceDelete,
        });
        new EcrLifecyclePolicy(this, "lifecycle", new EcrLifecyclePolicyConfig
        {
            Repository = repository.Name,
            Policy = LifecyclePolicy(props.UntaggedExpiryDays, props.MaxImages),
        });
        Name = repository.Name;
        Arn = repository.Arn;
        Url = repository.RepositoryUrl;
    }

    /// <summary>ECR lifecycle policy: the untagged rule first; a tagStatus "any" rule must have the lowest priority
    /// (highest rulePriority) of the policy (ECR user guide, "Lifecycle policy properties").</summary>
    public static string LifecyclePolicy(int untaggedExpiryDays, int maxImages) => JsonSerializer.Serialize(new
    {
        rules = new object[]
        {
            new
            {
                rulePriority = 1,
                description = $"Untagged images expire after {untaggedExpiryDays} days",
                selection = new { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = untaggedExpiryDays },
                action = new { type = "expire" },
            },
            new
            {
                rulePriority = 2,
                description = $"Keep the newest {maxImages} images",
                selection = new { tagStatus = "any", countType = "imageCountMoreThan", countNumber = maxImages },
                action = new { type = "expire" },
            },
        },
    });
}
