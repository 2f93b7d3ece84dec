using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Security;

public class KeyGovernanceTests
{
    private const string Deployer = "arn:aws:iam::123456789012:role/easypay-test-tfc-database";
    private const string BreakGlass = "arn:aws:iam::123456789012:role/easypay-test-break-glass";

    private static Dictionary<string, JsonNode> Statements(KeyGovernanceProps? governance)
    {
        var json = ConstructSynth.Stack((stack, aws) =>
        {
            if (governance is not null)
            {
                _ = new KeyGovernance(stack, governance);
            }
            _ = new EncryptionKey(stack, "key", new EncryptionKeyProps("easypay-test", "test"));
        });
        var policy = JsonNode.Parse(json.Single("aws_kms_key").Str("policy")!)!;
        return policy["Statement"]!.AsArray().ToDictionary(s => s!.Str("Sid")!, s => s!);
    }

    [Fact]
    public void Without_governance_a_key_has_the_aws_default_policy()
    {
        // KMS developer guide, "Default key policy": the account root with kms:* lets IAM policies decide.
        var statements = Statements(null);
        statements.Keys.ShouldBe(["EnableIamPolicies"]);
        statements["EnableIamPolicies"].Str("Action").ShouldBe("kms:*");
    }

    [Fact]
    public void With_administrators_iam_grants_use_only_and_administration_goes_to_the_named_roles()
    {
        var statements = Statements(new KeyGovernanceProps { Administrators = [Deployer, BreakGlass], BreakGlass = [BreakGlass] });
        var root = statements["EnableIamPolicies"];
        root["Action"].Strings().ShouldNotContain("kms:*");
        root["Action"].Strings().ShouldNotContain("kms:PutKeyPolicy");
        root["Action"].Strings().ShouldNotContain("kms:ScheduleKeyDeletion");
        root["Action"].Strings().ShouldContain("kms:CreateGrant"); // services (EBS, RDS, EKS) create grants as the caller
        var admins = statements["AllowKeyAdministrators"];
        admins["Action"].Strings().ShouldContain("kms:Put*");
        // By aws:PrincipalArn on the account root: KMS rejects a policy naming a role that does not exist yet.
        admins.Str("Principal.AWS").ShouldBe("arn:aws:iam::123456789012:root");
        admins["Condition"]!["ArnEquals"]!["aws:PrincipalArn"].Strings().ShouldBe([Deployer, BreakGlass]);
        statements.Keys.ShouldNotContain("DenyKeyDeletionExceptBreakGlass");
    }

    [Fact]
    public void Protected_keys_deny_deletion_to_all_but_break_glass_and_policy_changes_to_all_but_the_administrators()
    {
        var statements = Statements(new KeyGovernanceProps { Administrators = [Deployer, BreakGlass], BreakGlass = [BreakGlass], ProtectFromDeletion = true });
        var deletion = statements["DenyKeyDeletionExceptBreakGlass"];
        (deletion.Str("Effect"), deletion.Str("Action"), deletion.Str("Principal.AWS")).ShouldBe(("Deny", "kms:ScheduleKeyDeletion", "*"));
        deletion["Condition"]!["ArnNotEquals"]!["aws:PrincipalArn"]!.ToString().ShouldBe(BreakGlass);
        // The deployer stays excepted from the PutKeyPolicy deny: Terraform updates the policy with it, and KMS's
        // lockout check rejects a policy that would stop the caller from changing it again.
        statements["DenyPolicyChangesExceptAdministrators"]["Condition"]!["ArnNotEquals"]!["aws:PrincipalArn"].Strings().ShouldBe([Deployer, BreakGlass]);
    }

    [Fact]
    public void Protection_without_known_administrators_still_denies_deletion_but_keeps_iam_in_charge()
    {
        var statements = Statements(new KeyGovernanceProps { BreakGlass = [BreakGlass], ProtectFromDeletion = true });
        statements["EnableIamPolicies"].Str("Action").ShouldBe("kms:*");
        statements.Keys.ShouldContain("DenyKeyDeletionExceptBreakGlass");
        statements.Keys.ShouldNotContain("DenyPolicyChangesExceptAdministrators");
    }

    [Fact]
    public void Invalid_governance_is_rejected()
    {
        var message = Should.Throw<ArgumentException>(() => Statements(new KeyGovernanceProps { Administrators = [Deployer, "*"], ProtectFromDeletion = true })).Message;
        message.ShouldContain("KeyGovernanceProps.BreakGlass: is empty while ProtectFromDeletion is on");
        message.ShouldContain("KeyGovernanceProps.Administrators: '*' is not an IAM role ARN");
        Should.Throw<ArgumentException>(() => Statements(new KeyGovernanceProps { Administrators = [Deployer], BreakGlass = [BreakGlass] }))
            .Message.ShouldContain("must include every BreakGlass role");
    }
}
