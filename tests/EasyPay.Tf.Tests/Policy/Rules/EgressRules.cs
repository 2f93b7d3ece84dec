using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>NET (egress): what runs Terraform inside the VPC, and the app's pods, dial out only where they must.</summary>
public static class EgressRules
{
    public static readonly StackRule AgentEgress = new("NET-004",
        "ECS services (the HCP Terraform agents) have no ingress, and egress to address ranges outside the VPC only on TCP 443",
        Severity.High, Applicability.AllEnvironments,
        "The agents hold every workspace run's credentials; HTTPS to HCP Terraform, registries and AWS APIs is all they need beyond DNS inside the VPC.",
        ctx => ctx.Resources("aws_ecs_service").SelectMany(service =>
        {
            var groups = TfValue.Blocks(service["network_configuration"]).SelectMany(n => ctx.References(n["security_groups"])).Where(g => g.Type == "aws_security_group").ToHashSet();
            var problems = new List<Violation>();
            foreach (var group in groups)
            {
                if (TfValue.Blocks(group["ingress"]).Any() || TfValue.Blocks(group["egress"]).Any())
                {
                    problems.Add(ctx.Violation(group, "has inline ingress/egress blocks: declare each rule as a resource so it can be reviewed"));
                }
                foreach (var rule in ctx.Resources("aws_vpc_security_group_ingress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                {
                    problems.Add(ctx.Violation(rule, $"admits traffic into the agents' group {group.Address}: agents only dial out"));
                }
                foreach (var rule in ctx.Resources("aws_vpc_security_group_egress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                {
                    var cidr = TfValue.Text(rule["cidr_ipv4"]) ?? TfValue.Text(rule["cidr_ipv6"]);
                    var protocol = TfValue.Text(rule["ip_protocol"]);
                    var https = protocol == "tcp" && TfValue.Number(rule["from_port"]) == 443 && TfValue.Number(rule["to_port"]) == 443;
                    var insideVpc = cidr is not null && !AwsFacts.IsWorld(cidr) && cidr.EndsWith("/32", StringComparison.Ordinal);
                    if (cidr is not null && AwsFacts.IsWorld(cidr) && !https)
                    {
                        problems.Add(ctx.Violation(rule, $"{protocol} {TfValue.Text(rule["from_port"])}-{TfValue.Text(rule["to_port"])} to {cidr}: only TCP 443 may leave for any address"));
                    }
                    else if (cidr is not null && !AwsFacts.IsWorld(cidr) && !insideVpc && !https)
                    {
                        problems.Add(ctx.Violation(rule, $"{protocol} to {cidr}: beyond HTTPS, only single in-VPC addresses (the DNS resolver) are allowed"));
                    }
                }
            }
            return problems;
        }))
    {
        Subjects = ["aws_ecs_service"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [AgentEgress];

    public static readonly ChartRule AppPodEgress = new("NET-005",
        "App pods' egress only to kube-dns, the data subnets on the database and cache ports, the AWS endpoint (private) subnets on 443 and the environment's payment providers on their ports; never 0.0.0.0/0, ::/0 or a range broader than /16",
        Severity.Critical, Applicability.AllEnvironments,
        "A pod that may dial anywhere can exfiltrate payment data or reach a provider another environment cannot; one allowlist, the same in every environment, makes dev show what prod will do.",
        CheckAppPodEgress)
    {
        Subjects = ["NetworkPolicy"],
    };

    public static IReadOnlyList<ChartRule> ChartAll { get; } = [AppPodEgress];

    /// <summary>Semantics of networking.k8s.io/v1 (k8s.io/api v0.35 networking/v1/types.go): an egress rule whose
    /// <c>to</c> is empty or missing matches every destination, one whose <c>ports</c> is empty or missing every port,
    /// and a port's protocol defaults to TCP.</summary>
    private static IEnumerable<Violation> CheckAppPodEgress(ChartContext ctx)
    {
        var env = ctx.Env;
        var plan = Ipv4Cidr.TryParse(env.Network.VpcCidr, out var vpc, out _) ? SubnetPlan.Compute(vpc, env.AvailabilityZones) : [];
        var data = plan.Where(p => p.Tier == SubnetTier.Data).Select(p => p.Cidr).ToList();
        var endpoints = plan.Where(p => p.Tier == SubnetTier.Private).Select(p => p.Cidr).ToList();
        foreach (var policy in ctx.OfKind("NetworkPolicy"))
        {
            if (policy.ApiVersion.StartsWith("projectcalico.org/", StringComparison.Ordinal))
            {
                // A Calico Allow is evaluated beside the Kubernetes policies and would bypass this check.
                foreach (var rule in policy.Nodes("spec.egress").Where(r => r.Text("action") == "Allow"))
                {
                    var nets = rule.Texts("destination.nets");
                    yield return ctx.Violation(policy, $"Calico egress rule allows {rule.Text("protocol") ?? "any protocol"} to {(nets.Count > 0 ? string.Join(",", nets) : "anywhere")}: express allows as Kubernetes NetworkPolicies, which this rule checks");
                }
                continue;
            }
            var egress = policy.Nodes("spec.egress");
            for (var i = 0; i < egress.Count; i++)
            {
                var rule = egress[i];
                var ports = rule.Nodes("ports").Select(p => (Protocol: p.Text("protocol") ?? "TCP", Port: p.Text("port"), EndPort: p.Text("endPort"))).ToList();
                var shown = ports.Count == 0 ? "every port" : string.Join(",", ports.Select(p => $"{p.Protocol}/{p.Port ?? "*"}{(p.EndPort is null ? "" : "-" + p.EndPort)}"));
                var peers = rule.Nodes("to");
                if (peers.Count == 0)
                {
                    yield return ctx.Violation(policy, $"egress[{i}] has no 'to': it allows every destination on {shown}");
                    continue;
                }
                bool Only(params string[] allowed) => ports.Count > 0 && ports.All(p => p.EndPort is null && allowed.Contains($"{p.Protocol}/{p.Port}"));
                foreach (var peer in peers)
                {
                    if (peer.Text("ipBlock.cidr") is { } cidr)
                    {
                        if (Problem(cidr) is { } problem)
                        {
                            yield return ctx.Violation(policy, $"egress[{i}] to {cidr} on {shown}: {problem}");
                        }
                        continue;
                    }
                    if (peer.Has("namespaceSelector"))
                    {
                        var dns = peer.StringMap("namespaceSelector.matchLabels") is { Count: 1 } ns && ns.GetValueOrDefault("kubernetes.io/metadata.name") == "kube-system"
                            && peer.StringMap("podSelector.matchLabels") is { Count: 1 } pods && pods.GetValueOrDefault("k8s-app") == "kube-dns";
                        if (!dns || !Only("UDP/53", "TCP/53"))
                        {
                            yield return ctx.Violation(policy, $"egress[{i}] reaches pods of other namespaces on {shown}: only kube-dns (kube-system, k8s-app=kube-dns) on UDP/TCP 53");
                        }
                    }
                    // A podSelector alone stays inside the release's namespace.
                }

                string? Problem(string cidr)
                {
                    if (cidr.Contains(':', StringComparison.Ordinal))
                    {
                        return "IPv6: the VPC is IPv4 only, and ::/0 is the whole IPv6 internet";
                    }
                    if (!Ipv4Cidr.TryParse(cidr, out var block, out var error))
                    {
                        return error;
                    }
                    if (block.Prefix < EnvironmentRules.BroadestProviderPrefix)
                    {
                        return $"a /{block.Prefix} is broader than /{EnvironmentRules.BroadestProviderPrefix}{(block.IsAnywhere ? " (the whole internet)" : "")}";
                    }
                    // The data subnets hold the data tier's services (Aurora and its proxy, the Valkey cache), each on its own port.
                    if (data.Any(d => d.Contains(block)) && EasyPay.Tf.Stacks.PlatformContract.DataPorts.Any(p => Only($"TCP/{p.Port}")))
                    {
                        return null;
                    }
                    if (endpoints.Any(e => e.Contains(block)) && Only("TCP/443"))
                    {
                        return null;
                    }
                    var providers = env.Application.PaymentProviders.Where(p => p.Cidrs.Any(c => Ipv4Cidr.TryParse(c, out var allowed, out _) && allowed.Contains(block))).ToList();
                    if (providers.Any(p => Only([.. p.Ports.Select(port => $"TCP/{port}")])))
                    {
                        return null;
                    }
                    return providers.Count > 0
                        ? $"a port that application.paymentProviders ({string.Join(", ", providers.Select(p => p.Name))}) does not list for it"
                        : $"neither the data subnets on {string.Join(" or ", EasyPay.Tf.Stacks.PlatformContract.DataPorts.Select(p => p.Port))}, the private subnets (AWS endpoints) on 443, nor a range of application.paymentProviders";
                }
            }
        }
    }
}
