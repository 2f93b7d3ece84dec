using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.NetworkAcl;
using HashiCorp.Cdktf.Providers.Aws.NetworkAclAssociation;
using HashiCorp.Cdktf.Providers.Aws.NetworkAclRule;

namespace EasyPay.Tf.Modules.Network;

/// <summary>A TCP port a data-tier service listens on, e.g. ("postgresql", 5432).</summary>
public sealed record DataPort(string Name, int Port);

/// <summary>Props of <see cref="DataTierAcl"/>.</summary>
/// <param name="Name">Name prefix, e.g. easypay-prod (the ACL is NAME-data).</param>
/// <param name="VpcId">The VPC of the subnets.</param>
/// <param name="DataSubnets">The data-tier subnets the ACL guards (ids and CIDRs; the CIDRs are known at synth time).</param>
/// <param name="ClientCidrs">The subnets whose hosts may open the data ports (the private, application subnets).</param>
/// <param name="Ports">The data services' ports. Append new ones at the end: a rule's number is its position, and
/// Terraform replaces a rule whose number changes.</param>
public sealed record DataTierAclProps(string Name, string VpcId, IReadOnlyList<SubnetRef> DataSubnets, IReadOnlyList<string> ClientCidrs, IReadOnlyList<DataPort> Ports);

/// <summary>A network ACL on the data subnets, under the security groups: in, only the data ports from the client
/// subnets and from the data subnets themselves (RDS Proxy to Aurora across AZs), plus return traffic on the ephemeral
/// ports from the data subnets; out, only return traffic to the clients and the same data-port and return traffic within
/// the tier. Everything else meets the ACL's default rule ("*", deny), which AWS evaluates last and which cannot be
/// removed. ACLs are stateless (Amazon VPC user guide, "Control subnet traffic with network access control lists"), hence
/// the explicit return rules; 1024-65535 is the ephemeral range the guide recommends for clients of unknown OS. Traffic to
/// the Amazon DNS server, IMDS and Time Sync is never filtered by ACLs, so nothing here is needed for it. A stateless
/// return rule cannot tell a reply from a new connection, so the data tier's own security groups (no egress but the
/// proxy's to Aurora) keep its hosts from opening connections on those ports.</summary>
public sealed class DataTierAcl : Construct
{
    /// <summary>Amazon VPC quotas, "Network ACLs": 20 inbound and 20 outbound rules per ACL by default (adjustable to 40).</summary>
    public const int MaxRulesPerDirection = 20;

    /// <summary>The ephemeral ports a client's side of a connection uses (VPC user guide, "Ephemeral ports").</summary>
    public const int EphemeralFrom = 1024;
    public const int EphemeralTo = 65535;

    public string Id { get; }

    public DataTierAcl(Construct scope, string id, DataTierAclProps props) : base(scope, id)
    {
        var v = new PropsValidator(nameof(DataTierAclProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .Check(props.DataSubnets.Count > 0, nameof(props.DataSubnets), "give the data subnets")
            .Check(props.ClientCidrs.Count > 0, nameof(props.ClientCidrs), "give the subnets that may reach the data tier")
            .Check(props.Ports.Count > 0, nameof(props.Ports), "give at least one data port")
            .Check(props.Ports.All(p => p.Port is > 0 and < 65536), nameof(props.Ports), "data ports must be 1-65535")
            .Check(props.Ports.Select(p => p.Port).Distinct().Count() == props.Ports.Count, nameof(props.Ports), "lists a port twice");
        foreach (var cidr in props.ClientCidrs.Concat(props.DataSubnets.Select(s => s.Cidr)))
        {
            v.CheckCidr(cidr, nameof(props.ClientCidrs));
        }
        var inbound = (props.Ports.Count * (props.ClientCidrs.Count + props.DataSubnets.Count)) + props.DataSubnets.Count;
        var outbound = props.ClientCidrs.Count + ((props.Ports.Count + 1) * props.DataSubnets.Count);
        v.Check(Math.Max(inbound, outbound) <= MaxRulesPerDirection, nameof(props.Ports),
            $"needs {inbound} inbound and {outbound} outbound rules; an ACL holds {MaxRulesPerDirection} per direction unless the quota is raised");
        v.ThrowIfInvalid();

        // The subnets join the ACL through associations that wait for every rule: a subnet moved onto an ACL with no
        // rules yet would drop all traffic (the default rule) until Terraform added them, seconds of outage on an
        // upgrade. Leaving (destroy) returns a subnet to the VPC's default ACL.
        var acl = new NetworkAcl(this, "acl", new NetworkAclConfig
        {
            VpcId = props.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-data" },
        });
        var rules = new List<ITerraformDependable>();
        var data = props.DataSubnets.Select(s => s.Cidr).ToList();
        for (var p = 0; p < props.Ports.Count; p++)
        {
            var port = props.Ports[p];
            for (var c = 0; c < props.ClientCidrs.Count; c++)
            {
                Rule(acl.Id, $"in-{port.Name}-from-client-{c}", 100 + (10 * p) + c, egress: false, props.ClientCidrs[c], port.Port, port.Port);
            }
            for (var d = 0; d < data.Count; d++)
            {
                Rule(acl.Id, $"in-{port.Name}-from-data-{d}", 200 + (10 * p) + d, egress: false, data[d], port.Port, port.Port);
                Rule(acl.Id, $"out-{port.Name}-to-data-{d}", 200 + (10 * p) + d, egress: true, data[d], port.Port, port.Port);
            }
        }
        for (var d = 0; d < data.Count; d++)
        {
            Rule(acl.Id, $"in-return-from-data-{d}", 900 + d, egress: false, data[d], EphemeralFrom, EphemeralTo);
            Rule(acl.Id, $"out-return-to-data-{d}", 900 + d, egress: true, data[d], EphemeralFrom, EphemeralTo);
        }
        for (var c = 0; c < props.ClientCidrs.Count; c++)
        {
            Rule(acl.Id, $"out-return-to-client-{c}", 100 + c, egress: true, props.ClientCidrs[c], EphemeralFrom, EphemeralTo);
        }
        for (var i = 0; i < props.DataSubnets.Count; i++)
        {
            _ = new NetworkAclAssociation(this, $"subnet-{i}", new NetworkAclAssociationConfig
            {
                NetworkAclId = acl.Id,
                SubnetId = props.DataSubnets[i].Id,
                DependsOn = [.. rules],
            });
        }
        Id = acl.Id;

        void Rule(string aclId, string ruleId, int number, bool egress, string cidr, int from, int to) => rules.Add(NewRule(aclId, ruleId, number, egress, cidr, from, to));
    }

    private NetworkAclRule NewRule(string aclId, string id, int number, bool egress, string cidr, int from, int to) =>
        new(this, id, new NetworkAclRuleConfig
        {
            NetworkAclId = aclId,
            RuleNumber = number,
            Egress = egress,
            Protocol = "tcp",
            RuleAction = "allow",
            CidrBlock = cidr,
            FromPort = from,
            ToPort = to,
        });
}
