using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupEgressRule;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>A destination outside the VPC the nodes' pods may open on a port other than the ones every node needs,
/// e.g. a payment provider's range on 8443.</summary>
public sealed record NodeEgressDestination(string Name, string Cidr, int Port);

/// <summary>Where the nodes (and, with the VPC CNI, every pod) may open connections, besides each other and the control
/// plane. Everything is known before the cluster exists: the network stack's groups and prefix list, CIDRs fixed at synth
/// time.</summary>
/// <param name="EndpointSecurityGroupId">The interface VPC endpoints' group (ECR, STS, logs, Secrets Manager): HTTPS.</param>
/// <param name="S3PrefixListId">The S3 gateway endpoint's prefix list: HTTPS (ECR layers, Velero's bucket).</param>
/// <param name="DnsServerCidr">The Amazon DNS server of the VPC (base + 2, /32): DNS over UDP and TCP.</param>
/// <param name="DataSubnetCidrs">The data subnets: the data ports only (<see cref="DataPorts"/>).</param>
public sealed record NodeEgress(string EndpointSecurityGroupId, string S3PrefixListId, string DnsServerCidr, IReadOnlyList<string> DataSubnetCidrs)
{
    /// <summary>The data tier's ports (PostgreSQL through RDS Proxy). @default [5432]</summary>
    public IReadOnlyList<int> DataPorts { get; init; } = [5432];

    /// <summary>Destinations outside the VPC on ports other than 443 (payment providers). @default none</summary>
    public IReadOnlyList<NodeEgressDestination> Destinations { get; init; } = [];
}

/// <summary>Props of <see cref="NodeSecurityGroup"/>.</summary>
/// <param name="Name">Security group name, e.g. easypay-prod-eks-nodes.</param>
/// <param name="VpcId">VPC of the cluster.</param>
/// <param name="ClusterSecurityGroupId">The EKS-managed cluster security group (control plane ENIs).</param>
/// <param name="LoadBalancerSecurityGroupId">Security group of the ALB that sends traffic to pods.</param>
/// <param name="Egress">Where nodes and pods may connect to.</param>
public sealed record NodeSecurityGroupProps(string Name, string VpcId, string ClusterSecurityGroupId, string LoadBalancerSecurityGroupId, NodeEgress Egress)
{
    /// <summary>Container ports the ALB reaches pods on (IP targets: the pod's own port).</summary>
    public IReadOnlyList<int> AppPorts { get; init; } = [8080];
}

/// <summary>The nodes' only security group (with the VPC CNI also the pods'). In: from the ALB on the app ports, from the
/// control plane on the kubelet and webhook ports, from other nodes. Out, an allowlist: other nodes; the control plane on
/// 443; the interface endpoints and S3 (prefix list) on 443; the VPC's DNS server; the data subnets on the data ports;
/// payment providers on their non-HTTPS ports; and HTTPS to anywhere through the NAT gateways, because nodes pull the
/// add-ons' images from public registries (quay.io, docker.io, registry.k8s.io, ghcr.io, public.ecr.aws, behind CDNs with
/// no published ranges) and call AWS APIs that have no endpoint here (EC2 for the VPC CNI, EKS, ELB, Auto Scaling).
/// Nothing else leaves: no other port, no UDP beyond DNS. The nodes do not join the EKS cluster security group, whose
/// allow-all egress EKS manages (security groups add up, so that rule would void this list): the launch template names
/// this group alone (Amazon EKS user guide, "Customize managed nodes with launch templates": with security groups in the
/// template EKS does not add the cluster security group), and this construct opens the two directions EKS needs between
/// the nodes and the control plane itself.</summary>
public sealed class NodeSecurityGroup : Construct
{
    /// <summary>Control plane to nodes (pod IPs and host-network pods alike, both in this group): the kubelet, and every
    /// webhook or aggregated API server of the platform add-ons, each on its pod's own port (the API server dials the
    /// endpoint, not the Service port). Sources: metrics-server chart 3.12.2 containerPort 10250; external-secrets
    /// chart 0.19.2 webhook.port 10250; aws-load-balancer-controller chart 1.13.4 webhookBindPort default 9443;
    /// amazon-cloudwatch-observability chart 6.4.0 manager.ports.webhookPort 9443; tigera operator v1.38.13
    /// (Calico v3.30.7) render/apiserver.go APIServerPort 5443. 10250 also serves metrics-server and the External
    /// Secrets webhook.</summary>
    public static readonly IReadOnlyList<(int Port, string Purpose)> ControlPlanePorts =
    [
        (443, "webhooks and extension API servers"),
        (5443, "Calico API server (projectcalico.org/v3)"),
        (9443, "AWS Load Balancer Controller and CloudWatch operator webhooks"),
        (10250, "kubelet API (logs, exec, metrics)"),
    ];

    public string Id { get; }

    /// <summary>Every rule of the group (and the cluster group's rule for the nodes): a node group depends on them, so
    /// no node boots before it can reach the API server and the control plane can reach it (first apply, and the
    /// node roll of an upgrade).</summary>
    public IReadOnlyList<ITerraformDependable> Rules => _rules;

    private readonly List<ITerraformDependable> _rules = [];

    public NodeSecurityGroup(Construct scope, string id, NodeSecurityGroupProps props) : base(scope, id)
    {
        var egress = props.Egress;
        var v = new PropsValidator(nameof(NodeSecurityGroupProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .CheckNotEmpty(props.ClusterSecurityGroupId, nameof(props.ClusterSecurityGroupId))
            .CheckNotEmpty(props.LoadBalancerSecurityGroupId, nameof(props.LoadBalancerSecurityGroupId))
            .Check(props.AppPorts.Count > 0 && props.AppPorts.All(p => p is > 0 and < 65536), nameof(props.AppPorts), "give at least one port in 1-65535")
            .CheckNotEmpty(egress?.EndpointSecurityGroupId, "Egress.EndpointSecurityGroupId")
            .CheckNotEmpty(egress?.S3PrefixListId, "Egress.S3PrefixListId")
            .Check(egress?.DnsServerCidr?.EndsWith("/32", StringComparison.Ordinal) == true, "Egress.DnsServerCidr", "give the VPC's DNS server as a /32")
            .Check(egress?.DataSubnetCidrs.Count > 0, "Egress.DataSubnetCidrs", "give the data subnets")
            .Check(egress?.DataPorts.Count > 0 && egress.DataPorts.All(p => p is > 0 and < 65536 and not 443), "Egress.DataPorts", "give the data ports (1-65535, not 443)");
        foreach (var d in egress?.Destinations ?? [])
        {
            v.CheckCidr(d.Cidr, $"Egress.Destinations[{d.Name}]")
             .Check(!d.Cidr.EndsWith("/0", StringComparison.Ordinal), $"Egress.Destinations[{d.Name}]", $"{d.Cidr} is the whole internet: name the destination's own range")
             .Check(d.Port is > 0 and < 65536, $"Egress.Destinations[{d.Name}]", $"port {d.Port} is not 1-65535");
        }
        foreach (var cidr in egress?.DataSubnetCidrs ?? [])
        {
            v.CheckCidr(cidr, "Egress.DataSubnetCidrs");
        }
        v.ThrowIfInvalid();

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
            _ = new VpcSecurityGroupEgressRule(this, $"alb-to-nodes-{port}", new VpcSecurityGroupEgressRuleConfig
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
        // The nodes are not members of the cluster security group any more, so its self rule no longer admits them:
        // kubelets and pods reach the API server's private endpoint (the control plane ENIs) through this rule.
        Ingress("cluster-from-nodes", props.ClusterSecurityGroupId, $"HTTPS to the API server from the nodes and pods ({props.Name})", 443, sg.Id);
        _rules.Add(new VpcSecurityGroupIngressRule(this, "node-to-node", new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = sg.Id,
            Description = "Node to node and pod to pod (DNS, service traffic); Calico network policies narrow it",
            IpProtocol = "-1",
            ReferencedSecurityGroupId = sg.Id,
        }));

        Egress("egress-nodes", sg.Id, "Node to node and pod to pod (CoreDNS, Services, Typha); Calico network policies narrow it", "-1", null, r => r.ReferencedSecurityGroupId = sg.Id);
        Egress("egress-control-plane", sg.Id, "API server (private endpoint ENIs in the cluster security group)", "tcp", 443, r => r.ReferencedSecurityGroupId = props.ClusterSecurityGroupId);
        Egress("egress-vpc-endpoints", sg.Id, "Interface VPC endpoints (ECR, STS, logs, Secrets Manager)", "tcp", 443, r => r.ReferencedSecurityGroupId = egress!.EndpointSecurityGroupId);
        Egress("egress-s3", sg.Id, "S3 through the gateway endpoint (ECR layers, Velero)", "tcp", 443, r => r.PrefixListId = egress!.S3PrefixListId);
        Egress("egress-dns-udp", sg.Id, "DNS (UDP) to the Amazon DNS server (VPC base + 2)", "udp", 53, r => r.CidrIpv4 = egress!.DnsServerCidr);
        Egress("egress-dns-tcp", sg.Id, "DNS (TCP, large answers) to the Amazon DNS server (VPC base + 2)", "tcp", 53, r => r.CidrIpv4 = egress!.DnsServerCidr);
        for (var i = 0; i < egress!.DataSubnetCidrs.Count; i++)
        {
            var cidr = egress.DataSubnetCidrs[i];
            foreach (var port in egress.DataPorts)
            {
                Egress($"egress-data-{port}-{i}", sg.Id, $"Data tier on {port} (data subnet {cidr})", "tcp", port, r => r.CidrIpv4 = cidr);
            }
        }
        foreach (var d in egress.Destinations)
        {
            Egress($"egress-{d.Name}-{d.Cidr.Replace('.', '-').Replace('/', '-')}-{d.Port}", sg.Id, $"{d.Name} on {d.Port}", "tcp", d.Port, r => r.CidrIpv4 = d.Cidr);
        }
        Egress("egress-https", sg.Id, "HTTPS through the NAT gateways: public registries and AWS APIs without a VPC endpoint", "tcp", 443, r => r.CidrIpv4 = "0.0.0.0/0");
        Id = sg.Id;
    }

    private void Egress(string id, string groupId, string description, string protocol, int? port, Action<VpcSecurityGroupEgressRuleConfig> destination)
    {
        var config = new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = groupId,
            Description = description,
            IpProtocol = protocol,
        };
        if (port is { } p)
        {
            config.FromPort = p;
            config.ToPort = p;
        }
        destination(config);
        _rules.Add(new VpcSecurityGroupEgressRule(this, id, config));
    }

    private void Ingress(string id, string groupId, string description, int port, string source) =>
        _rules.Add(new VpcSecurityGroupIngressRule(this, id, new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = groupId,
            Description = description,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            ReferencedSecurityGroupId = source,
        }));
}
