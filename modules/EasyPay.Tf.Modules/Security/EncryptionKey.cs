using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.KmsAlias;
using HashiCorp.Cdktf.Providers.Aws.KmsKey;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Props of <see cref="EncryptionKey"/>.</summary>
/// <param name="Alias">Alias without the "alias/" prefix, e.g. "easypay-prod-logs".</param>
/// <param name="Description">What the key protects (shown in the KMS console).</param>
/// <param name="AccountId">Account whose IAM policies may grant use of the key (root principal).</param>
public sealed record EncryptionKeyProps(string Alias, string Description, string AccountId)
{
    /// <summary>Statements for service principals that encrypt with the key (logs, SNS, ...).</summary>
    public IReadOnlyList<PolicyStatement> AdditionalStatements { get; init; } = [];

    /// <summary>Waiting period before a scheduled deletion; 30 (the maximum) protects production data.</summary>
    public int DeletionWindowInDays { get; init; } = 30;

    public string Partition { get; init; } = "aws";

    /// <summary>Region of the key when not the provider's (KMS keys are regional: a resource in another
    /// region, such as a us-east-1 alarm topic, needs a key there).</summary>
    public string? Region { get; init; }
}

/// <summary>A customer-managed KMS key with yearly rotation, an alias, and a key policy that delegates
/// to IAM in the owning account plus the given service statements.</summary>
public sealed class EncryptionKey : Construct
{
    public string Arn { get; }
    public string KeyId { get; }
    public string AliasName { get; }

    public EncryptionKey(Construct scope, string id, EncryptionKeyProps props) : base(scope, id)
    {
        new PropsValidator(nameof(EncryptionKeyProps))
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Alias ?? "", "^[a-zA-Z0-9/_-]{1,250}$") && !props.Alias!.StartsWith("aws", StringComparison.Ordinal),
                nameof(props.Alias), $"'{props.Alias}' is not a valid KMS alias name (letters, digits, / _ -; not starting with 'aws'; no 'alias/' prefix)")
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.AccountId ?? "", "^[0-9]{12}$"), nameof(props.AccountId), $"'{props.AccountId}' is not a 12-digit AWS account id")
            .Check(props.DeletionWindowInDays is >= 7 and <= 30, nameof(props.DeletionWindowInDays), "must be between 7 and 30 days")
            .ThrowIfInvalid();

        var statements = new List<PolicyStatement>
        {
            new("EnableIamPolicies", ["kms:*"], ["*"],
                Principals: PolicyDocument.Aws($"arn:{props.Partition}:iam::{props.AccountId}:root")),
        };
        statements.AddRange(props.AdditionalStatements);

        var key = new KmsKey(this, "key", new KmsKeyConfig
        {
            Description = props.Description,
            EnableKeyRotation = true,
            RotationPeriodInDays = 365,
            DeletionWindowInDays = props.DeletionWindowInDays,
            Policy = PolicyDocument.Render(statements),
            Region = props.Region,
        });
        var alias = new KmsAlias(this, "alias", new KmsAliasConfig
        {
            Name = $"alias/{props.Alias}",
            TargetKeyId = key.KeyId,
            Region = props.Region,
        });
        Arn = key.Arn;
        KeyId = key.KeyId;
        AliasName = alias.Name;
    }

    /// <summary>Lets CloudWatch Logs in <paramref name="region"/> encrypt log groups of this account with the key.</summary>
    public static PolicyStatement AllowCloudWatchLogs(string partition, string region, string accountId) => new(
        "AllowCloudWatchLogs",
        ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        ["*"],
        Principals: PolicyDocument.Service($"logs.{region}.amazonaws.com"),
        Conditions: PolicyDocument.Condition("ArnLike", "kms:EncryptionContext:aws:logs:arn",
            $"arn:{partition}:logs:{region}:{accountId}:log-group:*"));
}
