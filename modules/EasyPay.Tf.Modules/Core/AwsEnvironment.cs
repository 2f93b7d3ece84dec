using Constructs;
using HashiCorp.Cdktf.Providers.Aws.Provider;

namespace EasyPay.Tf.Modules.Core;

/// <summary>Where a stack deploys and how its resources are tagged.</summary>
/// <param name="Region">AWS region, e.g. eu-west-1.</param>
/// <param name="AccountId">The only account the provider may act on (allowed_account_ids), so a
/// production config can never be applied with credentials for another account.</param>
/// <param name="DefaultTags">Tags every taggable resource gets through the provider's default_tags.</param>
public sealed record AwsEnvironmentProps(string Region, string AccountId, IReadOnlyDictionary<string, string> DefaultTags)
{
    public string Partition { get; init; } = "aws";
}

/// <summary>Configures the AWS provider of a stack. Keeping it here keeps provider types out of stacks/.</summary>
public sealed class AwsEnvironment : Construct
{
    public string Region { get; }
    public string AccountId { get; }
    public string Partition { get; }

    public AwsEnvironment(Construct scope, string id, AwsEnvironmentProps props) : base(scope, id)
    {
        var v = new PropsValidator(nameof(AwsEnvironmentProps))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Region ?? "", "^[a-z]{2}(-gov)?-[a-z]+-[0-9]$"), nameof(props.Region), $"'{props.Region}' is not an AWS region name such as eu-west-1")
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.AccountId ?? "", "^[0-9]{12}$"), nameof(props.AccountId), $"'{props.AccountId}' is not a 12-digit AWS account id");
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
}
