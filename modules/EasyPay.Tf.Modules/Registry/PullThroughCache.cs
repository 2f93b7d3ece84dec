using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EcrPullThroughCacheRule;
using HashiCorp.Cdktf.Providers.Aws.EcrRegistryScanningConfiguration;
using HashiCorp.Cdktf.Providers.Aws.EcrRepositoryCreationTemplate;
using HashiCorp.Cdktf.Providers.Aws.SecretsmanagerSecret;
using HashiCorp.Cdktf.Providers.Aws.SecretsmanagerSecretVersion;

namespace EasyPay.Tf.Modules.Registry;

/// <summary>The login ECR uses for an upstream that requires one.</summary>
/// <param name="Username">The upstream account's user name (not a secret).</param>
/// <param name="AccessToken">A read-only access token (Docker Hub personal access token, GitHub token with
/// read:packages): a Terraform reference to a sensitive variable, never a literal. It is written write-only
/// (secret_string_wo), so it is in neither the plan nor the state.</param>
/// <param name="Version">Write-only values are sent only when this changes: raise it to store a new token.</param>
public sealed record RegistryCredential(string Username, string AccessToken, int Version);

/// <summary>Props of <see cref="PullThroughCache"/>.</summary>
/// <param name="Name">Names the creation role (NAME-ecr-cache-repositories) and the credential secrets
/// (ecr-pullthroughcache/NAME/CREDENTIAL), e.g. easypay-prod.</param>
/// <param name="Registries">The upstreams to mirror, each under its own prefix.</param>
/// <param name="KmsKeyArn">Customer-managed key of the repositories ECR creates on first pull.</param>
public sealed record PullThroughCacheProps(string Name, IReadOnlyList<UpstreamRegistry> Registries, string KmsKeyArn)
{
    /// <summary>The login of every upstream with a <see cref="UpstreamRegistry.Credential"/>, by that name. @default none</summary>
    public IReadOnlyDictionary<string, RegistryCredential> Credentials { get; init; } = new Dictionary<string, RegistryCredential>();

    /// <summary>Untagged images of a cached repository expire after this many days. @default 14</summary>
    public int UntaggedExpiryDays { get; init; } = 14;

    /// <summary>A cached repository keeps at most this many images. @default 20</summary>
    public int MaxImages { get; init; } = 20;

    /// <summary>Days a deleted credential secret stays recoverable (7-30). @default 30</summary>
    public int SecretRecoveryWindowInDays { get; init; } = 30;
}

/// <summary>Mirrors public registries into the account's private registry (ECR pull-through cache), so every third-party
/// image the platform runs comes from ECR: scanned, under a customer-managed key, with immutable tags, reachable through
/// the VPC endpoints, and still there when the upstream is down, rate-limits or re-points a tag. Per upstream: a
/// repository creation template for its prefix (the settings ECR gives the repositories it creates on first pull) and a
/// pull-through cache rule; for Docker Hub and GitHub a Secrets Manager credential. The registry's scanning
/// configuration (one per registry: this construct owns it) scans every repository on push, cached ones included.
/// Pullers need ecr:BatchImportUpstreamImage and ecr:CreateRepository on PREFIX/* (<see cref="PullerStatement"/>).</summary>
public sealed class PullThroughCache : Construct
{
    /// <summary>ECR requires the name prefix, and reads the secret with its pull-through-cache service-linked role,
    /// which may decrypt only under the AWS managed key (ECR user guide, "Storing your upstream repository credentials
    /// in an AWS Secrets Manager secret": a customer managed key is not supported).</summary>
    public const string SecretNamePrefix = "ecr-pullthroughcache/";

    /// <summary>How long a new login secret is given to become readable by ECR before its rule is created.</summary>
    public const int SecretPropagationSeconds = 30;

    /// <summary>Repository ARN patterns of the given prefixes.</summary>
    public static IReadOnlyList<string> RepositoryArns(AwsEnvironment aws, IEnumerable<string> prefixes) =>
        [.. prefixes.Select(p => aws.Arn("ecr", $"repository/{p}/*"))];

    /// <summary>What a principal pulling through the cache needs beyond the usual pull actions (ECR user guide, "IAM
    /// permissions required to sync an upstream registry": BatchImportUpstreamImage, and CreateRepository for the first
    /// pull of a repository), on the cached repositories only.</summary>
    public static PolicyStatement PullerStatement(AwsEnvironment aws, IEnumerable<string> prefixes) =>
        new("PullThroughCache", PullerActions, RepositoryArns(aws, prefixes));

    /// <summary>The two actions of <see cref="PullerStatement"/>.</summary>
    public static readonly IReadOnlyList<string> PullerActions = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];

    /// <summary>The secret of each credential, by credential name.</summary>
    public IReadOnlyDictionary<string, string> CredentialSecretArns { get; }

    /// <summary>The rules, for whatever must not pull before they exist.</summary>
    public IReadOnlyList<ITerraformDependable> Rules { get; }

    public PullThroughCache(Construct scope, string id, PullThroughCacheProps props) : base(scope, id)
    {
        Validate(props);
        var aws = AwsEnvironment.Of(this);
        var prefixes = props.Registries.Select(r => r.Prefix).ToList();

        // ECR user guide, "Creating an IAM role for repository creation templates": a template with a KMS key needs a
        // role ECR assumes to create the repository and its KMS grants (repository-creation-templates-custom: CreateRepository,
        // kms:CreateGrant, kms:RetireGrant, kms:DescribeKey). The documented trust names ecr.amazonaws.com without
        // aws:SourceAccount; the role can only create repositories under these prefixes and grant on this one key.
        var role = new ServiceRole(this, "creation-role", new ServiceRoleProps(
            $"{props.Name}-ecr-cache-repositories", $"ECR creates the pull-through cache repositories of {props.Name} under their KMS key", "ecr.amazonaws.com")
        {
            RestrictToSourceAccount = false,
            InlineStatements =
            [
                new PolicyStatement("CreateCacheRepositories", ["ecr:CreateRepository", "ecr:PutLifecyclePolicy"], RepositoryArns(aws, prefixes)),
                new PolicyStatement("GrantCacheKey", ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], [props.KmsKeyArn]),
            ],
        });

        // Scan on push for every repository of the registry (the registry setting overrides the repositories' own).
        new EcrRegistryScanningConfiguration(this, "scanning", new EcrRegistryScanningConfigurationConfig
        {
            ScanType = "BASIC",
            Rule = new[]
            {
                new EcrRegistryScanningConfigurationRule
                {
                    ScanFrequency = "SCAN_ON_PUSH",
                    RepositoryFilter = new[] { new EcrRegistryScanningConfigurationRuleRepositoryFilter { Filter = "*", FilterType = "WILDCARD" } },
                },
            },
        });

        var secrets = new Dictionary<string, string>();
        var rules = new List<ITerraformDependable>();
        foreach (var registry in props.Registries)
        {
            var template = new EcrRepositoryCreationTemplate(this, $"template-{registry.Prefix}", new EcrRepositoryCreationTemplateConfig
            {
                Prefix = registry.Prefix,
                Description = $"Pull-through cache of {registry.Url}",
                AppliedFor = ["PULL_THROUGH_CACHE"],
                // The first image cached under a tag stays what the tag names (ECR may then not refresh it from the
                // upstream: pulling a re-pointed upstream tag keeps the reviewed image).
                ImageTagMutability = "IMMUTABLE",
                EncryptionConfiguration = new[] { new EcrRepositoryCreationTemplateEncryptionConfiguration { EncryptionType = "KMS", KmsKey = props.KmsKeyArn } },
                LifecyclePolicy = ImageRepository.LifecyclePolicy(props.UntaggedExpiryDays, props.MaxImages),
                CustomRoleArn = role.Arn,
                DependsOn = role.InlinePolicy is { } policy ? [policy] : [],
            });

            string? credentialArn = null;
            var after = new List<ITerraformDependable> { template };
            if (registry.Credential is { } name)
            {
                var credential = props.Credentials[name];
                var secret = new SecretsmanagerSecret(this, $"credential-{name}", new SecretsmanagerSecretConfig
                {
                    Name = $"{SecretNamePrefix}{props.Name}/{name}",
                    Description = $"Login ECR's pull-through cache uses for {registry.Url}",
                    RecoveryWindowInDays = props.SecretRecoveryWindowInDays,
                });
                // The secret's keys (ECR user guide, "Creating the secret"): username and accessToken.
                var value = new SecretsmanagerSecretVersion(this, $"credential-{name}-value", new SecretsmanagerSecretVersionConfig
                {
                    SecretId = secret.Id,
                    SecretStringWo = Fn.Jsonencode(new Dictionary<string, object> { ["username"] = credential.Username, ["accessToken"] = credential.AccessToken }),
                    SecretStringWoVersion = credential.Version,
                    // CreatePullThroughCacheRule reads the secret at once (as a service-linked role it may be creating in
                    // the same call) and the provider does not retry: a fresh secret is not always visible yet
                    // (SecretNotFoundException seen with exactly this ordering). The wait runs once, when the secret's
                    // value is first written, on the machine applying the account stack.
                    Provisioners = [new LocalExecProvisioner { Type = "local-exec", Command = $"sleep {SecretPropagationSeconds}" }],
                });
                credentialArn = secret.Arn;
                secrets[name] = secret.Arn;
                after.Add(value);
            }
            rules.Add(new EcrPullThroughCacheRule(this, $"rule-{registry.Prefix}", new EcrPullThroughCacheRuleConfig
            {
                EcrRepositoryPrefix = registry.Prefix,
                UpstreamRegistryUrl = registry.Url,
                CredentialArn = credentialArn,
                // A repository created before its template would miss the key and the immutable tags.
                DependsOn = [.. after],
            }));
        }
        CredentialSecretArns = secrets;
        Rules = rules;
    }

    private static void Validate(PullThroughCacheProps props)
    {
        var v = new PropsValidator(nameof(PullThroughCacheProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z][a-z0-9-]{1,40}$"), nameof(props.Name), $"'{props.Name}' must be 2-41 lower-case letters, digits and '-' (the creation role's name must fit IAM's 64)")
            .Check(props.Registries?.Count > 0, nameof(props.Registries), "give at least one upstream registry")
            .CheckReferenceOr(props.KmsKeyArn, "^arn:aws[a-z-]*:kms:", nameof(props.KmsKeyArn), $"'{props.KmsKeyArn}' is not a KMS key ARN")
            .Check(props.UntaggedExpiryDays >= 1, nameof(props.UntaggedExpiryDays), $"{props.UntaggedExpiryDays} must be at least 1")
            .Check(props.MaxImages is >= 10 and <= 10000, nameof(props.MaxImages), $"{props.MaxImages} must be between 10 and 10000")
            .Check(props.SecretRecoveryWindowInDays is >= 7 and <= 30, nameof(props.SecretRecoveryWindowInDays), $"{props.SecretRecoveryWindowInDays} must be 7-30 (Secrets Manager)");
        var registries = props.Registries ?? [];
        foreach (var r in registries.Where(r => !UpstreamRegistry.IsValidPrefix(r.Prefix)))
        {
            v.Check(false, nameof(props.Registries), $"'{r.Prefix}' ({r.Url}) is not an ECR repository prefix (2-30 characters, lower-case segments)");
        }
        foreach (var dup in registries.GroupBy(r => r.Prefix).Where(g => g.Count() > 1))
        {
            v.Check(false, nameof(props.Registries), $"prefix '{dup.Key}' is given twice ({string.Join(", ", dup.Select(r => r.Url))})");
        }
        var needed = registries.Select(r => r.Credential).OfType<string>().ToHashSet();
        var credentials = props.Credentials ?? new Dictionary<string, RegistryCredential>();
        foreach (var name in needed.Where(n => !credentials.ContainsKey(n)))
        {
            v.Check(false, nameof(props.Credentials), $"'{name}' is missing: {string.Join(", ", registries.Where(r => r.Credential == name).Select(r => r.Url))} requires a login");
        }
        foreach (var (name, c) in credentials)
        {
            v.Check(needed.Contains(name), nameof(props.Credentials), $"'{name}' is not the credential of any registry given; remove it")
             .Check(!string.IsNullOrWhiteSpace(c.Username), $"{nameof(props.Credentials)}[{name}].Username", "give the upstream account's user name")
             .Check(!string.IsNullOrEmpty(c.AccessToken) && Token.IsUnresolved(c.AccessToken), $"{nameof(props.Credentials)}[{name}].AccessToken",
                 "pass a reference to a sensitive Terraform variable, never the token itself")
             .Check(c.Version >= 1, $"{nameof(props.Credentials)}[{name}].Version", $"{c.Version} must be at least 1");
        }
        v.ThrowIfInvalid();
    }
}
