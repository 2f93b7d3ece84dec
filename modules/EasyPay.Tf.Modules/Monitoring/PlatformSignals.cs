using EasyPay.Tf.Modules.Core;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>The names CloudWatch knows the platform's moving parts by, plus the capacity facts the alarm
/// thresholds derive from. String values may be Terraform tokens (cross-stack outputs) unless noted.</summary>
public sealed record PlatformSignals
{
    /// <summary>"app/name/id": the LoadBalancer dimension.</summary>
    public required string AlbArnSuffix { get; init; }

    /// <summary>"targetgroup/name/id" of the listener's default group (frontend pods).</summary>
    public required string FrontendTargetGroupArnSuffix { get; init; }

    /// <summary>"targetgroup/name/id" of the /api/* group: the payment API's requests, which reach the backend
    /// through the frontend pods (nginx), so the group's metrics are the API's end to end.</summary>
    public required string ApiTargetGroupArnSuffix { get; init; }

    /// <summary>EKS cluster (Container Insights' ClusterName dimension).</summary>
    public required string ClusterName { get; init; }

    /// <summary>Known at synth time: nodes the cluster never has fewer of.</summary>
    public required int NodeGroupMinSize { get; init; }

    /// <summary>Aurora cluster.</summary>
    public required string DbClusterIdentifier { get; init; }

    /// <summary>Known at synth time: writer first, then readers.</summary>
    public required IReadOnlyList<string> DbInstanceIdentifiers { get; init; }

    /// <summary>Known at synth time: max_connections of the instance class.</summary>
    public required int DbMaxConnections { get; init; }

    /// <summary>Known at synth time: memory of the instance class.</summary>
    public required double DbInstanceMemoryGiB { get; init; }

    /// <summary>NAT gateways of the VPC.</summary>
    public required IReadOnlyList<string> NatGatewayIds { get; init; }

    /// <summary>Where the payment API logs, named in the alarm descriptions; null = "the application log group".</summary>
    public string? ApplicationLogGroupName { get; init; }

    /// <summary>The ALB's web ACL; null = none (no WAF alarms).</summary>
    public WafSignals? Waf { get; init; }

    /// <summary>The Valkey replication group.</summary>
    public required CacheSignals Cache { get; init; }

    /// <summary>Aurora readers exist (replica lag and reader alarms make sense).</summary>
    public bool HasDbReaders => DbInstanceIdentifiers.Count > 1;

    /// <summary>The target groups by the name alarms and graphs use: "frontend" (pages) and "api" (payment API).</summary>
    public IReadOnlyList<(string Service, string ArnSuffix)> TargetGroups =>
        [("frontend", FrontendTargetGroupArnSuffix), ("api", ApiTargetGroupArnSuffix)];

    public void Validate()
    {
        var v = new PropsValidator(nameof(PlatformSignals))
            .CheckNotEmpty(AlbArnSuffix, nameof(AlbArnSuffix))
            .CheckNotEmpty(FrontendTargetGroupArnSuffix, nameof(FrontendTargetGroupArnSuffix))
            .CheckNotEmpty(ApiTargetGroupArnSuffix, nameof(ApiTargetGroupArnSuffix))
            .CheckNotEmpty(ClusterName, nameof(ClusterName))
            .Check(NodeGroupMinSize >= 1, nameof(NodeGroupMinSize), $"{NodeGroupMinSize} must be at least 1 (the node-count alarm fires below it)")
            .CheckNotEmpty(DbClusterIdentifier, nameof(DbClusterIdentifier))
            .Check(DbInstanceIdentifiers.Count > 0, nameof(DbInstanceIdentifiers), "is empty: list the writer, then the readers")
            .Check(DbMaxConnections > 0, nameof(DbMaxConnections), $"{DbMaxConnections} must be positive (the connection alarm is a share of it)")
            .Check(DbInstanceMemoryGiB > 0, nameof(DbInstanceMemoryGiB), $"{DbInstanceMemoryGiB} must be positive (the memory alarm is a share of it)")
            .Check(NatGatewayIds.Count > 0, nameof(NatGatewayIds), "is empty: the VPC has at least one NAT gateway")
            .Check(Cache is not null && Cache.MemberClusterIds.Count > 0, "Cache.MemberClusterIds", "is empty: list the replication group's member clusters, primary first");
        if (Waf is { } waf)
        {
            v.CheckNotEmpty(waf.WebAclName, "Waf.WebAclName")
                .CheckNotEmpty(waf.Region, "Waf.Region")
                .Check(waf.RuleMetricNames.Count > 0, "Waf.RuleMetricNames", "is empty: name the metric of every rule of the web ACL")
                .Check(waf.RuleMetricNames.Contains(waf.RateRuleMetricName), "Waf.RateRuleMetricName", $"'{waf.RateRuleMetricName}' is not one of the rule metric names");
        }
        v.ThrowIfInvalid();
    }
}

/// <summary>How CloudWatch knows the cache: AWS/ElastiCache publishes node metrics every 60 seconds with the dimensions
/// CacheClusterId (a member cluster) and CacheNodeId (ElastiCache user guide, "Monitoring use with CloudWatch metrics").</summary>
/// <param name="ReplicationGroupId">Known at synth time.</param>
/// <param name="MemberClusterIds">Known at synth time: the member clusters (one node each), the initial primary first.</param>
public sealed record CacheSignals(string ReplicationGroupId, IReadOnlyList<string> MemberClusterIds)
{
    /// <summary>Replicas exist: replication lag makes sense, and a failover has somewhere to go.</summary>
    public bool HasReplicas => MemberClusterIds.Count > 1;
}

/// <summary>How CloudWatch knows the ALB's AWS WAF web ACL: AWS/WAFV2 metrics carry the dimensions WebACL, Region
/// (regional ACLs) and Rule (each rule's metric name).</summary>
/// <param name="WebAclName">The web ACL's name, equal to its metric name (may be a token).</param>
/// <param name="Region">The ACL's region (Region dimension).</param>
/// <param name="RuleMetricNames">Known at synth time: every rule's metric name.</param>
/// <param name="RateRuleMetricName">Known at synth time: the per-IP rate rule's metric name.</param>
/// <param name="Blocks">Known at synth time: rules block (BlockedRequests) rather than count (CountedRequests).</param>
public sealed record WafSignals(string WebAclName, string Region, IReadOnlyList<string> RuleMetricNames, string RateRuleMetricName, bool Blocks)
{
    /// <summary>What a matching rule publishes in this mode (AWS WAF developer guide, "AWS WAF metrics and dimensions":
    /// rules in Count mode report their matches as Count metrics).</summary>
    public string MatchMetric => Blocks ? "BlockedRequests" : "CountedRequests";
}

/// <summary>The platform's metrics, shared by its alarms and its dashboard.</summary>
public static class PlatformMetrics
{
    private const string Alb = "AWS/ApplicationELB";
    private const string Rds = "AWS/RDS";
    private const string ContainerInsights = "ContainerInsights";

    public static MetricStat LoadBalancer(PlatformSignals s, string metric, string statistic) =>
        new(Alb, metric, statistic, new Dictionary<string, string> { ["LoadBalancer"] = s.AlbArnSuffix });

    public static MetricStat TargetGroup(PlatformSignals s, string targetGroupArnSuffix, string metric, string statistic) =>
        new(Alb, metric, statistic, new Dictionary<string, string> { ["LoadBalancer"] = s.AlbArnSuffix, ["TargetGroup"] = targetGroupArnSuffix });

    /// <summary>Share of the payment API's requests (/api/*) answered with a 5xx by the pods behind the ALB, in
    /// percent: the backend's own 5xx pass through nginx, and nginx adds 502/504 when the backend is gone. A
    /// minute without 5xx has no error datapoint (FILL makes it 0); a minute without requests counts as 0 %.</summary>
    public static MetricMath PaymentFailurePercent(PlatformSignals s) =>
        new("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", new Dictionary<string, MetricStat>
        {
            ["errors"] = TargetGroup(s, s.ApiTargetGroupArnSuffix, "HTTPCode_Target_5XX_Count", "Sum"),
            ["requests"] = TargetGroup(s, s.ApiTargetGroupArnSuffix, "RequestCount", "Sum"),
        })
        { Label = "Payment failures (% of /api requests)" };

    /// <summary>Aurora metric of whichever instance holds <paramref name="role"/> (WRITER or READER): role
    /// metrics follow a failover, instance metrics do not (AWS's advice for Aurora alarms).</summary>
    public static MetricStat DbRole(PlatformSignals s, string role, string metric, string statistic) =>
        new(Rds, metric, statistic, new Dictionary<string, string> { ["DBClusterIdentifier"] = s.DbClusterIdentifier, ["Role"] = role });

    public static MetricStat DbInstance(string instanceIdentifier, string metric, string statistic) =>
        new(Rds, metric, statistic, new Dictionary<string, string> { ["DBInstanceIdentifier"] = instanceIdentifier }) { Label = instanceIdentifier };

    public static MetricStat Cluster(PlatformSignals s, string metric, string statistic) =>
        new(ContainerInsights, metric, statistic, new Dictionary<string, string> { ["ClusterName"] = s.ClusterName });

    /// <summary>Nodes whose Ready condition is true. node_status_condition_ready is 1 per Ready node and is also
    /// published with the ClusterName-only dimension set in enhanced Container Insights (amazon-cloudwatch-agent
    /// translator/translate/otel/exporter/awsemf/kubernetes.go, getNodeMetricDeclarations), once per node and
    /// minute: the Sum is the number of Ready nodes. A node that is NotReady reports 0, a dead one nothing.
    /// cluster_node_count counts every node object and cluster_failed_node_count only pressure conditions
    /// (failedNodeConditions has no Ready), so neither sees a NotReady node.</summary>
    public static MetricStat ReadyNodes(PlatformSignals s) => Cluster(s, "node_status_condition_ready", "Sum");

    /// <summary>Node objects that are not Ready: every node the API server lists minus the Ready ones.</summary>
    public static MetricMath NotReadyNodes(PlatformSignals s) =>
        new("total - FILL(ready, 0)", new Dictionary<string, MetricStat>
        {
            ["total"] = Cluster(s, "cluster_node_count", "Maximum"),
            ["ready"] = ReadyNodes(s),
        });

    /// <summary>Port-allocation errors of every NAT gateway, summed (each is a failed outbound connection).</summary>
    public static MetricMath NatPortAllocationErrors(PlatformSignals s) =>
        MetricMath.Sum("nat", [.. s.NatGatewayIds.Select(id => NatGateway(id, "ErrorPortAllocation", "Sum"))]) with { Label = "NAT port allocation errors" };

    public static MetricStat NatGateway(string natGatewayId, string metric, string statistic) =>
        new("AWS/NATGateway", metric, statistic, new Dictionary<string, string> { ["NatGatewayId"] = natGatewayId });

    /// <summary>Requests one rule of the web ACL blocked (or, in count mode, counted) in the period.</summary>
    public static MetricStat WafRule(WafSignals w, string ruleMetricName) =>
        new("AWS/WAFV2", w.MatchMetric, "Sum", new Dictionary<string, string> { ["WebACL"] = w.WebAclName, ["Region"] = w.Region, ["Rule"] = ruleMetricName })
        { Label = ruleMetricName };

    /// <summary>Requests any rule of the web ACL blocked (counted), summed rule by rule: each request is counted
    /// once per matching rule in count mode, once (by the terminating rule) in block mode.</summary>
    public static MetricMath WafMatches(WafSignals w) =>
        MetricMath.Sum("rule", [.. w.RuleMetricNames.Select(name => WafRule(w, name))]) with
        {
            Label = w.Blocks ? "Requests blocked by the web ACL" : "Requests the web ACL would block (count mode)",
        };

    /// <summary>The one node of a member cluster of a cluster-mode-disabled replication group is node "0001" (ElastiCache
    /// API DescribeReplicationGroups: NodeGroupMembers CacheClusterId "name-001", CacheNodeId "0001").</summary>
    public const string CacheNodeId = "0001";

    public static MetricStat CacheNode(string memberClusterId, string metric, string statistic) =>
        new("AWS/ElastiCache", metric, statistic, new Dictionary<string, string> { ["CacheClusterId"] = memberClusterId, ["CacheNodeId"] = CacheNodeId })
        { Label = memberClusterId };

    /// <summary>The worst node of the replication group: whichever node is primary now, a replica about to be one, or a
    /// node one client hammers. MAX over the nodes (FILL 0: a node being replaced publishes nothing).</summary>
    public static MetricMath CacheWorstNode(CacheSignals c, string metric, string statistic, string label) =>
        MetricMath.Max("node", [.. c.MemberClusterIds.Select(id => CacheNode(id, metric, statistic))]) with { Label = label };

    /// <summary>Nodes that are primary: IsMaster is 1 on the primary and 0 on a replica. Below 1 for a minute = no
    /// node accepts writes (a failover in progress, or a single node down).</summary>
    public static MetricMath CachePrimaries(CacheSignals c) =>
        MetricMath.Sum("node", [.. c.MemberClusterIds.Select(id => CacheNode(id, "IsMaster", "Maximum"))]) with { Label = "Cache nodes that are primary" };

    public static MetricStat Route53HealthCheck(string healthCheckId) =>
        new("AWS/Route53", "HealthCheckStatus", "Minimum", new Dictionary<string, string> { ["HealthCheckId"] = healthCheckId });
}
