using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Network;

namespace EasyPay.Tf.Tests.Modules.Network;

public class SubnetPlanTests
{
    private static readonly string[] ThreeAzs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    [Fact]
    public void A_slash_16_gets_large_private_subnets_and_small_public_and_data_subnets()
    {
        var plan = SubnetPlan.Compute(Ipv4Cidr.Parse("10.30.0.0/16"), ThreeAzs);
        string[] Cidrs(SubnetTier t) => [.. plan.Where(p => p.Tier == t).Select(p => p.Cidr.ToString())];
        Cidrs(SubnetTier.Private).ShouldBe(["10.30.0.0/18", "10.30.64.0/18", "10.30.128.0/18"]);
        Cidrs(SubnetTier.Public).ShouldBe(["10.30.192.0/21", "10.30.200.0/21", "10.30.208.0/21"]);
        Cidrs(SubnetTier.Data).ShouldBe(["10.30.224.0/21", "10.30.232.0/21", "10.30.240.0/21"]);
        plan.Where(p => p.Tier == SubnetTier.Private).Select(p => p.AvailabilityZone).ShouldBe(ThreeAzs);
    }

    [Theory]
    [InlineData("10.0.0.0/16", 3)]
    [InlineData("10.10.0.0/18", 2)]
    [InlineData("172.16.0.0/20", 3)]
    [InlineData("192.168.16.0/20", 2)]
    public void Subnets_never_overlap_and_stay_inside_the_vpc(string vpcCidr, int azCount)
    {
        var vpc = Ipv4Cidr.Parse(vpcCidr);
        var plan = SubnetPlan.Compute(vpc, ThreeAzs[..azCount]);
        plan.Count.ShouldBe(3 * azCount);
        plan.ShouldAllBe(p => vpc.Contains(p.Cidr));
        for (var i = 0; i < plan.Count; i++)
        {
            for (var j = i + 1; j < plan.Count; j++)
            {
                plan[i].Cidr.Overlaps(plan[j].Cidr).ShouldBeFalse($"{plan[i]} overlaps {plan[j]}");
            }
        }
        var privateSize = plan.First(p => p.Tier == SubnetTier.Private).Cidr.Size;
        privateSize.ShouldBe(vpc.Size / 4); // a quarter of the VPC per AZ for pod IPs
    }

    [Fact]
    public void The_plan_is_deterministic()
    {
        var a = SubnetPlan.Compute(Ipv4Cidr.Parse("10.20.0.0/17"), ThreeAzs);
        var b = SubnetPlan.Compute(Ipv4Cidr.Parse("10.20.0.0/17"), ThreeAzs);
        a.ShouldBe(b);
    }

    [Theory]
    [InlineData("10.0.0.0/21", 3, "must have a prefix between /16 and /20")]
    [InlineData("10.0.0.0/16", 1, "1 availability zones given; the plan supports 2 to 3")]
    public void Unsupported_inputs_are_rejected(string vpcCidr, int azCount, string message)
    {
        Should.Throw<ArgumentException>(() => SubnetPlan.Compute(Ipv4Cidr.Parse(vpcCidr), ThreeAzs[..azCount]))
            .Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.0.0/16", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0/16", false)]
    [InlineData("0.0.0.0/0", "192.168.1.0/24", true)]
    public void Cidr_containment(string outer, string inner, bool contains) =>
        Ipv4Cidr.Parse(outer).Contains(Ipv4Cidr.Parse(inner)).ShouldBe(contains);
}
