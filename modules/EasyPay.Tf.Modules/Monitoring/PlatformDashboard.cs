namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>The widgets of the platform's dashboard: alarm states on top, then the request path (ALB),
/// the database (per instance) and the cluster, each graph with the alarm threshold it relates to.</summary>
public static class PlatformDashboard
{
    private static readonly string[] LatencyPercentiles = ["p50", "p95", "p99"];

    public static IReadOnlyList<DashboardWidget> Widgets(PlatformSignals s, IReadOnlyList<string> alarmArns)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.Validate();
        var tgs = s.TargetGroups;
        var instances = s.DbInstanceIdentifiers;
        return
        [
            new AlarmStatusWidget("Alarms", alarmArns) { Width = 24, Height = 4 },

            // Request path
            new GraphWidget("Requests per minute",
                [
                    PlatformMetrics.LoadBalancer(s, "RequestCount", "Sum") with { Label = "all" },
                    .. tgs.Select(t => PlatformMetrics.TargetGroup(s, t.ArnSuffix, "RequestCount", "Sum") with { Label = t.Service }),
                ]),
            new GraphWidget("Target response time (s)",
                [
                    .. LatencyPercentiles.Select(p => PlatformMetrics.TargetGroup(s, s.ApiTargetGroupArnSuffix, "TargetResponseTime", p) with { Label = $"api {p}" }),
                    PlatformMetrics.TargetGroup(s, s.FrontendTargetGroupArnSuffix, "TargetResponseTime", "p95") with { Label = "frontend p95" },
                ])
            { Lines = [new HorizontalLine("p95 alarm", PlatformAlarms.LatencyP95Seconds)] },
            new GraphWidget("5xx per minute",
                [
                    PlatformMetrics.LoadBalancer(s, "HTTPCode_ELB_5XX_Count", "Sum") with { Label = "load balancer 5xx" },
                    .. tgs.Select(t => PlatformMetrics.TargetGroup(s, t.ArnSuffix, "HTTPCode_Target_5XX_Count", "Sum") with { Label = $"{t.Service} 5xx" }),
                ])
            { Lines = [new HorizontalLine("load balancer 5xx alarm", PlatformAlarms.LoadBalancerErrorsPerMinute)] },
            new GraphWidget("Payment failure SLO (% of /api requests)", [PlatformMetrics.PaymentFailurePercent(s)])
            {
                Lines = [new HorizontalLine("SLO", PlatformAlarms.PaymentFailureSloPercent)],
                YAxisLabel = "%",
            },
            // Both target groups hold the same frontend pods: one pair of lines says it all.
            new GraphWidget("Healthy frontend pods (ALB)",
                [
                    PlatformMetrics.TargetGroup(s, s.FrontendTargetGroupArnSuffix, "HealthyHostCount", "Minimum") with { Label = "healthy" },
                    PlatformMetrics.TargetGroup(s, s.FrontendTargetGroupArnSuffix, "UnHealthyHostCount", "Maximum") with { Label = "unhealthy" },
                ]),
            new GraphWidget("NAT gateway port allocation errors",
                [.. s.NatGatewayIds.Select(id => PlatformMetrics.NatGateway(id, "ErrorPortAllocation", "Sum"))]),

            // Database, per instance (the alarms watch roles; the graphs show which instance)
            new GraphWidget("Aurora CPU per instance (%)", [.. instances.Select(i => PlatformMetrics.DbInstance(i, "CPUUtilization", "Maximum"))])
            { Lines = [new HorizontalLine("writer CPU alarm", PlatformAlarms.WriterCpuPercent)] },
            new GraphWidget("Aurora connections per instance", [.. instances.Select(i => PlatformMetrics.DbInstance(i, "DatabaseConnections", "Maximum"))])
            { Lines = [new HorizontalLine("connections alarm", PlatformAlarms.ConnectionsThreshold(s.DbMaxConnections))] },
            new GraphWidget("Aurora replica lag per instance (ms)", [.. instances.Select(i => PlatformMetrics.DbInstance(i, "AuroraReplicaLag", "Maximum"))])
            { Lines = [new HorizontalLine("replica lag alarm", PlatformAlarms.ReplicaLagMilliseconds)] },
            new GraphWidget("Aurora freeable memory per instance (bytes)", [.. instances.Select(i => PlatformMetrics.DbInstance(i, "FreeableMemory", "Minimum"))])
            { Lines = [new HorizontalLine("memory alarm", PlatformAlarms.FreeableMemoryThresholdBytes(s.DbInstanceMemoryGiB))] },

            // Cache, per node (the alarms watch the worst node; the graphs show which)
            new GraphWidget("Cache engine CPU per node (%)", [.. s.Cache.MemberClusterIds.Select(n => PlatformMetrics.CacheNode(n, "EngineCPUUtilization", "Maximum"))])
            { Lines = [new HorizontalLine("engine CPU alarm", PlatformAlarms.CacheEngineCpuPercent)] },
            new GraphWidget("Cache memory used per node (% of maxmemory)", [.. s.Cache.MemberClusterIds.Select(n => PlatformMetrics.CacheNode(n, "DatabaseMemoryUsagePercentage", "Maximum"))])
            { Lines = [new HorizontalLine("memory alarm", PlatformAlarms.CacheMemoryPercent)] },
            new GraphWidget("Cache evictions and connections per node",
                [
                    .. s.Cache.MemberClusterIds.Select(n => PlatformMetrics.CacheNode(n, "Evictions", "Sum") with { Label = $"{n} evictions" }),
                    .. s.Cache.MemberClusterIds.Select(n => PlatformMetrics.CacheNode(n, "CurrConnections", "Maximum") with { Label = $"{n} connections" }),
                ]),
            new GraphWidget("Cache replication lag per node (s) and primaries",
                [
                    .. s.Cache.MemberClusterIds.Select(n => PlatformMetrics.CacheNode(n, "ReplicationLag", "Maximum") with { Label = $"{n} lag" }),
                    PlatformMetrics.CachePrimaries(s.Cache),
                ])
            { Lines = [new HorizontalLine("replication lag alarm", PlatformAlarms.CacheReplicationLagSeconds)] },

            // Cluster
            new GraphWidget("EKS nodes and pods",
                [
                    PlatformMetrics.Cluster(s, "cluster_node_count", "Minimum") with { Label = "nodes" },
                    PlatformMetrics.Cluster(s, "cluster_failed_node_count", "Maximum") with { Label = "failed nodes" },
                    PlatformMetrics.Cluster(s, "service_number_of_running_pods", "Average") with { Label = "running pods (services)" },
                ])
            { Lines = [new HorizontalLine("node group minimum", s.NodeGroupMinSize)] },
            new GraphWidget("EKS node CPU (%) and container restarts",
                [
                    PlatformMetrics.Cluster(s, "node_cpu_utilization", "Average") with { Label = "node CPU average" },
                    PlatformMetrics.Cluster(s, "pod_number_of_container_restarts", "Sum") with { Label = "container restarts" },
                ])
            { Lines = [new HorizontalLine("node CPU alarm", PlatformAlarms.NodeCpuPercent)] },
        ];
    }
}
