using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

public class AccountStackTests
{
    private static JsonObject Stack(string env) => SynthesizedApp.Repository.Stack($"{env}-account");

    private static JsonNode Policy(JsonObject body, string field) => JsonNode.Parse(body.Str(field)!)!;

    private static IEnumerable<JsonNode> Statements(JsonObject body, string field) => Policy(body, field)["Statement"]!.AsArray()!.Select(s => s!);

    private static JsonObject Role(JsonObject stack, string name) => stack.Resources("aws_iam_role").Single(r => r.Body.Str("name") == name).Body;

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_account_stack_owns_the_auto_scaling_service_linked_role_and_the_network_stack_forgets_it(string env)
    {
        // IAM CreateServiceLinkedRole: AWSServiceName autoscaling.amazonaws.com makes AWSServiceRoleForAutoScaling.
        Stack(env).Single("aws_iam_service_linked_role").Str("aws_service_name").ShouldBe("autoscaling.amazonaws.com");
        var network = SynthesizedApp.Repository.Stack($"{env}-network");
        network.Resources("aws_iam_service_linked_role").ShouldBeEmpty();
        // Terraform 1.7+ removed block: forget the address without destroying the role running nodes use.
        var removed = network["removed"]!.AsArray().ShouldHaveSingleItem()!;
        removed.Str("from").ShouldBe(NetworkStack.MovedServiceLinkedRoleAddress);
        removed.Str("lifecycle.destroy").ShouldBe("false");
    }

    [Fact]
    public void A_listed_existing_service_linked_role_is_named_not_created()
    {
        var env = TestEnvironments.Repository("dev") with
        {
            Account = TestEnvironments.Repository("dev").Account with { ExistingServiceLinkedRoles = ["autoscaling.amazonaws.com"] },
        };
        var stacks = AppSynth.Run(app => new AccountStack(app, env));
        stacks["dev-account"].Resources("aws_iam_service_linked_role").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Human_roles_trust_exactly_the_listed_principals_by_arn(string env)
    {
        var config = TestEnvironments.Repository(env);
        var stack = Stack(env);
        foreach (var (name, principals) in new[] { (AccountStack.AdminRoleName(config), config.Account.HumanRoles!.AdminPrincipals), (AccountStack.DeveloperRoleName(config), config.Account.HumanRoles!.DeveloperPrincipals) })
        {
            var trust = Statements(Role(stack, name), "assume_role_policy").ShouldHaveSingleItem();
            // IAM condition keys: aws:PrincipalArn is the calling role's ARN (path included) for role sessions.
            trust.Str("Condition.ArnEquals.aws:PrincipalArn").ShouldBe(principals.Single());
            trust.Str("Principal.AWS").ShouldBe($"arn:aws:iam::{config.AccountId}:root");
            trust.Str("Principal.AWS").ShouldNotBe("*");
        }
    }

    [Fact]
    public void An_account_root_principal_must_use_mfa()
    {
        var dev = TestEnvironments.Repository("dev");
        var env = dev with
        {
            Account = dev.Account with { HumanRoles = new HumanRolesConfig { AdminPrincipals = ["arn:aws:iam::444455556666:root"], DeveloperPrincipals = dev.Account.HumanRoles!.DeveloperPrincipals } },
        };
        var stack = AppSynth.Run(app => new AccountStack(app, env))["dev-account"];
        var trust = Statements(Role(stack, AccountStack.AdminRoleName(env)), "assume_role_policy").ShouldHaveSingleItem();
        trust.Str("Principal.AWS").ShouldBe("arn:aws:iam::444455556666:root");
        trust.Str("Condition.Bool.aws:MultiFactorAuthPresent").ShouldBe("true");
    }

    [Fact]
    public void The_developer_role_reads_no_data_and_reaches_only_its_cluster()
    {
        var config = TestEnvironments.Repository("prod");
        var stack = Stack("prod");
        var attachments = stack.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn")).ToList();
        // ViewOnlyAccess (job function policy) lists and describes; it has no s3:GetObject or secretsmanager:GetSecretValue.
        attachments.ShouldContain("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess");
        attachments.ShouldNotContain("arn:aws:iam::aws:policy/ReadOnlyAccess");
        var inline = stack.Resources("aws_iam_role_policy").Single(p => p.Body.Str("name") == AccountStack.DeveloperRoleName(config)).Body;
        var cluster = Statements(inline, "policy").Single(s => s.Str("Sid") == "ReachCluster");
        cluster.Str("Resource").ShouldBe($"arn:aws:eks:{config.Region}:{config.AccountId}:cluster/easypay-prod");
    }

    [Fact]
    public void With_own_roles_the_account_stack_creates_none_and_passes_them_on()
    {
        var dev = TestEnvironments.Repository("dev");
        var env = dev with
        {
            Account = dev.Account with { HumanRoles = null },
            Cluster = dev.Cluster with
            {
                AdminRoleArn = "arn:aws:iam::111122223333:role/own-admin",
                DeveloperRoleArn = "arn:aws:iam::111122223333:role/own-developer",
                DeployerRoleArn = "arn:aws:iam::111122223333:role/own-deployer",
            },
        };
        AccountOutputs? outputs = null;
        var stack = AppSynth.Run(app => outputs = new AccountStack(app, env).Outputs)["dev-account"];
        // The one role left is ECR's, for the pull-through cache's repositories: no person or workspace assumes it.
        JsonNode.Parse(stack.Resources("aws_iam_role").ShouldHaveSingleItem().Body.Str("assume_role_policy")!)!
            .Str("Statement.0.Principal.Service").ShouldBe("ecr.amazonaws.com");
        (outputs!.AdminRoleArn, outputs.DeveloperRoleArn, outputs.DeployerRoleArn).ShouldBe(
            ("arn:aws:iam::111122223333:role/own-admin", "arn:aws:iam::111122223333:role/own-developer", "arn:aws:iam::111122223333:role/own-deployer"));
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Each_workspace_role_trusts_one_workspace_in_both_run_phases_and_nothing_else(string env)
    {
        var config = TestEnvironments.Repository(env);
        var tfc = config.TerraformCloud!;
        var stack = Stack(env);
        // HCP Terraform workload identity: issuer https://app.terraform.io, aud aws.workload.identity,
        // sub organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE (dynamic credentials docs).
        var provider = stack.Single("aws_iam_openid_connect_provider");
        provider.Str("url").ShouldBe("https://app.terraform.io");
        provider["client_id_list"].Strings().ShouldBe(["aws.workload.identity"]);
        foreach (var workspaceStack in AccountStack.WorkspaceStacks)
        {
            var workspace = EasyPayStack.WorkspaceName(tfc, env, workspaceStack);
            var trust = Statements(Role(stack, AccountStack.WorkspaceRoleName(config, workspaceStack)), "assume_role_policy").ShouldHaveSingleItem();
            trust.Str("Action").ShouldBe("sts:AssumeRoleWithWebIdentity");
            trust["Condition"]!["StringEquals"]!["app.terraform.io:aud"]!.ToString().ShouldBe("aws.workload.identity");
            trust["Condition"]!["StringEquals"]!["app.terraform.io:sub"].Strings().ShouldBe(
            [
                $"organization:easypay:project:{tfc.ProjectName(env)}:workspace:{workspace}:run_phase:plan",
                $"organization:easypay:project:{tfc.ProjectName(env)}:workspace:{workspace}:run_phase:apply",
            ]);
            trust["Condition"]!["StringLike"].ShouldBeNull();
        }
    }

    [Fact]
    public void Without_terraform_cloud_there_is_no_oidc_provider_and_a_local_deployer_role()
    {
        var dev = Stack("dev");
        dev.Resources("aws_iam_openid_connect_provider").ShouldBeEmpty();
        var config = TestEnvironments.Repository("dev");
        var deployer = Statements(Role(dev, AccountStack.DeployerRoleName(config)), "assume_role_policy").ShouldHaveSingleItem();
        deployer.Str("Condition.ArnEquals.aws:PrincipalArn").ShouldBe(config.Account.HumanRoles!.AdminPrincipals.Single());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_image_repositories_are_immutable_scanned_and_kms_encrypted(string env)
    {
        var stack = Stack(env);
        var repositories = stack.Resources("aws_ecr_repository");
        repositories.Select(r => r.Body.Str("name")).ShouldBe(PlatformContract.ImageRepositories(TestEnvironments.Repository(env)), ignoreOrder: true);
        foreach (var (_, body) in repositories)
        {
            // ECR CreateRepository: imageTagMutability IMMUTABLE; encryptionType KMS with a kmsKey.
            body.Str("image_tag_mutability").ShouldBe("IMMUTABLE");
            body.Str("image_scanning_configuration.scan_on_push").ShouldBe("true");
            body.Str("encryption_configuration.0.encryption_type").ShouldBe("KMS");
            body.Str("encryption_configuration.0.kms_key").ShouldStartWith("${aws_kms_key.");
            body.Str("force_delete").ShouldBe(env == "prod" ? "false" : "true");
        }
        stack.Resources("aws_ecr_lifecycle_policy").Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void A_zone_gets_a_dns_validated_certificate_for_the_alb_and_one_in_us_east_1_for_cloudfront(string env)
    {
        var config = TestEnvironments.Repository(env);
        var stack = Stack(env);
        var certificates = stack.Resources("aws_acm_certificate");
        certificates.Select(c => (c.Body.Str("domain_name"), c.Body.Str("validation_method"), c.Body.Str("region"))).ShouldBe(
            [(config.Monitoring.Dns!.RecordName, "DNS", null), (config.Monitoring.Dns.RecordName, "DNS", "us-east-1")], ignoreOrder: true);
        foreach (var (_, record) in stack.Resources("aws_route53_record"))
        {
            record.Str("zone_id").ShouldBe(config.Monitoring.Dns.HostedZoneId);
            record.Str("allow_overwrite").ShouldBe("true");
        }
        stack.Resources("aws_acm_certificate_validation").Count.ShouldBe(2);
    }

    [Fact]
    public void Without_a_zone_no_certificate_is_issued()
    {
        Stack("dev").Resources("aws_acm_certificate").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_chart_pulls_from_the_account_stacks_repositories(string env)
    {
        var config = TestEnvironments.Repository(env);
        var values = Charts.EasypayChart.GeneratedValuesYaml(env);
        // ECR repository_url: ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME (aws_ecr_repository docs).
        values.ShouldContain($"{config.AccountId}.dkr.ecr.{config.Region}.amazonaws.com/easypay-{env}/frontend");
        values.ShouldContain($"{config.AccountId}.dkr.ecr.{config.Region}.amazonaws.com/easypay-{env}/payment-api");
    }

    [Theory]
    [InlineData("dev", "local")]
    [InlineData("prod", "remote")]
    public void The_cluster_reads_the_roles_and_the_service_linked_role_from_the_account_stack(string env, string backend)
    {
        var cluster = SynthesizedApp.Repository.Stack($"{env}-cluster");
        var lookup = cluster.DataSources("terraform_remote_state").Single(l => l.Name.Contains($"{env}-account", StringComparison.Ordinal));
        lookup.Body.Str("backend").ShouldBe(backend);
        var prefix = $"${{data.terraform_remote_state.{lookup.Name}.outputs.";
        // EKS rejects an access entry for a principal that does not exist: every entry waits for the account stack's role.
        cluster.Resources("aws_eks_access_entry").ShouldAllBe(e => e.Body.Str("principal_arn")!.StartsWith(prefix, StringComparison.Ordinal));
        var volumeKey = cluster.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("Root volumes", StringComparison.Ordinal)).Body;
        volumeKey.Str("policy")!.ShouldContain($"{prefix}cross-stack-output-aws_iam_service_linked_role");
    }
}
