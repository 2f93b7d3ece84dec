using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using HashiCorp.Cdktf.Providers.Aws.DefaultSecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.Eip;
using HashiCorp.Cdktf.Providers.Aws.InternetGateway;
using HashiCorp.Cdktf.Providers.Aws.NatGateway;
using HashiCorp.Cdktf.Providers.Aws.Route;
using HashiCorp.Cdktf.Providers.Aws.RouteTable;
using HashiCorp.Cdktf.Providers.Aws.RouteTableAssociation;
using HashiCorp.Cdktf.Providers.Aws.Subnet;
using HashiCorp.Cdktf.Providers.Aws.Vpc;

namespace EasyPay.Tf.Modules.Network;

/// <summary>How many NAT gateways the VPC gets.</summary>
public enum NatGatewayMode
{
    /// <summary>One per AZ: losing an AZ does not cut the others off the internet (production).</summary>
    PerAz,
    /// <summary>One in the first AZ, shared: cheap, but a single point of failure (development).</summary>
    Single,
}

/// <summary>Props of <see cref="MultiAzVpc"/>.</summary>
/// <param name="Name">Name prefix of every resource, e.g. "easypay-prod".</param>
/// <param name="Cidr">VPC CIDR, /16 to /20.</param>
/// <param name="AvailabilityZones">Two or three AZ names of the stack's region.</param>
public sealed record MultiAzVpcProps(string Name, string Cidr, IReadOnlyList<string> AvailabilityZones)
{
    /// <summary>@default <see cref="NatGatewayMode.PerAz"/></summary>
    public NatGatewayMode NatGateways { get; init; } = NatGatewayMode.PerAz;

    /// <summary>Interface endpoints keep image pulls, STS, logs and secrets traffic off the NAT gateways
    /// (cost, and no internet path for it). About 7 USD per endpoint and AZ a month: switch off where cheap matters.
    /// @default true</summary>
    public bool InterfaceEndpoints { get; init; } = true;

    /// <summary>Services of the interface endpoints ("ecr.api" for com.amazonaws.REGION.ecr.api).
    /// @default <see cref="DefaultInterfaceEndpointServices"/></summary>
    public IReadOnlyList<string> InterfaceEndpointServices { get; init; } = DefaultInterfaceEndpointServices;

    /// <summary>@default 365</summary>
    public int FlowLogRetentionDays { get; init; } = 365;

    /// <summary>When set, subnets carry kubernetes.io/cluster/NAME=shared for load balancer discovery.
    /// @default null</summary>
    public string? KubernetesClusterName { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the flow log key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    public static readonly IReadOnlyList<string> DefaultInterfaceEndpointServices =
        ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"];
}

/// <summary>A subnet as created.</summary>
public sealed record SubnetRef(string Id, string Cidr, string AvailabilityZone, SubnetTier Tier);

/// <summary>A VPC over 2-3 AZs with public, private (application) and isolated data subnets, an internet
/// gateway, NAT per AZ or single, one route table per tier (private: per AZ), KMS-encrypted flow logs,
/// the default security group stripped of rules, an S3 gateway endpoint and optional interface endpoints, each
/// with a policy that admits this account only.</summary>
public sealed partial class MultiAzVpc : Construct
{
    public string VpcId { get; }
    public string VpcCidr { get; }
    public IReadOnlyList<string> AvailabilityZones { get; }
    public IReadOnlyList<SubnetRef> PublicSubnets { get; }
    public IReadOnlyList<SubnetRef> PrivateSubnets { get; }
    public IReadOnlyList<SubnetRef> DataSubnets { get; }
    public IReadOnlyList<string> NatGatewayIds { get; }
    public string FlowLogGroupName { get; }
    public string? EndpointSecurityGroupId { get; }
    /// <summary>The S3 gateway endpoint's prefix list (pl-...), for security group egress rules to S3.</summary>
    public string S3PrefixListId { get; }

    public MultiAzVpc(Construct scope, string id, MultiAzVpcProps props) : base(scope, id)
    {
        Validate(props);
        var cidr = Ipv4Cidr.Parse(props.Cidr);
        var plan = SubnetPlan.Compute(cidr, props.AvailabilityZones);

        var vpc = new Vpc(this, "vpc", new VpcConfig
        {
            CidrBlock = props.Cidr,
            EnableDnsSupport = true,
            EnableDnsHostnames = true, // interface endpoints' private DNS and EKS need it
            Tags = NameTag($"{props.Name}-vpc"),
        });

        // Adopting the default security group removes its allow-all rules: nothing can use it by accident.
        new DefaultSecurityGroup(this, "default-sg", new DefaultSecurityGroupConfig
        {
            VpcId = vpc.Id,
            Tags = NameTag($"{props.Name}-default-do-not-use"),
        });

        var igw = new InternetGateway(this, "igw", new InternetGatewayConfig
        {
            VpcId = vpc.Id,
            Tags = NameTag($"{props.Name}-igw"),
        });

        var subnets = new Dictionary<(SubnetTier, int), Subnet>();
        foreach (var s in plan)
        {
            var tier = s.Tier.ToString().ToLowerInvariant();
            var tags = NameTag($"{props.Name}-{tier}-{s.AvailabilityZone}");
            tags["Tier"] = tier;
            if (s.Tier == SubnetTier.Public)
            {
                tags["kubernetes.io/role/elb"] = "1";
            }
            if (s.Tier == SubnetTier.Private)
            {
                tags["kubernetes.io/role/internal-elb"] = "1";
            }
            if (props.KubernetesClusterName is not null && s.Tier != SubnetTier.Data)
            {
                tags[$"kubernetes.io/cluster/{props.KubernetesClusterName}"] = "shared";
            }
            subnets[(s.Tier, s.AzIndex)] = new Subnet(this, $"{tier}-{s.AzIndex}", new SubnetConfig
            {
                VpcId = vpc.Id,
                CidrBlock = s.Cidr.ToString(),
                AvailabilityZone = s.AvailabilityZone,
                MapPublicIpOnLaunch = false, // nothing gets a public IP implicitly; the ALB and NAT have their own
                Tags = tags,
            });
        }

        // Public tier: one route table, default route to the internet gateway.
        var publicRt = RouteTable("public", vpc.Id, props.Name);
        new Route(this, "public-default", new RouteConfig
        {
            RouteTableId = publicRt.Id,
            DestinationCidrBlock = "0.0.0.0/0",
            GatewayId = igw.Id,
        });

        // NAT gateways in the public subnets.
        var natCount = props.NatGateways == NatGatewayMode.PerAz ? props.AvailabilityZones.Count : 1;
        var nats = new List<NatGateway>();
        for (var i = 0; i < natCount; i++)
        {
            var az = props.AvailabilityZones[i];
            var eip = new Eip(this, $"nat-eip-{i}", new EipConfig
            {
                Domain = "vpc",
                Tags = NameTag($"{props.Name}-nat-{az}"),
            });
            nats.Add(new NatGateway(this, $"nat-{i}", new NatGatewayConfig
            {
                AllocationId = eip.AllocationId,
                SubnetId = subnets[(SubnetTier.Public, i)].Id,
                Tags = NameTag($"{props.Name}-nat-{az}"),
                DependsOn = [igw],
            }));
        }

        // Private tier: a route table per AZ, default route to the NAT in the same AZ (or the single NAT).
        var privateRts = new List<RouteTable>();
        for (var i = 0; i < props.AvailabilityZones.Count; i++)
        {
            var rt = RouteTable($"private-{i}", vpc.Id, props.Name, props.AvailabilityZones[i]);
            new Route(this, $"private-{i}-default", new RouteConfig
            {
                RouteTableId = rt.Id,
                DestinationCidrBlock = "0.0.0.0/0",
                NatGatewayId = nats[Math.Min(i, nats.Count - 1)].Id,
            });
            privateRts.Add(rt);
        }

        // Data tier: one route table with the local route only; no path to or from the internet.
        var dataRt = RouteTable("data", vpc.Id, props.Name);

        foreach (var s in plan)
        {
            var rt = s.Tier switch
            {
                SubnetTier.Public => publicRt,
                SubnetTier.Private => privateRts[s.AzIndex],
                _ => dataRt,
            };
            new RouteTableAssociation(this, $"{s.Tier.ToString().ToLowerInvariant()}-{s.AzIndex}-association", new RouteTableAssociationConfig
            {
                SubnetId = subnets[(s.Tier, s.AzIndex)].Id,
                RouteTableId = rt.Id,
            });
        }

        FlowLogGroupName = CreateFlowLogs(props, vpc.Id);

        (EndpointSecurityGroupId, S3PrefixListId) = CreateEndpoints(props, vpc.Id, [.. privateRts.Select(r => r.Id), dataRt.Id],
            [.. props.AvailabilityZones.Select((_, i) => subnets[(SubnetTier.Private, i)].Id)]);

        VpcId = vpc.Id;
        VpcCidr = props.Cidr;
        AvailabilityZones = props.AvailabilityZones;
        PublicSubnets = Refs(SubnetTier.Public);
        PrivateSubnets = Refs(SubnetTier.Private);
        DataSubnets = Refs(SubnetTier.Data);
        NatGatewayIds = [.. nats.Select(n => n.Id)];

        IReadOnlyList<SubnetRef> Refs(SubnetTier tier) =>
            [.. plan.Where(p => p.Tier == tier).Select(p => new SubnetRef(subnets[(tier, p.AzIndex)].Id, p.Cidr.ToString(), p.AvailabilityZone, tier))];
    }

    private RouteTable RouteTable(string id, string vpcId, string name, string? az = null) =>
        new(this, $"{id}-rt", new RouteTableConfig
        {
            VpcId = vpcId,
            Tags = NameTag(az is null ? $"{name}-{id}" : $"{name}-{id.Split('-')[0]}-{az}"),
        });

    private static Dictionary<string, string> NameTag(string name) => new() { ["Name"] = name };

    private void Validate(MultiAzVpcProps props)
    {
        var region = AwsEnvironment.Of(this).Region;
        var v = new PropsValidator(nameof(MultiAzVpcProps));
        v.CheckNotEmpty(props.Name, nameof(props.Name));
        v.CheckCidr(props.Cidr, nameof(props.Cidr));
        if (Ipv4Cidr.TryParse(props.Cidr, out var cidr, out _))
        {
            v.Check(cidr.Prefix is >= SubnetPlan.MinVpcPrefix and <= SubnetPlan.MaxVpcPrefix, nameof(props.Cidr),
                $"{props.Cidr} must have a prefix between /{SubnetPlan.MinVpcPrefix} and /{SubnetPlan.MaxVpcPrefix}");
        }
        var azs = props.AvailabilityZones ?? [];
        v.Check(azs.Count is >= SubnetPlan.MinAzs and <= SubnetPlan.MaxAzs, nameof(props.AvailabilityZones),
            $"{azs.Count} given; EKS and Aurora need at least {SubnetPlan.MinAzs}, the subnet plan supports at most {SubnetPlan.MaxAzs}");
        v.Check(azs.Distinct().Count() == azs.Count, nameof(props.AvailabilityZones), "contains duplicates");
        foreach (var az in azs.Where(a => !a.StartsWith(region, StringComparison.Ordinal)))
        {
            v.Check(false, nameof(props.AvailabilityZones), $"'{az}' is not in the stack's region {region}");
        }
        v.Check(LogRetention.IsAllowed(props.FlowLogRetentionDays), nameof(props.FlowLogRetentionDays), LogRetention.Problem(props.FlowLogRetentionDays));
        v.Check(!props.InterfaceEndpoints || props.InterfaceEndpointServices.Count > 0, nameof(props.InterfaceEndpointServices),
            "is empty while InterfaceEndpoints is on: name the services or switch InterfaceEndpoints off");
        v.ThrowIfInvalid();
    }
}
