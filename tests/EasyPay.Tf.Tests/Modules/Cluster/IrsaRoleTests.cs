using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class IrsaRoleTests
{
    private const string Issuer = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF";
    private const string ProviderArn = $"arn:aws:iam::123456789012:oidc-provider/{Issuer}";

    private static IrsaRoleProps Props(KubernetesServiceAccount? account = null) =>
        new("easypay-test-velero", ProviderArn, Issuer, account ?? new("velero", "velero-server"));

    private static JsonObject Synth(IrsaRoleProps props) => ConstructSynth.Stack((stack, _) => new IrsaRole(stack, "irsa", props));

    [Fact]
    public void Only_one_service_account_of_this_cluster_with_the_sts_audience_can_assume_the_role()
    {
        var trust = JsonNode.Parse(Synth(Props()).Single("aws_iam_role").Str("assume_role_policy")!)!;
        var statement = trust["Statement"]!.AsArray().ShouldHaveSingleItem()!;
        statement.Str("Effect").ShouldBe("Allow");
        statement.Str("Action").ShouldBe("sts:AssumeRoleWithWebIdentity");
        statement.Str("Principal.Federated").ShouldBe(ProviderArn);
        var equals = statement["Condition"]!["StringEquals"]!.AsObject();
        equals.Select(kv => (kv.Key, kv.Value!.ToString())).ShouldBe(
            [($"{Issuer}:sub", "system:serviceaccount:velero:velero-server"), ($"{Issuer}:aud", "sts.amazonaws.com")], ignoreOrder: true);
        statement["Condition"]!.AsObject().Count.ShouldBe(1); // StringEquals only: no StringLike wildcards
    }

    [Fact]
    public void Inline_statements_and_managed_policies_are_attached()
    {
        var json = Synth(Props() with
        {
            Statements = [new PolicyStatement("ReadBucket", ["s3:GetObject"], ["arn:aws:s3:::b/*"])],
            ManagedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
        });
        var policy = JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!;
        policy.Str("Statement.0.Action").ShouldBe("s3:GetObject");
        json.Single("aws_iam_role_policy_attachment").Str("policy_arn").ShouldBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
    }

    [Fact]
    public void A_role_without_permissions_gets_no_policy_resources()
    {
        var json = Synth(Props());
        json.Resources("aws_iam_role_policy").ShouldBeEmpty();
        json.Resources("aws_iam_role_policy_attachment").ShouldBeEmpty();
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new IrsaRoleProps(new string('r', 65), ProviderArn, "https://" + Issuer, new("Kube_System", "Bad Name"))
        {
            Statements = [new PolicyStatement("Everything", ["s3:*"], ["*"])],
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("IrsaRoleProps.Name: 'rrrr");
        message.ShouldContain("IrsaRoleProps.OidcIssuer: must not start with https://");
        message.ShouldContain("IrsaRoleProps.ServiceAccount.Namespace: 'Kube_System' is not a Kubernetes namespace name");
        message.ShouldContain("IrsaRoleProps.ServiceAccount.Name: 'Bad Name' is not a Kubernetes service account name");
        message.ShouldContain("IrsaRoleProps.Statements: statement Everything allows a whole service or every action");
    }
}
