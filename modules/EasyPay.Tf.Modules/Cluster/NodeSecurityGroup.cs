using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupEgressRule;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>Props of <see cref="NodeSecurityGroup"/>.</summary>
/// <param name="Name">Security group name, e.g. easypay-prod-eks-nodes.</param>
/// <param name="VpcId">VPC of the cluster.</param>
/// <param name="ClusterSecurityGroupId">The EKS-managed cluster security group (control plane ENIs).</param>
/// <param name="LoadBalancerSecurityGroupId">Security group of the ALB that sends traffic to pods.</param>
public sealed record NodeSecurityGroupProps(string Name, string VpcId, string ClusterSecurityGroupId, string LoadBalancerSecurityGroupId)
{
    /// <summary>Container ports the ALB reaches pods on (IP targets: the pod's own port).</summary>
    public IReadOnlyList<int> AppPorts { get; init; } = [8080];
}

/// <summary>The nodes' security group (with the VPC CNI also the pods'): in from the ALB on the app ports
/// only, from the control plane on HTTPS and the kubelet port, and from other nodes; out to anywhere,
/// because nodes pull images and call AWS APIs through the NAT gateways. Also opens the ALB's egress to
/// the app ports here, so the ALB group allows nothing else.</summary>
public sealed class NodeSecurityGroup : Construct
{
    /// <summary>Control plane to nodes: 443 for webhooks and aggregated APIs, 10250 for the kubelet
    /// (logs, exec, metrics). Webhooks on other pod ports work because nodes also join the cluster security
    /// group, which EKS opens to its own members.</summary>
    public static readonly IReadOnlyList<(int Port, string Purpose)> ControlPlanePorts =
        [(443, "webhooks and extension API servers"), (10250, "kubelet API (logs, exec, metrics)")];

    public string Id { get; }

    public NodeSecurityGroup(Construct scope, string id, NodeSecurityGroupProps props) : base(scope, id)
    {
        new PropsValidator(nameof(NodeSecurityGroupProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .CheckNotEmpty(props.ClusterSecurityGroupId, nameof(props.ClusterSecurityGroupId))
            .CheckNotEmpty(props.LoadBalancerSecurityGroupId, nameof(props.LoadBalancerSecurityGroupId))
            .Check(props.AppPorts.Count > 0 && props.AppPorts.All(p => p is > 0 and < 65536), nameof(props.AppPorts), "give at least one port in 1-65535")
            .ThrowIfInvalid();

        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = props.Name,
            Description = "EKS nodes and pods: ALB on app ports, control plane, node-to-node",
            VpcId = props.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = props.Name },
        });
        foreach (var port in props.AppPorts)
        {
            Ingress($"from-alb-{port}", sg.Id, $"App traffic from the ALB on {port}", port, props.LoadBalancerSecurityGroupId);
            new VpcSecurityGroupEgressRule(this, $"alb-to-nodes-{port}", new VpcSecurityGroupEgressRuleConfig
            {
                SecurityGroupId = props.LoadBalancerSecurityGroupId,
                Description = $"ALB to pods on {port} (IP targets)",
                IpProtocol = "tcp",
                FromPort = port,
                ToPort = port,
                ReferencedSecurityGroupId = sg.Id,
            });
        }
        foreach (var (port, purpose) in ControlPlanePorts)
        {
            Ingress($"from-control-plane-{port}", sg.Id, $"Control plane: {purpose}", port, props.ClusterSecurityGroupId);
        }
        new VpcSecurityGroupIngressRule(this, "node-to-node", new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = sg.Id,
            Description = "Node to node and pod to pod (DNS, service traffic); Calico network policies narrow it",
            IpProtocol = "-1",
            ReferencedSecurityGroupId = sg.Id,
        });
        new VpcSecurityGroupEgressRule(this, "egress", new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = sg.Id,
            Description = "Image pulls, AWS APIs and the database: through the NAT gateways and VPC endpoints",
            IpProtocol = "-1",
            CidrIpv4 = "0.0.0.0/0",
        });
        Id = sg.Id;
    }

    private void Ingress(string id, string groupId, string description, int port, string source) =>
        new VpcSecurityGroupIngressRule(this, id, new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = groupId,
            Description = description,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            ReferencedSecurityGroupId = source,
        });
}
