using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Network;

public class DataTierAclTests
{
    private static readonly SubnetRef[] Data =
    [
        new("subnet-d0", "10.30.224.0/21", "eu-west-1a", SubnetTier.Data),
        new("subnet-d1", "10.30.232.0/21", "eu-west-1b", SubnetTier.Data),
    ];

    private static readonly string[] Clients = ["10.30.0.0/18", "10.30.64.0/18"];

    private static DataTierAclProps Props(params DataPort[] ports) =>
        new("easypay-test", "vpc-1", Data, Clients, ports.Length == 0 ? [new("postgresql", 5432)] : ports);

    private static JsonObject Synth(DataTierAclProps props) => ConstructSynth.Stack((stack, _) => new DataTierAcl(stack, "acl", props));

    /// <summary>(egress, rule number, cidr, from-to) of every rule; all are TCP allows.</summary>
    private static List<(bool Egress, int Number, string Cidr, string Ports)> Rules(JsonObject json)
    {
        var rules = json.Resources("aws_network_acl_rule").Select(r => r.Body).ToList();
        rules.ShouldAllBe(r => r.Str("protocol") == "tcp" && r.Str("rule_action") == "allow");
        return [.. rules.Select(r => (r.Str("egress") == "true", int.Parse(r.Str("rule_number")!, System.Globalization.CultureInfo.InvariantCulture), r.Str("cidr_block")!, $"{r.Str("from_port")}-{r.Str("to_port")}"))];
    }

    [Fact]
    public void Every_data_subnet_joins_the_acl_only_after_all_its_rules_exist_and_the_acl_has_no_inline_rules()
    {
        var json = Synth(Props());
        var acl = json.Resources("aws_network_acl").ShouldHaveSingleItem().Body;
        acl["subnet_ids"].ShouldBeNull();
        acl["ingress"].ShouldBeNull();
        acl["egress"].ShouldBeNull();
        var rules = json.Resources("aws_network_acl_rule").Select(r => $"aws_network_acl_rule.{r.Name}").ToList();
        var associations = json.Resources("aws_network_acl_association").Select(a => a.Body).ToList();
        associations.Select(a => a.Str("subnet_id")).ShouldBe(["subnet-d0", "subnet-d1"]);
        // an ACL without its rules denies everything: a subnet moved onto it early would be cut off
        associations.ShouldAllBe(a => rules.All(r => a["depends_on"]!.AsArray().Select(d => d!.ToString()).Contains(r)));
    }

    [Fact]
    public void In_only_the_data_port_from_the_clients_and_the_tier_and_return_traffic_from_the_tier_out_only_return_traffic_and_the_port_within_the_tier()
    {
        Rules(Synth(Props())).ShouldBe(
            [
                (false, 100, "10.30.0.0/18", "5432-5432"),
                (false, 101, "10.30.64.0/18", "5432-5432"),
                (false, 200, "10.30.224.0/21", "5432-5432"),
                (false, 201, "10.30.232.0/21", "5432-5432"),
                (false, 900, "10.30.224.0/21", "1024-65535"),
                (false, 901, "10.30.232.0/21", "1024-65535"),
                (true, 100, "10.30.0.0/18", "1024-65535"),
                (true, 101, "10.30.64.0/18", "1024-65535"),
                (true, 200, "10.30.224.0/21", "5432-5432"),
                (true, 201, "10.30.232.0/21", "5432-5432"),
                (true, 900, "10.30.224.0/21", "1024-65535"),
                (true, 901, "10.30.232.0/21", "1024-65535"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void A_second_data_port_appended_adds_rules_and_keeps_the_numbers_of_the_first()
    {
        var one = Rules(Synth(Props()));
        var two = Rules(Synth(Props(new("postgresql", 5432), new("redis", 6379))));
        one.ShouldBeSubsetOf(two);
        two.Except(one).ShouldBe(
            [
                (false, 110, "10.30.0.0/18", "6379-6379"),
                (false, 111, "10.30.64.0/18", "6379-6379"),
                (false, 210, "10.30.224.0/21", "6379-6379"),
                (false, 211, "10.30.232.0/21", "6379-6379"),
                (true, 210, "10.30.224.0/21", "6379-6379"),
                (true, 211, "10.30.232.0/21", "6379-6379"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void A_port_listed_twice_or_more_rules_than_an_acl_holds_are_refused()
    {
        Should.Throw<ArgumentException>(() => Synth(Props(new("postgresql", 5432), new("again", 5432))))
            .Message.ShouldContain("lists a port twice");
        var many = Enumerable.Range(0, 6).Select(i => new DataPort($"p{i}", 5432 + i)).ToArray();
        Should.Throw<ArgumentException>(() => Synth(Props(many)))
            .Message.ShouldContain("an ACL holds 20 per direction");
    }
}
