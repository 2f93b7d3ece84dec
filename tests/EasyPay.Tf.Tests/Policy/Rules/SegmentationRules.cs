using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>NET (segmentation): what the nodes and pods may dial out to, what the VPC endpoints serve, and who reaches
/// the data tier (security groups, the data subnets' network ACL, the cluster-wide Calico policy).</summary>
public static class SegmentationRules
{
    /// <summary>Ports every node needs to anywhere: HTTPS (public registries, AWS APIs without an endpoint).</summary>
    private static readonly double[] InternetPorts = [443];

    public static readonly StackRule NodeEgress = new("NET-006",
        "EKS nodes (and so every pod, with the VPC CNI) carry only security groups whose egress is an allowlist: all protocols only to named security groups, to 0.0.0.0/0 or ::/0 only TCP 443; never the EKS cluster security group, whose allow-all egress EKS manages",
        Severity.High, Applicability.AllEnvironments,
        "Egress to anywhere on every port lets a compromised pod exfiltrate card data over any protocol; security groups add up, so one allow-all group on the node ENI (the EKS cluster group) voids every other group's allowlist.",
        ctx => ctx.Resources("aws_launch_template").SelectMany(template =>
        {
            var problems = new List<Violation>();
            var listed = template["vpc_security_group_ids"];
            if (TfValue.Strings(listed).ToList() is { Count: 0 })
            {
                problems.Add(ctx.Violation(template, "names no security group: EKS then adds the cluster security group and its allow-all egress; list the node group explicitly"));
            }
            foreach (var text in TfValue.Strings(listed).Where(t => t.Contains("aws_eks_cluster.", StringComparison.Ordinal) && t.Contains("cluster_security_group_id", StringComparison.Ordinal)))
            {
                problems.Add(ctx.Violation(template, $"lists the EKS cluster security group ({text}): its allow-all egress would add to the node group's allowlist"));
            }
            foreach (var group in ctx.References(listed).Where(r => r.Type == "aws_security_group").Distinct())
            {
                if (TfValue.Blocks(group["egress"]).Any())
                {
                    problems.Add(ctx.Violation(group, "has inline egress blocks: declare each egress rule as a resource so this rule can review it"));
                }
                foreach (var rule in ctx.Resources("aws_vpc_security_group_egress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                {
                    var protocol = (TfValue.Text(rule["ip_protocol"]) ?? "").ToLowerInvariant();
                    var cidr = TfValue.Text(rule["cidr_ipv4"]) ?? TfValue.Text(rule["cidr_ipv6"]);
                    var toGroup = TfValue.IsSet(rule["referenced_security_group_id"]);
                    var https = protocol is "tcp" or "6" && InternetPorts.Contains(TfValue.Number(rule["from_port"]) ?? -1) && TfValue.Number(rule["from_port"]) == TfValue.Number(rule["to_port"]);
                    if (protocol is "-1" or "all" && !toGroup)
                    {
                        problems.Add(ctx.Violation(rule, $"allows all protocols to {cidr ?? TfValue.Text(rule["prefix_list_id"]) ?? "an unnamed destination"}: name the protocol and port, or a security group"));
                    }
                    else if (cidr is not null && AwsFacts.IsWorld(cidr) && !https)
                    {
                        problems.Add(ctx.Violation(rule, $"{protocol} {TfValue.Text(rule["from_port"])}-{TfValue.Text(rule["to_port"])} to {cidr}: only TCP 443 may leave for any address"));
                    }
                }
                foreach (var rule in ctx.Resources("aws_security_group_rule").Where(r => TfValue.Text(r["type"]) == "egress" && ctx.RefersTo(r["security_group_id"], group)))
                {
                    problems.Add(ctx.Violation(rule, "is an aws_security_group_rule: declare node egress as aws_vpc_security_group_egress_rule, one destination each"));
                }
            }
            return problems;
        }))
    {
        Subjects = ["aws_launch_template"],
    };

    public static readonly StackRule EndpointPolicies = new("NET-007",
        "Every VPC endpoint has a policy whose Allow statements admit only the environment's account (StringEquals aws:PrincipalAccount, and for S3 also aws:ResourceAccount) or name exact resources; never Resource \"*\" unconditionally",
        Severity.High, Applicability.AllEnvironments,
        "Without a policy an endpoint serves every principal of every account: a pod can write payment data to another account's bucket through the S3 gateway endpoint, or use stolen foreign credentials from inside the VPC.",
        ctx => ctx.Resources("aws_vpc_endpoint").SelectMany(endpoint => EndpointPolicyProblems(ctx, endpoint).Select(p => ctx.Violation(endpoint, p))))
    {
        Subjects = ["aws_vpc_endpoint"],
    };

    public static readonly StackRule DatabaseBehindProxy = new("NET-008",
        "Aurora clusters admit only their RDS proxies' security groups: no ingress from nodes, other groups or address ranges",
        Severity.Critical, Applicability.AllEnvironments,
        "Every pod shares the node security group (VPC CNI): a cluster that admits it lets any pod of any namespace open sessions on the database, skipping the proxy's IAM authentication and connection limits.",
        ctx =>
        {
            var proxyGroups = ctx.Resources("aws_db_proxy").SelectMany(p => ctx.References(p["vpc_security_group_ids"])).ToHashSet();
            return ctx.Resources("aws_rds_cluster").SelectMany(cluster => ctx.References(cluster["vpc_security_group_ids"])).Where(g => g.Type == "aws_security_group").Distinct()
                .SelectMany(group =>
                {
                    var problems = new List<Violation>();
                    if (TfValue.Blocks(group["ingress"]).Any())
                    {
                        problems.Add(ctx.Violation(group, "has inline ingress blocks: only rule resources naming a proxy's group may admit clients"));
                    }
                    foreach (var rule in ctx.Resources("aws_vpc_security_group_ingress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                    {
                        var source = ctx.Resolve(rule["referenced_security_group_id"]);
                        if (source is null || !proxyGroups.Contains(source))
                        {
                            problems.Add(ctx.Violation(rule, $"admits {TfValue.Text(rule["referenced_security_group_id"]) ?? TfValue.Text(rule["cidr_ipv4"]) ?? "a source"} to the database's group {group.Address}: only an RDS proxy's security group may reach the cluster"));
                        }
                    }
                    foreach (var rule in ctx.Resources("aws_security_group_rule").Where(r => TfValue.Text(r["type"]) == "ingress" && ctx.RefersTo(r["security_group_id"], group)))
                    {
                        problems.Add(ctx.Violation(rule, "admits traffic to the database's group outside an aws_vpc_security_group_ingress_rule from a proxy"));
                    }
                    return problems;
                });
        })
    {
        Subjects = ["aws_rds_cluster"],
    };

    public static readonly StackRule DataTierAcl = new("NET-009",
        "The data subnets sit behind a network ACL that allows, in, only the data ports from the private and data subnets and return traffic (1024-65535) from the data subnets, and out only return traffic and the data ports within the VPC's private and data subnets",
        Severity.High, Applicability.AllEnvironments,
        "A second, stateless layer under the security groups: a mistaken security group rule (a CIDR, a new group admitting the nodes) still cannot open the database or cache to the internet or to the public subnets, and the data tier cannot call out.",
        CheckDataTierAcl)
    {
        Subjects = ["aws_subnet"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [NodeEgress, EndpointPolicies, DatabaseBehindProxy, DataTierAcl];

    public static readonly ChartRule DataGuard = new("NET-010",
        "A Calico GlobalNetworkPolicy in the adminnetworkpolicy tier denies the data ports to the data subnets for every pod of every namespace but the release's backend, with no Allow or Pass rule",
        Severity.Critical, Applicability.AllEnvironments,
        "Only the app namespace has default-deny: any other pod (an add-on, a debug pod, a compromised controller) could otherwise reach the database proxy; a tier ahead of the Kubernetes policies, whose default action is Pass, denies that without taking other traffic from pods no policy selects.",
        CheckDataGuard)
    {
        Subjects = ["GlobalNetworkPolicy"],
    };

    public static IReadOnlyList<ChartRule> ChartAll { get; } = [DataGuard];

    /// <summary>Problems of one endpoint's policy (the synthesized JSON document).</summary>
    private static IEnumerable<string> EndpointPolicyProblems(PolicyContext ctx, TfResource endpoint)
    {
        var text = TfValue.Text(endpoint["policy"]);
        if (text is null)
        {
            yield return "has no policy: the default admits every principal of every account to every action";
            yield break;
        }
        JsonObject? document = null;
        try
        {
            document = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        if (document is null)
        {
            yield return "policy is not a literal JSON document: it cannot be reviewed at synth time";
            yield break;
        }
        var s3 = (TfValue.Text(endpoint["service_name"]) ?? "").EndsWith(".s3", StringComparison.Ordinal);
        var account = ctx.Env.AccountId;
        foreach (var statement in TfValue.Blocks(document["Statement"]).Where(s => TfValue.Text(s["Effect"]) == "Allow"))
        {
            var sid = TfValue.Text(statement["Sid"]) ?? "(no Sid)";
            var equals = TfValue.Block(statement["Condition"]?["StringEquals"]);
            string? Equal(string key) => equals is null ? null : TfValue.List(equals[key]) is { Count: 1 } v ? v[0] : null;
            var principalAccount = Equal("aws:PrincipalAccount") == account;
            var resourceAccount = Equal("aws:ResourceAccount") == account;
            var resources = TfValue.List(statement["Resource"]);
            var actions = TfValue.List(statement["Action"]);
            // Named resources: this account's (an ARN with the account id), or reads of the AWS-side layer buckets
            // image pulls are redirected to (ECR's, registry.k8s.io's), which no principal of this account signs for.
            var layerBuckets = new[] { MultiAzVpc.EcrLayerBucket(ctx.Env.Region), MultiAzVpc.KubernetesRegistryBucket(ctx.Env.Region) }
                .Select(b => $"arn:aws:s3:::{b}/*").ToHashSet();
            var exact = resources.Count > 0 && resources.All(r => (r.Contains($":{account}:", StringComparison.Ordinal) && !r.StartsWith('*'))
                || (s3 && layerBuckets.Contains(r) && actions.SequenceEqual(["s3:GetObject"])));
            if (!principalAccount && !exact)
            {
                yield return $"statement {sid} allows {string.Join(",", resources)} without StringEquals aws:PrincipalAccount = {account}";
            }
            else if (s3 && principalAccount && !resourceAccount && !exact)
            {
                yield return $"statement {sid} lets this account's principals use any bucket of any account: add StringEquals aws:ResourceAccount = {account}";
            }
        }
    }

    private static IEnumerable<Violation> CheckDataTierAcl(PolicyContext ctx)
    {
        var env = ctx.Env;
        var plan = Ipv4Cidr.TryParse(env.Network.VpcCidr, out var vpc, out _) ? SubnetPlan.Compute(vpc, env.AvailabilityZones) : [];
        var dataCidrs = plan.Where(p => p.Tier == SubnetTier.Data).Select(p => p.Cidr.ToString()).ToHashSet();
        var clientCidrs = plan.Where(p => p.Tier == SubnetTier.Private).Select(p => p.Cidr.ToString()).ToHashSet();
        var ports = PlatformContract.DataPorts.Select(p => (double)p.Port).ToHashSet();
        foreach (var subnet in ctx.Resources("aws_subnet").Where(s => TfValue.Map(s["tags"]).GetValueOrDefault("Tier") == "data"))
        {
            var acls = ctx.Resources("aws_network_acl").Where(a => ctx.References(a["subnet_ids"]).Contains(subnet))
                .Concat(ctx.Resources("aws_network_acl_association").Where(a => ctx.RefersTo(a["subnet_id"], subnet)).Select(a => ctx.Resolve(a["network_acl_id"])).OfType<TfResource>())
                .Distinct().ToList();
            if (acls.Count == 0)
            {
                yield return ctx.Violation(subnet, "is a data subnet without a network ACL of its own: the default ACL allows everything in and out");
                continue;
            }
            foreach (var acl in acls)
            {
                if (TfValue.Blocks(acl["ingress"]).Any() || TfValue.Blocks(acl["egress"]).Any())
                {
                    yield return ctx.Violation(acl, "has inline rules: declare each as an aws_network_acl_rule (the provider cannot mix both)");
                }
                foreach (var rule in ctx.Resources("aws_network_acl_rule").Where(r => ctx.RefersTo(r["network_acl_id"], acl) && TfValue.Text(r["rule_action"]) == "allow"))
                {
                    var cidr = TfValue.Text(rule["cidr_block"]) ?? TfValue.Text(rule["ipv6_cidr_block"]) ?? "";
                    var protocol = (TfValue.Text(rule["protocol"]) ?? "").ToLowerInvariant();
                    var from = TfValue.Number(rule["from_port"]);
                    var to = TfValue.Number(rule["to_port"]);
                    var egress = TfValue.IsTrue(rule["egress"]);
                    var dataPort = from == to && from is { } p && ports.Contains(p);
                    var ephemeral = from == DataTierAclEphemeral.From && to == DataTierAclEphemeral.To;
                    var ok = protocol is "tcp" or "6" && (egress
                        ? (clientCidrs.Contains(cidr) && ephemeral) || (dataCidrs.Contains(cidr) && (dataPort || ephemeral))
                        : (clientCidrs.Contains(cidr) && dataPort) || (dataCidrs.Contains(cidr) && (dataPort || ephemeral)));
                    if (!ok)
                    {
                        yield return ctx.Violation(rule, $"allows {(egress ? "out to" : "in from")} {cidr} {protocol} {from}-{to}: only the data ports {string.Join("/", ports)} (in from the private and data subnets, out to the data subnets) and return traffic {DataTierAclEphemeral.From}-{DataTierAclEphemeral.To} (in from the data subnets, out to the private and data subnets)");
                    }
                }
            }
        }
    }

    private static IEnumerable<Violation> CheckDataGuard(ChartContext ctx)
    {
        var env = ctx.Env;
        var plan = Ipv4Cidr.TryParse(env.Network.VpcCidr, out var vpc, out _) ? SubnetPlan.Compute(vpc, env.AvailabilityZones) : [];
        var dataCidrs = plan.Where(p => p.Tier == SubnetTier.Data).Select(p => p.Cidr.ToString()).ToList();
        var ports = PlatformContract.DataPorts.Select(p => p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var guards = ctx.OfKind("GlobalNetworkPolicy").Where(p => p.ApiVersion.StartsWith("projectcalico.org/", StringComparison.Ordinal)).ToList();
        var backendExcluded = $"!(projectcalico.org/namespace == '{PlatformContract.AppNamespace}' && app.kubernetes.io/instance == 'easypay' && app.kubernetes.io/name == 'easypay' && app.kubernetes.io/component == 'backend')";
        foreach (var policy in guards)
        {
            var problems = new List<string>();
            if (policy.Text("spec.tier") != AdminTier)
            {
                problems.Add($"is in tier '{policy.Text("spec.tier") ?? "default"}': only {AdminTier} (ahead of the default tier, default action Pass) denies without cutting other egress");
            }
            var rules = policy.Nodes("spec.egress");
            foreach (var rule in rules.Where(r => r.Text("action") is "Allow" or "Pass"))
            {
                problems.Add($"has an {rule.Text("action")} egress rule: it would let traffic skip the Kubernetes policies or the tier's later policies");
            }
            if (policy.Text("spec.selector") != backendExcluded)
            {
                problems.Add($"selects '{policy.Text("spec.selector")}': it must select every pod but the backend ({backendExcluded})");
            }
            var denied = rules.Where(r => r.Text("action") == "Deny" && (r.Text("protocol") ?? "") == "TCP").ToList();
            if (!denied.Any(r => dataCidrs.All(c => r.Texts("destination.nets").Contains(c)) && ports.All(p => r.Texts("destination.ports").Contains(p))))
            {
                problems.Add($"has no Deny rule for TCP {string.Join(",", ports)} to every data subnet ({string.Join(", ", dataCidrs)})");
            }
            if (!policy.Texts("spec.types").Contains("Egress"))
            {
                problems.Add("does not apply to egress");
            }
            foreach (var problem in problems)
            {
                yield return ctx.Violation(policy, problem);
            }
        }
        if (guards.Count == 0)
        {
            yield return new Violation(ctx.Target, "GlobalNetworkPolicy", "no Calico GlobalNetworkPolicy denies the data ports to the data subnets for pods outside the backend");
        }
    }

    /// <summary>Calico v3.30: the tier AdminNetworkPolicies live in, created by the API server (libcalico-go
    /// clientv3 EnsureInitialized: order 1000, default action Pass); Calico policies may be added to it.</summary>
    public const string AdminTier = "adminnetworkpolicy";

    private static class DataTierAclEphemeral
    {
        public const double From = global::EasyPay.Tf.Modules.Network.DataTierAcl.EphemeralFrom;
        public const double To = global::EasyPay.Tf.Modules.Network.DataTierAcl.EphemeralTo;
    }
}
