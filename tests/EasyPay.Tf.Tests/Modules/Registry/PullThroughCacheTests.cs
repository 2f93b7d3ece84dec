using System.Text.Json.Nodes;
using Constructs;
using EasyPay.Tf.Modules.Registry;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Modules.Registry;

public class PullThroughCacheTests
{
    private const string Key = "arn:aws:kms:eu-west-1:123456789012:key/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

    private static JsonObject Synth(Func<Construct, PullThroughCacheProps> props) =>
        ConstructSynth.Stack((stack, _) => new PullThroughCache(stack, "cache", props(stack)));

    private static PullThroughCacheProps Props(Construct stack) =>
        new("easypay-test", [UpstreamRegistries.Quay, UpstreamRegistries.DockerHub], Key)
        {
            Credentials = new Dictionary<string, RegistryCredential>
            {
                ["docker-hub"] = new("easypayci", Token(stack), 2),
            },
        };

    private static string Token(Construct stack) => new TerraformVariable(stack, "token", new TerraformVariableConfig { Type = "string", Sensitive = true }).StringValue;

    [Fact]
    public void Every_upstream_gets_a_rule_after_a_template_that_encrypts_with_the_key_and_keeps_tags_immutable()
    {
        var json = Synth(Props);
        // ECR API CreatePullThroughCacheRule upstreamRegistryUrl: quay.io, registry-1.docker.io (Docker Hub).
        json.Resources("aws_ecr_pull_through_cache_rule").Select(r => (r.Body.Str("ecr_repository_prefix"), r.Body.Str("upstream_registry_url")))
            .ShouldBe([("quay", "quay.io"), ("docker-hub", "registry-1.docker.io")], ignoreOrder: true);
        foreach (var (name, template) in json.Resources("aws_ecr_repository_creation_template"))
        {
            // Provider 6.25.0 repository_creation_template.go: applied_for PULL_THROUGH_CACHE | REPLICATION; image_tag_mutability
            // MUTABLE | IMMUTABLE | ...; a KMS key needs custom_role_arn (ECR user guide, "Creating a repository creation template").
            template["applied_for"].Strings().ShouldBe(["PULL_THROUGH_CACHE"], name);
            template.Str("image_tag_mutability").ShouldBe("IMMUTABLE", name);
            template.Str("encryption_configuration.0.encryption_type").ShouldBe("KMS", name);
            template.Str("encryption_configuration.0.kms_key").ShouldBe(Key, name);
            template.Str("custom_role_arn").ShouldStartWith("${aws_iam_role.cache_creation-role", Case.Sensitive, name);
        }
        foreach (var (name, rule) in json.Resources("aws_ecr_pull_through_cache_rule"))
        {
            rule["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_ecr_repository_creation_template.", StringComparison.Ordinal), name);
        }
        json.Resources("aws_ecr_repository_creation_template").Select(t => t.Body.Str("prefix")).ShouldBe(["quay", "docker-hub"], ignoreOrder: true);
    }

    [Fact]
    public void The_docker_hub_login_is_written_write_only_under_the_name_ecr_requires_and_the_aws_managed_key()
    {
        var json = Synth(Props);
        var secret = json.Single("aws_secretsmanager_secret");
        // ECR user guide, "Storing your upstream repository credentials": the name starts with ecr-pullthroughcache/ and
        // the secret uses the aws/secretsmanager key (a customer managed key is not supported).
        secret.Str("name").ShouldBe("ecr-pullthroughcache/easypay-test/docker-hub");
        secret.Str("kms_key_id").ShouldBeNull();
        var version = json.Single("aws_secretsmanager_secret_version");
        version.Str("secret_string").ShouldBeNull();
        version.Str("secret_string_wo").ShouldBe("${jsonencode({\"username\" = \"easypayci\", \"accessToken\" = var.token})}");
        version.Str("secret_string_wo_version").ShouldBe("2");
        // The rule's CreatePullThroughCacheRule reads the secret once, without retry: the fresh version gets time to propagate.
        version["provisioner"]!.AsArray().ShouldHaveSingleItem()!.Str("local-exec.command").ShouldBe("sleep 30");
        var docker = json.Resources("aws_ecr_pull_through_cache_rule").Single(r => r.Body.Str("ecr_repository_prefix") == "docker-hub").Body;
        docker.Str("credential_arn").ShouldStartWith("${aws_secretsmanager_secret.cache_credential-docker-hub");
        docker["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_secretsmanager_secret_version.", StringComparison.Ordinal));
        json.Resources("aws_ecr_pull_through_cache_rule").Single(r => r.Body.Str("ecr_repository_prefix") == "quay").Body.Str("credential_arn").ShouldBeNull();
    }

    [Fact]
    public void Ecr_creates_the_cached_repositories_with_a_role_limited_to_their_prefixes_and_the_key()
    {
        var json = Synth(Props);
        var role = json.Single("aws_iam_role");
        JsonNode.Parse(role.Str("assume_role_policy")!)!.Str("Statement.0.Principal.Service").ShouldBe("ecr.amazonaws.com");
        var statements = JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!["Statement"]!.AsArray();
        statements[0]!["Resource"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(
            ["arn:aws:ecr:eu-west-1:123456789012:repository/quay/*", "arn:aws:ecr:eu-west-1:123456789012:repository/docker-hub/*"]);
        statements[1]!.Str("Resource").ShouldBe(Key);
        // ECR user guide, "Create a custom policy for repository creation templates": kms:CreateGrant, RetireGrant, DescribeKey.
        statements[1]!["Action"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"]);
        // Scan on push for every repository, cached ones included (ECR API PutRegistryScanningConfiguration: scanType BASIC,
        // scanFrequency SCAN_ON_PUSH, filterType WILDCARD; provider registry_scanning_configuration.go admits filter "*").
        var scanning = json.Single("aws_ecr_registry_scanning_configuration");
        (scanning.Str("scan_type"), scanning.Str("rule.0.scan_frequency"), scanning.Str("rule.0.repository_filter.0.filter")).ShouldBe(("BASIC", "SCAN_ON_PUSH", "*"));
    }

    [Fact]
    public void A_missing_unused_or_literal_credential_and_bad_prefixes_are_reported_together()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(stack =>
            new PullThroughCacheProps("easypay-test", [UpstreamRegistries.GitHub, UpstreamRegistries.Quay, UpstreamRegistries.Quay, new UpstreamRegistry("A", "example.com")], Key)
            {
                Credentials = new Dictionary<string, RegistryCredential> { ["docker-hub"] = new("easypayci", "dckr_pat_literal", 0) },
            })).Message;
        message.ShouldContain("PullThroughCacheProps.Credentials: 'github' is missing: ghcr.io requires a login");
        message.ShouldContain("PullThroughCacheProps.Credentials: 'docker-hub' is not the credential of any registry given");
        message.ShouldContain("PullThroughCacheProps.Credentials[docker-hub].AccessToken: pass a reference to a sensitive Terraform variable");
        message.ShouldContain("PullThroughCacheProps.Credentials[docker-hub].Version: 0 must be at least 1");
        message.ShouldContain("PullThroughCacheProps.Registries: prefix 'quay' is given twice");
        message.ShouldContain("PullThroughCacheProps.Registries: 'A' (example.com) is not an ECR repository prefix");
    }

    [Theory]
    // Provider 6.25.0 pull_through_cache_rule.go ecr_repository_prefix: StringLenBetween(2, 30) and the repository-name pattern.
    [InlineData("quay", true)]
    [InlineData("registry-k8s-io", true)]
    [InlineData("a", false)]
    [InlineData("Quay", false)]
    [InlineData("a-very-long-prefix-of-thirty-one", false)]
    [InlineData("docker-hub/", false)]
    public void Prefixes_follow_the_providers_rule(string prefix, bool valid) => UpstreamRegistry.IsValidPrefix(prefix).ShouldBe(valid);

    [Fact]
    public void A_mirrored_image_is_named_by_its_prefix_and_upstream_path()
    {
        // ECR user guide, "Pulling an image with a pull through cache rule": ACCOUNT.dkr.ecr.REGION.amazonaws.com/PREFIX/REPOSITORY:TAG.
        new MirroredImage(UpstreamRegistries.Quay, "curl/curl", "8.11.1").ReferenceIn("123456789012.dkr.ecr.eu-west-1.amazonaws.com")
            .ShouldBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/quay/curl/curl:8.11.1");
        new MirroredImage(UpstreamRegistries.Quay, "curl/curl", "8.11.1").ToString().ShouldBe("quay.io/curl/curl:8.11.1");
    }
}
