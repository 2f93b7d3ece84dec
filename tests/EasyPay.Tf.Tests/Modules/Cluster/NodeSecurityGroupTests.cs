using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class NodeSecurityGroupTests
{
    private static JsonObject Synth() => ConstructSynth.Stack((stack, _) =>
        new NodeSecurityGroup(stack, "nodes", new NodeSecurityGroupProps("easypay-test-eks-nodes", "vpc-1", "sg-cluster", "sg-alb")));

    private static string SelfRef(JsonObject json) => $"${{aws_security_group.{json.Resources("aws_security_group").ShouldHaveSingleItem().Name}.id}}";

    [Fact]
    public void Nodes_accept_only_the_alb_on_the_app_port_the_control_plane_and_each_other()
    {
        var json = Synth();
        var self = SelfRef(json);
        var ingress = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body).ToList();
        ingress.ShouldAllBe(r => r["cidr_ipv4"] == null && r["description"] != null);
        ingress.Select(r => (r.Str("referenced_security_group_id"), r.Str("ip_protocol"), r.Str("from_port"))).ShouldBe(
            [
                ("sg-alb", "tcp", "8080"),
                ("sg-cluster", "tcp", "443"),
                ("sg-cluster", "tcp", "10250"),
                (self, "-1", null),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void The_alb_may_send_only_to_the_pods_and_nodes_may_reach_the_internet_through_nat()
    {
        var json = Synth();
        var egress = json.Resources("aws_vpc_security_group_egress_rule").Select(r => r.Body).ToList();
        var alb = egress.Single(r => r.Str("security_group_id") == "sg-alb");
        (alb.Str("from_port"), alb.Str("to_port"), alb.Str("referenced_security_group_id")).ShouldBe(("8080", "8080", SelfRef(json)));
        var nodes = egress.Single(r => r.Str("security_group_id") != "sg-alb");
        (nodes.Str("ip_protocol"), nodes.Str("cidr_ipv4")).ShouldBe(("-1", "0.0.0.0/0"));
    }
}
