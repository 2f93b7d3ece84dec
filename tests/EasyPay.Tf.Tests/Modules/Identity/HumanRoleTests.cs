using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Identity;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Identity;

public class HumanRoleTests
{
    private const string SsoRole = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef";

    private static JsonArray Trust(params string[] principals)
    {
        var json = ConstructSynth.Stack((stack, _) => new HumanRole(stack, "role", new HumanRoleProps("easypay-test-admin", "test", principals)));
        return JsonNode.Parse(json.Single("aws_iam_role").Str("assume_role_policy")!)!["Statement"]!.AsArray();
    }

    [Fact]
    public void Roles_are_trusted_by_principal_arn_on_their_account_so_a_recreated_role_keeps_access()
    {
        var statement = Trust(SsoRole, "arn:aws:iam::210987654321:user/alice").ShouldHaveSingleItem()!;
        // IAM global condition keys: aws:PrincipalArn is the ARN of the role (not the session) or user making the request.
        statement["Principal"]!["AWS"].Strings().ShouldBe(["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root"]);
        statement["Condition"]!["ArnEquals"]!["aws:PrincipalArn"].Strings().ShouldBe([SsoRole, "arn:aws:iam::210987654321:user/alice"]);
        statement["Action"].Strings().ShouldBe(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]);
    }

    [Fact]
    public void An_account_root_may_assume_only_with_mfa()
    {
        var statements = Trust(SsoRole, "arn:aws:iam::210987654321:root");
        statements.Count.ShouldBe(2);
        var root = statements.Single(s => s!.Str("Sid") == "AssumeWithMfa")!;
        root.Str("Principal.AWS").ShouldBe("arn:aws:iam::210987654321:root");
        // aws:MultiFactorAuthPresent is true only for MFA-authenticated long-term credentials (IAM user guide).
        root.Str("Condition.Bool.aws:MultiFactorAuthPresent").ShouldBe("true");
    }

    [Fact]
    public void Wildcards_services_and_sessions_are_not_principals_and_every_problem_is_reported()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new HumanRole(stack, "role",
            new HumanRoleProps("bad name", "test", ["*", "ec2.amazonaws.com", "arn:aws:sts::123456789012:assumed-role/a/b"]) { MaxSessionHours = 13 }))).Message;
        message.ShouldContain("Invalid HumanRoleProps (5 problem(s))");
        message.ShouldContain("HumanRoleProps.Name: 'bad name' is not an IAM role name");
        message.ShouldContain("HumanRoleProps.TrustedPrincipals: '*' is not an IAM role, user or account-root ARN");
        message.ShouldContain("HumanRoleProps.MaxSessionHours: 13 is outside 1-12 hours");
    }
}
