using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class AddonPoliciesTests
{
    private const string Account = ConstructSynth.AccountId;
    private static readonly Lazy<AwsEnvironment> Aws = new(() => ConstructSynth.Environment());

    private static IEnumerable<PolicyStatement> Mutating(IEnumerable<PolicyStatement> statements) =>
        statements.Where(s => s.Actions.Any(a => !a.Split(':')[1].StartsWith("Describe", StringComparison.Ordinal) && !a.Split(':')[1].StartsWith("Get", StringComparison.Ordinal)));

    public static TheoryData<string> Policies() => ["lbc", "autoscaler", "velero"];

    private static IReadOnlyList<PolicyStatement> Policy(string name) => name switch
    {
        "lbc" => AddonPolicies.LoadBalancerController(["arn:tg/frontend", "arn:tg/backend"], "sg-nodes", Aws.Value),
        "autoscaler" => AddonPolicies.ClusterAutoscaler("easypay-test", Aws.Value),
        _ => AddonPolicies.Velero("arn:aws:s3:::easypay-test-velero", "arn:key", Aws.Value),
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void No_wildcard_actions_and_every_change_is_scoped(string name)
    {
        var statements = Policy(name);
        statements.SelectMany(s => s.Actions).ShouldAllBe(a => !a.Contains('*'));
        Mutating(statements).ShouldAllBe(s => s.Resources!.All(r => r != "*"));
    }

    [Fact]
    public void The_load_balancer_controller_only_registers_targets_in_the_given_groups_and_opens_only_the_node_group()
    {
        var statements = Policy("lbc");
        statements.Single(s => s.Actions.Contains("elasticloadbalancing:RegisterTargets")).Resources.ShouldBe(["arn:tg/frontend", "arn:tg/backend"]);
        statements.Single(s => s.Actions.Contains("ec2:AuthorizeSecurityGroupIngress")).Resources
            .ShouldBe([$"arn:aws:ec2:eu-west-1:{Account}:security-group/sg-nodes"]);
        statements.SelectMany(s => s.Actions).ShouldNotContain("elasticloadbalancing:CreateLoadBalancer");
        statements.SelectMany(s => s.Actions).ShouldNotContain("elasticloadbalancing:DeleteTargetGroup");
    }

    [Fact]
    public void Cluster_autoscaler_may_resize_only_groups_tagged_for_this_cluster()
    {
        var scale = Policy("autoscaler").Single(s => s.Actions.Contains("autoscaling:SetDesiredCapacity"));
        scale.Actions.ShouldBe(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
        var equals = scale.Conditions!["StringEquals"];
        equals["aws:ResourceTag/k8s.io/cluster-autoscaler/easypay-test"].ShouldBe(["owned"]);
        equals["aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"].ShouldBe(["true"]);
    }

    [Fact]
    public void Velero_reads_and_writes_only_its_bucket_and_deletes_only_its_snapshots()
    {
        var statements = Policy("velero");
        statements.Where(s => s.Actions.Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).SelectMany(s => s.Resources!)
            .ShouldAllBe(r => r.StartsWith("arn:aws:s3:::easypay-test-velero", StringComparison.Ordinal));
        statements.Single(s => s.Actions.Contains("ec2:DeleteSnapshot")).Conditions!["Null"]["aws:ResourceTag/velero.io/backup"].ShouldBe(["false"]);
        statements.Single(s => s.Actions.Contains("ec2:CreateTags")).Conditions!["StringEquals"]["ec2:CreateAction"].ShouldBe(["CreateSnapshot", "CreateVolume"]);
    }
}
