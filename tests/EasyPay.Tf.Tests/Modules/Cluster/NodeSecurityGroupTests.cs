using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class NodeSecurityGroupTests
{
    private static readonly NodeEgress Egress = new("sg-endpoints", "pl-s3", "10.30.0.2/32", ["10.30.224.0/21", "10.30.232.0/21"])
    {
        DataPorts = [5432, 6379],
        Destinations = [new("provider-wallet", "203.0.113.128/27", 8443)],
    };

    private static JsonObject Synth(NodeEgress? egress = null) => ConstructSynth.Stack((stack, _) =>
        new NodeSecurityGroup(stack, "nodes", new NodeSecurityGroupProps("easypay-test-eks-nodes", "vpc-1", "sg-cluster", "sg-alb", egress ?? Egress)));

    private static string SelfRef(JsonObject json) => $"${{aws_security_group.{json.Resources("aws_security_group").ShouldHaveSingleItem().Name}.id}}";

    [Fact]
    public void Nodes_accept_only_the_alb_on_the_app_port_the_control_plane_and_each_other()
    {
        var json = Synth();
        var self = SelfRef(json);
        var ingress = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body).Where(r => r.Str("security_group_id") == self).ToList();
        ingress.ShouldAllBe(r => r["cidr_ipv4"] == null && r["description"] != null);
        // 5443: Calico API server; 9443: the Load Balancer Controller's and the CloudWatch operator's webhooks (NodeSecurityGroup.ControlPlanePorts names the chart sources).
        ingress.Select(r => (r.Str("referenced_security_group_id"), r.Str("ip_protocol"), r.Str("from_port"))).ShouldBe(
            [
                ("sg-alb", "tcp", "8080"),
                ("sg-cluster", "tcp", "443"),
                ("sg-cluster", "tcp", "5443"),
                ("sg-cluster", "tcp", "9443"),
                ("sg-cluster", "tcp", "10250"),
                (self, "-1", null),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void The_control_plane_admits_the_nodes_on_https_because_they_are_no_longer_members_of_its_group()
    {
        var json = Synth();
        var rule = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body).Single(r => r.Str("security_group_id") == "sg-cluster");
        (rule.Str("ip_protocol"), rule.Str("from_port"), rule.Str("to_port"), rule.Str("referenced_security_group_id")).ShouldBe(("tcp", "443", "443", SelfRef(json)));
    }

    [Fact]
    public void Nodes_dial_out_only_to_the_allowlist_and_to_the_internet_on_https_alone()
    {
        var json = Synth();
        var self = SelfRef(json);
        var egress = json.Resources("aws_vpc_security_group_egress_rule").Select(r => r.Body).Where(r => r.Str("security_group_id") == self).ToList();
        egress.Select(r => (r.Str("ip_protocol"), r.Str("from_port"), r.Str("referenced_security_group_id") ?? r.Str("prefix_list_id") ?? r.Str("cidr_ipv4"))).ShouldBe(
            [
                ("-1", null, self),
                ("tcp", "443", "sg-cluster"),
                ("tcp", "443", "sg-endpoints"),
                ("tcp", "443", "pl-s3"),
                ("udp", "53", "10.30.0.2/32"),
                ("tcp", "53", "10.30.0.2/32"),
                ("tcp", "5432", "10.30.224.0/21"),
                ("tcp", "6379", "10.30.224.0/21"),
                ("tcp", "5432", "10.30.232.0/21"),
                ("tcp", "6379", "10.30.232.0/21"),
                ("tcp", "8443", "203.0.113.128/27"),
                ("tcp", "443", "0.0.0.0/0"),
            ],
            ignoreOrder: true);
        egress.ShouldAllBe(r => r.Str("from_port") == r.Str("to_port") && r["description"] != null);
    }

    [Fact]
    public void The_alb_may_send_only_to_the_pods()
    {
        var json = Synth();
        var alb = json.Resources("aws_vpc_security_group_egress_rule").Select(r => r.Body).Single(r => r.Str("security_group_id") == "sg-alb");
        (alb.Str("from_port"), alb.Str("to_port"), alb.Str("referenced_security_group_id")).ShouldBe(("8080", "8080", SelfRef(json)));
    }

    [Fact]
    public void A_destination_of_the_whole_internet_or_a_resolver_that_is_not_one_address_is_refused()
    {
        Should.Throw<ArgumentException>(() => Synth(Egress with { Destinations = [new("anything", "0.0.0.0/0", 8443)] }))
            .Message.ShouldContain("0.0.0.0/0 is the whole internet");
        Should.Throw<ArgumentException>(() => Synth(Egress with { DnsServerCidr = "10.30.0.0/16" }))
            .Message.ShouldContain("Egress.DnsServerCidr");
        Should.Throw<ArgumentException>(() => Synth(Egress with { DataPorts = [] }))
            .Message.ShouldContain("Egress.DataPorts");
    }
}
