using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>AVL: nothing on the request path lives in fewer AZs than the environment is configured for.</summary>
public static class AvailabilityRules
{
    public static readonly StackRule Subnets = new("AVL-001",
        "Every subnet tier spans the configured AZs, in AZs of the environment known at synth time",
        Severity.High, Applicability.AllEnvironments,
        "A tier missing an AZ makes everything placed in it single-AZ there.",
        SubnetProblems)
    {
        Subjects = ["aws_subnet"],
    };

    public static readonly StackRule NatGateways = new("AVL-002",
        "Production has a NAT gateway in each configured AZ",
        Severity.High, Applicability.ProductionOnly,
        "With one NAT gateway, losing its AZ cuts every node's egress (image pulls, AWS APIs).",
        NatProblems)
    {
        Subjects = ["aws_nat_gateway", "aws_subnet"],
    };

    public static readonly StackRule NodeGroups = new("AVL-003",
        "EKS node groups: one per AZ, together covering every configured AZ, each keeping at least one node (min_size)",
        Severity.High, Applicability.AllEnvironments,
        "Pods can only spread across zones that have nodes, and cluster-autoscaler can add a node in the zone a Pending pod needs only when each node group is in one zone (cluster-autoscaler FAQ: \"use separate node groups per zone\").",
        NodeGroupProblems)
    {
        Subjects = ["aws_eks_node_group"],
    };

    public static readonly StackRule AuroraZones = new("AVL-004",
        "Production Aurora clusters have an instance in each configured AZ",
        Severity.High, Applicability.ProductionOnly,
        "Failover within a minute needs a reader ready in every other AZ (99.99% target in prod).",
        ctx => ctx.Resources("aws_rds_cluster").SelectMany(cluster =>
        {
            var instances = Instances(ctx, cluster);
            var zones = instances.Select(LiteralZone).OfType<string>().Distinct().ToList();
            return zones.Count >= ctx.AzCount
                ? []
                : new[] { ctx.Violation(cluster, $"{instances.Count} instance(s) in {zones.Count} AZ(s) ({string.Join(", ", zones)}); production needs one in each of the {ctx.AzCount} AZs") };
        }))
    {
        Subjects = ["aws_rds_cluster"],
    };

    public static readonly StackRule AuroraReaders = new("AVL-005",
        "Aurora readers run in AZs other than the writer's (every instance in its own, explicit AZ)",
        Severity.High, Applicability.AllEnvironments,
        "A reader beside the writer dies with it: the failover target must be elsewhere.",
        ctx => ctx.Resources("aws_rds_cluster").SelectMany(cluster =>
        {
            var instances = Instances(ctx, cluster);
            if (instances.Count < 2)
            {
                return [];
            }
            var unplaced = instances.Where(i => LiteralZone(i) is null)
                .Select(i => ctx.Violation(i, "availability_zone is not set to a literal AZ: placement is left to RDS and may share the writer's AZ"));
            var shared = instances.Where(i => LiteralZone(i) is not null)
                .GroupBy(i => LiteralZone(i)!)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g.Skip(1).Select(i => ctx.Violation(i, $"shares AZ {g.Key} with {g.First().Address}: a reader there fails together with the writer")));
            return unplaced.Concat(shared);
        }))
    {
        Subjects = ["aws_rds_cluster"],
    };

    public static readonly StackRule LoadBalancers = new("AVL-006",
        "Application load balancers span the configured AZs",
        Severity.High, Applicability.AllEnvironments,
        "The ALB is the front door: a missing AZ drops its targets there from the request path.",
        ctx => AwsFacts.ApplicationLoadBalancers(ctx)
            .Select(lb => (Lb: lb, Spread: Zones(ctx, new JsonArray([.. TfValue.List(lb["subnets"]).Concat(TfValue.Blocks(lb["subnet_mapping"]).Select(m => TfValue.Text(m["subnet_id"])).OfType<string>()).Select(s => JsonValue.Create(s))]))))
            .Where(x => x.Spread.Count < ctx.AzCount)
            .Select(x => ctx.Violation(x.Lb, $"subnets span {x.Spread.Describe()}; the environment has {ctx.AzCount} AZs")))
    {
        Subjects = ["aws_lb", "aws_alb"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [Subnets, NatGateways, NodeGroups, AuroraZones, AuroraReaders, LoadBalancers];

    /// <summary>How many AZs a list of subnet references spans. References that resolve to an aws_subnet (in
    /// this stack or, through remote state, in the network stack) count by their AZ; those that do not
    /// resolve count as one AZ each (an upper bound).</summary>
    public sealed record Spread(IReadOnlyList<string> Zones, int Unresolved)
    {
        public int Count => Zones.Count + Unresolved;

        public string Describe() => Unresolved == 0
            ? $"{Zones.Count} AZ(s) ({string.Join(", ", Zones)})"
            : $"at most {Count} AZ(s) ({string.Join(", ", Zones.Append($"{Unresolved} unresolved subnet(s)"))})";
    }

    private static IEnumerable<Violation> NodeGroupProblems(PolicyContext ctx)
    {
        var groups = ctx.Resources("aws_eks_node_group").Select(g => (Group: g, Spread: Zones(ctx, g["subnet_ids"]))).ToList();
        var covered = new Spread([.. groups.SelectMany(g => g.Spread.Zones).Distinct().Order(StringComparer.Ordinal)], groups.Sum(g => g.Spread.Unresolved));
        foreach (var (group, spread) in groups)
        {
            var min = TfValue.Number(TfValue.Block(group["scaling_config"])?["min_size"]);
            foreach (var violation in ctx.Violations(group,
                (spread.Zones.Count > 1, $"subnet_ids span {spread.Describe()}: a node group spanning AZs lets the Auto Scaling group, not cluster-autoscaler, pick the AZ of a new node; give each AZ its own node group"),
                (covered.Count < ctx.AzCount, $"the stack's node groups together span {covered.Describe()}; the environment has {ctx.AzCount} AZs"),
                (min is null || min < 1, $"scaling_config.min_size {min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not a literal)"} leaves its AZ without a node")))
            {
                yield return violation;
            }
        }
    }

    public static Spread Zones(PolicyContext ctx, JsonNode? subnetIds)
    {
        var zones = new HashSet<string>(StringComparer.Ordinal);
        var unresolved = 0;
        foreach (var item in TfValue.List(subnetIds))
        {
            var subnets = ctx.References(JsonValue.Create(item)).Where(r => r.Type == "aws_subnet").ToList();
            if (subnets.Count == 0)
            {
                unresolved++;
            }
            foreach (var zone in subnets.Select(s => TfValue.Text(s["availability_zone"]) ?? TfValue.Text(s["availability_zone_id"])).OfType<string>())
            {
                zones.Add(zone);
            }
        }
        return new Spread([.. zones.Order(StringComparer.Ordinal)], unresolved);
    }

    /// <summary>The availability_zone of a subnet or instance when it is known at synth time, else null.</summary>
    public static string? LiteralZone(TfResource resource) =>
        TfValue.Text(resource?["availability_zone"]) is { } zone && !TfValue.IsToken(zone) ? zone : null;

    /// <summary>The aws_rds_cluster_instance resources of a cluster (by reference or literal identifier).</summary>
    public static IReadOnlyList<TfResource> Instances(PolicyContext ctx, TfResource cluster) =>
        [.. ctx.Resources("aws_rds_cluster_instance").Where(i => TfValue.Text(i["cluster_identifier"]) is { } id
            && (TfValue.IsToken(id) ? ctx.RefersTo(i["cluster_identifier"], cluster) : id == TfValue.Text(cluster["cluster_identifier"])))];

    private static IEnumerable<Violation> SubnetProblems(PolicyContext ctx)
    {
        var subnets = ctx.Resources("aws_subnet").ToList();
        foreach (var subnet in subnets)
        {
            var zone = LiteralZone(subnet);
            if (zone is null)
            {
                yield return ctx.Violation(subnet, "availability_zone is not a literal: the AZ spread cannot be reviewed from the plan");
            }
            else if (!ctx.Env.AvailabilityZones.Contains(zone))
            {
                yield return ctx.Violation(subnet, $"is in {zone}, which is not one of the environment's AZs ({string.Join(", ", ctx.Env.AvailabilityZones)})");
            }
        }
        foreach (var tier in subnets.GroupBy(s => TfValue.Map(s["tags"]).GetValueOrDefault("Tier") ?? "untiered"))
        {
            var zones = tier.Select(LiteralZone).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            if (zones.Count < ctx.AzCount)
            {
                yield return ctx.Violation($"aws_subnet.*[Tier={tier.Key}]", $"the {tier.Key} tier spans {zones.Count} AZ(s) ({string.Join(", ", zones)}); the environment has {ctx.AzCount}");
            }
        }
    }

    private static IEnumerable<Violation> NatProblems(PolicyContext ctx)
    {
        var nats = ctx.Resources("aws_nat_gateway").Where(n => TfValue.Text(n["connectivity_type"]) is null or "public").ToList();
        var privateSubnets = ctx.Resources("aws_subnet").Any(s => TfValue.Map(s["tags"]).GetValueOrDefault("Tier") == "private");
        if (nats.Count == 0 && !privateSubnets)
        {
            yield break;
        }
        var spread = Zones(ctx, new JsonArray([.. nats.Select(n => (JsonNode?)JsonValue.Create(TfValue.Text(n["subnet_id"]) ?? ""))]));
        if (spread.Count < ctx.AzCount)
        {
            yield return ctx.Violation("aws_nat_gateway.*", $"{nats.Count} NAT gateway(s) in {spread.Describe()}; production needs one in each of the {ctx.AzCount} AZs");
        }
    }
}
