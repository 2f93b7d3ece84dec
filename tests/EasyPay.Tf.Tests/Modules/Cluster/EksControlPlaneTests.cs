using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class EksControlPlaneTests
{
    private static EksControlPlaneProps Props(params string[] cidrs) =>
        new("easypay-test", "1.33", ["subnet-a", "subnet-b", "subnet-c"], cidrs.Length == 0 ? ["203.0.113.0/24"] : cidrs);

    private static JsonObject Synth(EksControlPlaneProps props) => ConstructSynth.Stack((stack, _) => new EksControlPlane(stack, "eks", props));

    [Fact]
    public void The_api_endpoint_is_private_and_public_only_for_the_given_cidrs()
    {
        var vpc = Synth(Props("203.0.113.0/24", "198.51.100.0/24")).Single("aws_eks_cluster")["vpc_config"]!;
        vpc.Str("endpoint_private_access").ShouldBe("true");
        vpc.Str("endpoint_public_access").ShouldBe("true");
        vpc["public_access_cidrs"].Strings().ShouldBe(["203.0.113.0/24", "198.51.100.0/24"]);
        vpc["subnet_ids"].Strings().ShouldBe(["subnet-a", "subnet-b", "subnet-c"]);
    }

    [Fact]
    public void An_endpoint_open_to_the_internet_is_rejected_unless_explicitly_allowed()
    {
        Should.Throw<ArgumentException>(() => Synth(Props("0.0.0.0/0"))).Message
            .ShouldContain("EksControlPlaneProps.PublicAccessCidrs: 0.0.0.0/0 opens the Kubernetes API to the internet");
        Synth(Props("0.0.0.0/0") with { AllowPublicAccessFromAnywhere = true })
            .Single("aws_eks_cluster")["vpc_config"]!["public_access_cidrs"].Strings().ShouldBe(["0.0.0.0/0"]);
    }

    [Fact]
    public void An_empty_or_malformed_cidr_list_is_rejected()
    {
        Should.Throw<ArgumentException>(() => Synth(Props() with { PublicAccessCidrs = [] })).Message
            .ShouldContain("EksControlPlaneProps.PublicAccessCidrs: is empty, which EKS reads as 0.0.0.0/0");
        Should.Throw<ArgumentException>(() => Synth(Props("203.0.113.5/24"))).Message
            .ShouldContain("EksControlPlaneProps.PublicAccessCidrs: '203.0.113.5/24' has host bits set");
    }

    [Fact]
    public void Secrets_are_envelope_encrypted_with_a_rotating_customer_managed_key()
    {
        var json = Synth(Props());
        var cluster = json.Single("aws_eks_cluster");
        cluster["encryption_config"]!["resources"].Strings().ShouldBe(["secrets"]);
        var keyRef = cluster.Str("encryption_config.provider.key_arn")!;
        var key = json.Resources("aws_kms_key").Single(k => keyRef.Contains(k.Name, StringComparison.Ordinal)).Body;
        key.Str("enable_key_rotation").ShouldBe("true");
        key.Str("description")!.ShouldContain("Kubernetes secrets");
        // the cluster role may use exactly that key
        var access = JsonNode.Parse(json.Single("aws_iam_role_policy").Str("policy")!)!;
        access.Str("Statement.0.Resource").ShouldBe(keyRef);
        access["Statement"]![0]!["Action"].Strings().ShouldNotContain("kms:*");
    }

    [Fact]
    public void All_control_plane_logs_go_to_an_encrypted_log_group_created_before_the_cluster()
    {
        var json = Synth(Props() with { LogRetentionDays = 90 });
        var cluster = json.Single("aws_eks_cluster");
        cluster["enabled_cluster_log_types"].Strings().ShouldBe(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        var group = json.Resources("aws_cloudwatch_log_group").ShouldHaveSingleItem();
        group.Body.Str("name").ShouldBe("/aws/eks/easypay-test/cluster");
        group.Body.Str("retention_in_days").ShouldBe("90");
        group.Body.Str("kms_key_id")!.ShouldStartWith("${aws_kms_key.");
        cluster["depends_on"].Strings().ShouldContain($"aws_cloudwatch_log_group.{group.Name}");
    }

    [Fact]
    public void Access_is_by_explicit_access_entries_only_and_irsa_gets_an_oidc_provider()
    {
        var json = Synth(Props());
        var cluster = json.Single("aws_eks_cluster");
        cluster.Str("access_config.authentication_mode").ShouldBe("API");
        cluster.Str("access_config.bootstrap_cluster_creator_admin_permissions").ShouldBe("false");
        cluster.Str("version").ShouldBe("1.33");
        cluster.Str("deletion_protection").ShouldBe("true");
        // EKS API UpgradePolicyRequest.supportType: STANDARD | EXTENDED; unset, EKS puts the cluster on EXTENDED.
        cluster.Str("upgrade_policy.support_type").ShouldBe("STANDARD");
        Synth(Props() with { SupportType = EksSupportType.Extended }).Single("aws_eks_cluster").Str("upgrade_policy.support_type").ShouldBe("EXTENDED");
        var oidc = json.Single("aws_iam_openid_connect_provider");
        oidc.Str("url")!.ShouldContain(".identity[0].oidc[0].issuer");
        oidc["client_id_list"].Strings().ShouldBe(["sts.amazonaws.com"]);
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new EksControlPlaneProps("easypay test", "1.33.2", ["subnet-a"], ["203.0.113.0/24"])
        {
            LogRetentionDays = 42,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("EksControlPlaneProps.Name: 'easypay test' is not a valid EKS cluster name");
        message.ShouldContain("EksControlPlaneProps.KubernetesVersion: '1.33.2' is not a pinned Kubernetes minor version");
        message.ShouldContain("EksControlPlaneProps.SubnetIds: EKS needs subnets in at least two AZs");
        message.ShouldContain("EksControlPlaneProps.LogRetentionDays: 42 is not a CloudWatch Logs retention period");
    }
}
