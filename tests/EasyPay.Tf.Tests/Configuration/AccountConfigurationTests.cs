using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

/// <summary>The account, Terraform Cloud, role, certificate and image fields of issue 11: every bad input gives
/// one line naming the file, the field and the fix.</summary>
public class AccountConfigurationTests
{
    private static IReadOnlyList<string> ProblemsOf(string env, Action<JsonObject> edit)
    {
        using var files = new EnvironmentFiles();
        return files.Edit(env, edit).Problems();
    }

    private static string ProblemOf(string env, Action<JsonObject> edit)
    {
        var problems = ProblemsOf(env, edit);
        problems.Count.ShouldBe(1, string.Join(Environment.NewLine, problems));
        return problems[0];
    }

    [Fact]
    public void Own_roles_beside_account_human_roles_are_rejected_each_by_name()
    {
        var problems = ProblemsOf("dev", j =>
        {
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::111122223333:role/own-admin";
            j["cluster"]!["deployerRoleArn"] = "arn:aws:iam::111122223333:role/own-deployer";
        });
        problems.ShouldBe(
        [
            "environments/dev.json: cluster.adminRoleArn: is set although account.humanRoles makes the account stack create easypay-dev-admin; remove it (or remove account.humanRoles to bring your own roles)",
            "environments/dev.json: cluster.deployerRoleArn: is set although account.humanRoles makes the account stack create easypay-dev-platform-deployer; remove it (or remove account.humanRoles to bring your own roles)",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Without_human_roles_every_own_role_is_required()
    {
        var problems = ProblemsOf("dev", j => j["account"]!.AsObject().Remove("humanRoles"));
        problems.Count.ShouldBe(3, string.Join(Environment.NewLine, problems));
        problems.ShouldContain(p => p.StartsWith("environments/dev.json: cluster.adminRoleArn: is missing", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/dev.json: cluster.developerRoleArn: is missing", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/dev.json: cluster.deployerRoleArn: is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Bring_your_own_roles_is_still_a_valid_choice()
    {
        using var files = new EnvironmentFiles();
        files.Edit("dev", j =>
        {
            j["account"]!.AsObject().Remove("humanRoles");
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::111122223333:role/own-admin";
            j["cluster"]!["developerRoleArn"] = "arn:aws:iam::111122223333:role/own-developer";
            j["cluster"]!["deployerRoleArn"] = "arn:aws:iam::111122223333:role/own-deployer";
        }).Load().Single(e => e.Name == "dev").Cluster.DeployerRoleArn.ShouldBe("arn:aws:iam::111122223333:role/own-deployer");
    }

    [Fact]
    public void With_terraform_cloud_a_deployer_role_is_the_platform_workspaces()
    {
        ProblemOf("prod", j =>
        {
            j["account"]!.AsObject().Remove("humanRoles");
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::333344445555:role/own-admin";
            j["cluster"]!["developerRoleArn"] = "arn:aws:iam::333344445555:role/own-developer";
            j["cluster"]!["deployerRoleArn"] = "arn:aws:iam::333344445555:role/own-deployer";
        }).ShouldBe("environments/prod.json: cluster.deployerRoleArn: is set although the environment uses Terraform Cloud: the platform workspace's role is the deployer (its access entry comes from the account stack); remove it");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("arn:aws:iam::111122223333:role/*")]
    [InlineData("arn:aws:iam::1111:root")]
    [InlineData("sso.amazonaws.com")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/admin/session")]
    public void A_trusted_principal_that_is_not_a_role_user_or_root_arn_is_rejected(string principal)
    {
        ProblemOf("dev", j => j["account"]!["humanRoles"]!["adminPrincipals"] = new JsonArray(principal))
            .ShouldStartWith("environments/dev.json: account.humanRoles.adminPrincipals[0]:");
    }

    [Fact]
    public void A_principal_may_not_be_admin_and_developer()
    {
        var admin = TestEnvironments.Repository("dev").Account.HumanRoles!.AdminPrincipals[0];
        ProblemOf("dev", j => j["account"]!["humanRoles"]!["developerPrincipals"] = new JsonArray(admin))
            .ShouldBe($"environments/dev.json: account.humanRoles.developerPrincipals: \"{admin}\" is also an admin principal; developers must not be able to become cluster admins: give them distinct identities");
    }

    [Fact]
    public void A_certificate_beside_a_zone_is_rejected()
    {
        ProblemOf("prod", j => j["cluster"]!["certificateArn"] = "arn:aws:acm:eu-west-1:333344445555:certificate/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f")
            .ShouldBe("environments/prod.json: cluster.certificateArn: is set although monitoring.dns names a zone: the account stack issues and DNS-validates the ALB's certificate there; remove it");
    }

    [Fact]
    public void Production_without_a_zone_or_a_certificate_is_rejected()
    {
        ProblemOf("prod", j => j["monitoring"]!["dns"] = null)
            .ShouldStartWith("environments/prod.json: cluster.ingress.protocol: production serves payments over HTTPS only, and \"https\" needs a certificate: configure monitoring.dns");
    }

    [Fact]
    public void A_zone_without_a_record_name_is_rejected()
    {
        ProblemOf("prod", j => j["monitoring"]!["dns"]!.AsObject().Remove("recordName"))
            .ShouldStartWith("environments/prod.json: monitoring.dns.recordName:");
    }

    [Fact]
    public void The_removed_maintenance_certificate_and_image_repository_fields_are_unknown_keys()
    {
        var problems = ProblemsOf("prod", j =>
        {
            j["monitoring"]!["dns"]!["maintenanceCertificateArn"] = "arn:aws:acm:us-east-1:333344445555:certificate/x";
            j["application"]!["backendImage"]!["repository"] = "333344445555.dkr.ecr.eu-west-1.amazonaws.com/easypay/payment-api";
        });
        problems.Count.ShouldBe(2, string.Join(Environment.NewLine, problems));
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: monitoring.dns.maintenanceCertificateArn: unknown key", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: application.backendImage.repository: unknown key", StringComparison.Ordinal));
    }

    [Theory]
    // HCP Terraform workspace names: letters, digits, - and _ (the prefix is lower case here so names stay uniform).
    [InlineData("Easy Pay")]
    [InlineData("easypay/prod")]
    [InlineData("-easypay")]
    public void A_workspace_prefix_terraform_cloud_would_reject_is_rejected(string prefix)
    {
        ProblemOf("prod", j => j["terraformCloud"]!["workspacePrefix"] = prefix)
            .ShouldStartWith("environments/prod.json: terraformCloud.workspacePrefix:");
    }

    [Fact]
    public void An_agent_image_digest_must_be_a_sha256_digest()
    {
        ProblemOf("prod", j => j["terraformCloud"]!["agentImageDigest"] = "1.32.0")
            .ShouldStartWith("environments/prod.json: terraformCloud.agentImageDigest:");
    }

    [Fact]
    public void The_audit_baseline_is_required_and_closed()
    {
        ProblemOf("prod", j => j["account"]!["auditBaseline"] = "none")
            .ShouldStartWith("environments/prod.json: account.auditBaseline:");
        ProblemOf("prod", j => j["account"]!.AsObject().Remove("auditBaseline"))
            .ShouldStartWith("environments/prod.json: account.auditBaseline:");
    }

    [Fact]
    public void Two_environments_in_one_account_may_not_both_create_its_baseline()
    {
        var problems = ProblemsOf("staging", j =>
        {
            j["accountId"] = "333344445555";
            j["account"]!["existingServiceLinkedRoles"] = new JsonArray("autoscaling.amazonaws.com");
            j["account"]!["existingLogGroups"] = new JsonArray("RDSOSMetrics");
        });
        problems.ShouldContain(p => p.StartsWith("environments/staging.json: account.auditBaseline: shares account 333344445555 with environments/prod.json", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/staging.json: terraformCloud: shares account 333344445555", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_break_glass_needs_an_identity_of_its_own()
    {
        using var files = new EnvironmentFiles();
        files.Edit("prod", j => j["account"]!["humanRoles"]!.AsObject().Remove("breakGlassPrincipals")).Problems().ShouldBe(
            ["environments/prod.json: account.humanRoles.breakGlassPrincipals: is missing: production's break-glass role (it alone may delete recovery points and keys) must not be open to every administrator; name a separate identity (an IAM Identity Center permission set assigned on request)"]);
        using var shared = new EnvironmentFiles();
        shared.Edit("prod", j => j["account"]!["humanRoles"]!["breakGlassPrincipals"] = j["account"]!["humanRoles"]!["adminPrincipals"]!.DeepClone()).Problems()
            .ShouldBe(["environments/prod.json: account.humanRoles.breakGlassPrincipals: \"arn:aws:iam::333344445555:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EasyPayPlatformAdmin_5b4c3d2e1f0a9b8c\" is also an everyday admin principal; break-glass needs an identity of its own"]);
    }
}
