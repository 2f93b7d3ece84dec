using Constructs;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>What the network stack gives the stacks that depend on it. Ids are Terraform tokens (each
/// becomes an output here and a remote-state lookup in the consumer); CIDRs and AZs are plain strings
/// computed at synth time, so consumers get them without any lookup.</summary>
public sealed record NetworkOutputs
{
    public required string VpcId { get; init; }

    /// <summary>Known at synth time.</summary>
    public required string VpcCidr { get; init; }

    /// <summary>Known at synth time; every per-AZ list below is in this order.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>The ALB's subnets.</summary>
    public required IReadOnlyList<string> PublicSubnetIds { get; init; }

    /// <summary>Nodes and pods.</summary>
    public required IReadOnlyList<string> PrivateSubnetIds { get; init; }

    /// <summary>Isolated: Aurora and RDS Proxy.</summary>
    public required IReadOnlyList<string> DataSubnetIds { get; init; }

    /// <summary>Known at synth time.</summary>
    public required IReadOnlyList<string> PublicSubnetCidrs { get; init; }

    /// <summary>Known at synth time.</summary>
    public required IReadOnlyList<string> PrivateSubnetCidrs { get; init; }

    /// <summary>Known at synth time.</summary>
    public required IReadOnlyList<string> DataSubnetCidrs { get; init; }

    public required IReadOnlyList<string> NatGatewayIds { get; init; }

    /// <summary>Security group of the interface endpoints (every environment has some: PlatformContract.AppAwsServices).</summary>
    public required string EndpointSecurityGroupId { get; init; }

    /// <summary>Prefix list of the S3 gateway endpoint, for egress rules to S3.</summary>
    public required string S3PrefixListId { get; init; }
}

/// <summary>&lt;env&gt;-network: the multi-AZ VPC everything else runs in.</summary>
public sealed class NetworkStack : EasyPayStack
{
    public const string Name = "network";

    /// <summary>Address of the EC2 Auto Scaling service-linked role this stack created before the account stack
    /// took it over: forgotten here, never destroyed (a running environment's nodes use it). Keep until every
    /// environment has applied this release once; docs/terraform-cloud.md, "Upgrading a running environment".</summary>
    public const string MovedServiceLinkedRoleAddress = "aws_iam_service_linked_role.service-linked-role-autoscaling_role_453626B1";

    public NetworkOutputs Outputs { get; }

    public NetworkStack(Construct scope, EnvironmentConfig env) : base(scope, env, Name)
    {
        var vpc = new MultiAzVpc(this, "vpc", new MultiAzVpcProps(Prefix, env.Network.VpcCidr, env.AvailabilityZones)
        {
            NatGateways = env.Network.NatGateways,
            // network.interfaceEndpoints adds the nodes' endpoints (ECR, logs, Secrets Manager); the app's (STS) are
            // there in every environment so its egress policy is the same everywhere.
            InterfaceEndpoints = true,
            InterfaceEndpointServices = env.Network.InterfaceEndpoints
                ? [.. MultiAzVpcProps.DefaultInterfaceEndpointServices.Union(PlatformContract.AppAwsServices, StringComparer.Ordinal)]
                : PlatformContract.AppAwsServices,
            FlowLogRetentionDays = env.LogRetentionDays,
            KubernetesClusterName = PlatformContract.ClusterName(env),
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
        });
        // Under the security groups, the data subnets answer only the application subnets, and only on the data ports.
        _ = new DataTierAcl(this, "data-acl", new DataTierAclProps(Prefix, vpc.VpcId, vpc.DataSubnets,
            [.. vpc.PrivateSubnets.Select(s => s.Cidr)], PlatformContract.DataPorts));
        AddOverride("removed", new[] { new Dictionary<string, object> { ["from"] = MovedServiceLinkedRoleAddress, ["lifecycle"] = new Dictionary<string, object> { ["destroy"] = false } } });
        Outputs = new NetworkOutputs
        {
            VpcId = vpc.VpcId,
            VpcCidr = vpc.VpcCidr,
            AvailabilityZones = vpc.AvailabilityZones,
            PublicSubnetIds = [.. vpc.PublicSubnets.Select(s => s.Id)],
            PrivateSubnetIds = [.. vpc.PrivateSubnets.Select(s => s.Id)],
            DataSubnetIds = [.. vpc.DataSubnets.Select(s => s.Id)],
            PublicSubnetCidrs = [.. vpc.PublicSubnets.Select(s => s.Cidr)],
            PrivateSubnetCidrs = [.. vpc.PrivateSubnets.Select(s => s.Cidr)],
            DataSubnetCidrs = [.. vpc.DataSubnets.Select(s => s.Cidr)],
            NatGatewayIds = vpc.NatGatewayIds,
            EndpointSecurityGroupId = vpc.EndpointSecurityGroupId ?? throw new InvalidOperationException("the VPC always has interface endpoints (PlatformContract.AppAwsServices)"),
            S3PrefixListId = vpc.S3PrefixListId,
        };
    }
}
