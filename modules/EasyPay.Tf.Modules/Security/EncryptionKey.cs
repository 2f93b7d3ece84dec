using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.KmsAlias;
using HashiCorp.Cdktf.Providers.Aws.KmsKey;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Props of <see cref="EncryptionKey"/>.</summary>
/// <param name="Alias">Alias without the "alias/" prefix, e.g. "easypay-prod-logs".</param>
/// <param name="Description">What the key protects (shown in the KMS console).</param>
public sealed record EncryptionKeyProps(string Alias, string Description)
{
    /// <summary>Statements for service principals that encrypt with the key (logs, SNS, ...), after the statement
    /// that lets the stack's account decide through IAM. @default none</summary>
    public IReadOnlyList<PolicyStatement> AdditionalStatements { get; init; } = [];

    /// <summary>Waiting period before a scheduled deletion; 30 (the maximum) protects production data. @default 30</summary>
    public int DeletionWindowInDays { get; init; } = 30;

    /// <summary>Region of the key when not the stack's (KMS keys are regional: a resource in another
    /// region, such as a us-east-1 alarm topic, needs a key there). @default the stack's region</summary>
    public string? Region { get; init; }
}

/// <summary>A customer-managed KMS key with yearly rotation, an alias, and a key policy whose administration
/// the stack's <see cref="KeyGovernance"/> decides (the AWS default policy, delegating everything to IAM in the
/// stack's account, without one), plus the given service statements.</summary>
public sealed class EncryptionKey : Construct
{
    public string Arn { get; }
    public string KeyId { get; }
    public string AliasName { get; }

    public EncryptionKey(Construct scope, string id, EncryptionKeyProps props) : base(scope, id)
    {
        new PropsValidator(nameof(EncryptionKeyProps))
            // KMS CreateAlias: "alias/" + letters, digits, / _ -, at most 256 characters; alias/aws/ is reserved for AWS.
            .Check(System.Text.RegularExpressions.Regex.IsMatch(props.Alias ?? "", "^[a-zA-Z0-9/_-]{1,250}$")
                    && !props.Alias!.StartsWith("aws/", StringComparison.Ordinal) && !props.Alias.StartsWith("alias/", StringComparison.Ordinal),
                nameof(props.Alias), $"'{props.Alias}' is not a valid KMS alias name (letters, digits, / _ -; not starting with 'aws/'; no 'alias/' prefix)")
            .Check(props.Region is null || System.Text.RegularExpressions.Regex.IsMatch(props.Region, AwsEnvironment.RegionPattern), nameof(props.Region), $"'{props.Region}' is not an AWS region name such as us-east-1")
            .Check(props.DeletionWindowInDays is >= 7 and <= 30, nameof(props.DeletionWindowInDays), "must be between 7 and 30 days")
            .ThrowIfInvalid();

        // Administration first (KeyGovernance of the stack: the AWS default policy without one), then the services.
        var statements = new List<PolicyStatement>(KeyGovernance.Statements(this));
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

    /// <summary>Lets CloudWatch Logs of the stack's region encrypt exactly the named log groups of the stack's
    /// account with the key (CloudWatch Logs user guide, "Encrypt log data using AWS KMS": service principal, and
    /// the encryption context kms:EncryptionContext:aws:logs:arn = arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME).
    /// Names, not the log groups' ARNs: the groups are created with the key, so their ARNs would be a cycle.</summary>
    public static PolicyStatement AllowCloudWatchLogs(IConstruct scope, params string[] logGroupNames)
    {
        if (logGroupNames.Length == 0 || logGroupNames.Any(n => string.IsNullOrWhiteSpace(n) || n.Contains('*') || HashiCorp.Cdktf.Token.IsUnresolved(n)))
        {
            throw new ArgumentException($"AllowCloudWatchLogs needs the exact names of the log groups the key encrypts, known at synth time (no '*'); got [{string.Join(", ", logGroupNames)}]", nameof(logGroupNames));
        }
        var aws = AwsEnvironment.Of(scope);
        return new(
            "AllowCloudWatchLogs",
            ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            ["*"],
            Principals: PolicyDocument.Service($"logs.{aws.Region}.amazonaws.com"),
            Conditions: PolicyDocument.Condition("ArnEquals", "kms:EncryptionContext:aws:logs:arn",
                [.. logGroupNames.Distinct().Select(n => aws.Arn("logs", $"log-group:{n}"))]));
    }
}
