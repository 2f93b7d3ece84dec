using EasyPay.Tf.Modules.Core;

namespace EasyPay.Tf.Modules.Network;

/// <summary>The three subnet tiers of the VPC.</summary>
public enum SubnetTier
{
    /// <summary>Internet-facing: the ALB and the NAT gateways.</summary>
    Public,
    /// <summary>Application: EKS nodes and pods (the VPC CNI gives every pod a VPC address, hence large).</summary>
    Private,
    /// <summary>Isolated data tier: Aurora and RDS Proxy; no route to the internet.</summary>
    Data,
}

/// <summary>One planned subnet.</summary>
public sealed record PlannedSubnet(SubnetTier Tier, int AzIndex, string AvailabilityZone, Ipv4Cidr Cidr);

/// <summary>Deterministic subnet layout, computed in C# (not from data sources) so snapshots are stable.
/// The VPC is cut in quarters: quarters 0-2 are the private subnets of AZ 0-2 (EKS pod IPs need room);
/// quarter 3 is cut in eighths: eighths 0-2 are public, 4-6 are data, 3 and 7 stay free for growth.
/// For a /16: private /18 (16,379 usable), public and data /21 (2,043 usable) per AZ.</summary>
public static class SubnetPlan
{
    public const int MinAzs = 2;
    public const int MaxAzs = 3;
    public const int MinVpcPrefix = 16; // the largest VPC AWS allows
    public const int MaxVpcPrefix = 20; // smaller VPCs leave too few pod IPs per AZ for EKS

    public static IReadOnlyList<PlannedSubnet> Compute(Ipv4Cidr vpc, IReadOnlyList<string> availabilityZones)
    {
        if (vpc.Prefix is < MinVpcPrefix or > MaxVpcPrefix)
        {
            throw new ArgumentException($"VPC CIDR {vpc} must have a prefix between /{MinVpcPrefix} and /{MaxVpcPrefix}");
        }
        if (availabilityZones.Count is < MinAzs or > MaxAzs)
        {
            throw new ArgumentException($"{availabilityZones.Count} availability zones given; the plan supports {MinAzs} to {MaxAzs}");
        }
        var quarterPrefix = vpc.Prefix + 2;
        var spare = vpc.Subnet(quarterPrefix, 3);
        var smallPrefix = spare.Prefix + 3;
        var plan = new List<PlannedSubnet>();
        for (var i = 0; i < availabilityZones.Count; i++)
        {
            var az = availabilityZones[i];
            plan.Add(new PlannedSubnet(SubnetTier.Public, i, az, spare.Subnet(smallPrefix, i)));
            plan.Add(new PlannedSubnet(SubnetTier.Private, i, az, vpc.Subnet(quarterPrefix, i)));
            plan.Add(new PlannedSubnet(SubnetTier.Data, i, az, spare.Subnet(smallPrefix, 4 + i)));
        }
        return plan;
    }
}
