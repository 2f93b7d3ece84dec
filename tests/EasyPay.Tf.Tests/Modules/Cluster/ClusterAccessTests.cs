using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class ClusterAccessTests
{
    private const string Role = "arn:aws:iam::123456789012:role/easypay-developer";

    [Fact]
    public void A_developer_is_mapped_to_a_group_without_any_cluster_wide_policy()
    {
        var json = ConstructSynth.Stack((stack, _) => new ClusterAccess(stack, "dev", new ClusterAccessProps("easypay-test", Role) { KubernetesGroups = ["easypay-developers"] }));
        var entry = json.Single("aws_eks_access_entry");
        (entry.Str("principal_arn"), entry.Str("type")).ShouldBe((Role, "STANDARD"));
        entry["kubernetes_groups"].Strings().ShouldBe(["easypay-developers"]);
        json.Resources("aws_eks_access_policy_association").ShouldBeEmpty();
    }

    [Fact]
    public void An_admin_gets_the_cluster_admin_policy_at_cluster_scope()
    {
        var json = ConstructSynth.Stack((stack, _) => new ClusterAccess(stack, "admin", new ClusterAccessProps("easypay-test", Role) { ClusterScopePolicy = ClusterAccess.ClusterAdminPolicy }));
        var association = json.Single("aws_eks_access_policy_association");
        association.Str("policy_arn").ShouldBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        association.Str("access_scope.type").ShouldBe("cluster");
        json.Single("aws_eks_access_entry")["kubernetes_groups"].ShouldBeNull();
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new ClusterAccess(stack, "x", new ClusterAccessProps("easypay-test", "arn:aws:iam::123456789012:user/alice") { KubernetesGroups = ["system:masters"] }))).Message;
        message.ShouldContain("ClusterAccessProps.PrincipalArn: 'arn:aws:iam::123456789012:user/alice' is not an IAM role ARN");
        message.ShouldContain("ClusterAccessProps.KubernetesGroups: 'system:masters' is empty or a reserved system: group");
        Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new ClusterAccess(stack, "x", new ClusterAccessProps("easypay-test", Role))))
            .Message.ShouldContain("ClusterAccessProps.KubernetesGroups: is empty and there is no ClusterScopePolicy");
    }
}
