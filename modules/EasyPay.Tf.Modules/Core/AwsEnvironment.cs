using Constructs;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.Provider;

namespace EasyPay.Tf.Modules.Core;

/// <summary>Where a stack deploys and how its resources are tagged.</summary>
/// <param name="Region">AWS region, e.g. eu-west-1.</param>
/// <param name="AccountId">The only account the provider may act on (allowed_account_ids), so a
/// production config can never be applied with credentials for another account.</param>
/// <param name="DefaultTags">Tags every taggable resource gets through the provider's default_tags.</param>
public sealed record AwsEnvironmentProps(string Region, string AccountId, IReadOnlyDictionary<string, string> DefaultTags)
{
    /// <summary>The partition of <see cref="Region"/>'s ARNs. @default "aws"</summary>
    public string Partition { get; init; } = "aws";
}

/// <summary>Configures the AWS provider of a stack and is the stack's answer to "which account, region and
/// partition?" (CDK's <c>Stack.of(this).account</c>, terraform-aws-modules' <c>aws_caller_identity</c> /
/// <c>aws_partition</c>): constructs call <see cref="Of"/> instead of taking them as props. Keeping it here
/// keeps provider types out of stacks/.</summary>
public sealed class AwsEnvironment : Construct
{
    /// <summary>The construct id under the stack; <see cref="Of"/> looks it up by this id.</summary>
    public const string ConstructId = "aws";

    public string Region { get; }
    public string AccountId { get; }
    public string Partition { get; }

    public AwsEnvironment(TerraformStack stack, AwsEnvironmentProps props) : base(stack, ConstructId)
    {
        var v = new PropsValidator(nameof(AwsEnvironmentProps))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Region ?? "", RegionPattern), nameof(props.Region), $"'{props.Region}' is not an AWS region name such as eu-west-1")
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.AccountId ?? "", AccountIdPattern), nameof(props.AccountId), $"'{props.AccountId}' is not a 12-digit AWS account id");
        v.ThrowIfInvalid();

        new AwsProvider(this, "aws", new AwsProviderConfig
        {
            Region = props.Region,
            AllowedAccountIds = [props.AccountId!],
            DefaultTags = new[] { new AwsProviderDefaultTags { Tags = props.DefaultTags.ToDictionary(kv => kv.Key, kv => kv.Value) } },
        });
        Region = props.Region!;
        AccountId = props.AccountId!;
        Partition = props.Partition;
    }

    /// <summary>An AWS region name such as eu-west-1 or us-gov-west-1.</summary>
    public const string RegionPattern = "^[a-z]{2}(-gov)?-[a-z]+-[0-9]$";

    public const string AccountIdPattern = "^[0-9]{12}$";

    /// <summary>The environment of the stack <paramref name="scope"/> belongs to.</summary>
    /// <exception cref="InvalidOperationException">The stack has no <see cref="AwsEnvironment"/>.</exception>
    public static AwsEnvironment Of(IConstruct scope)
    {
        var stack = TerraformStack.Of(scope);
        return stack.Node.TryFindChild(ConstructId) as AwsEnvironment
            ?? throw new InvalidOperationException(
                $"Stack '{stack.Node.Id}' has no AwsEnvironment: create `new AwsEnvironment(stack, props)` before the constructs under '{scope.Node.Path}', which need the stack's account, region and partition.");
    }

    /// <summary>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with this environment's partition, region and
    /// account (CDK's <c>Stack.formatArn</c>); pass "" for a global service's region or account.</summary>
    public string Arn(string service, string resource, string? region = null, string? account = null) =>
        $"arn:{Partition}:{service}:{region ?? Region}:{account ?? AccountId}:{resource}";

    /// <summary>The ARN of an AWS managed IAM policy, e.g. "service-role/AmazonRDSEnhancedMonitoringRole".</summary>
    public string ManagedPolicyArn(string path) => $"arn:{Partition}:iam::aws:policy/{path}";

    /// <summary>The account's root principal ("the account's IAM policies decide").</summary>
    public string AccountRootArn => $"arn:{Partition}:iam::{AccountId}:root";
}
