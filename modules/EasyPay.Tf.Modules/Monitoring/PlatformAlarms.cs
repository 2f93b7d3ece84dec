using System.Globalization;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>The platform's alarms: what threatens payments, at which threshold, and what the on-call checks
/// first. docs/alarms.md explains each one for payments; keep the two in step.
/// Critical alarms fire on one 60-second datapoint; warnings need the condition sustained over several
/// 60-second periods. Thresholds that depend on capacity are derived from it, never hard-coded.</summary>
public static class PlatformAlarms
{
    /// <summary>The payment failure SLO: at most 0.5 % of payment API requests may fail.</summary>
    public const double PaymentFailureSloPercent = 0.5;

    /// <summary>The SLO is measured over 5 minutes: the alarm stays in ALARM until 5 clean minutes passed.</summary>
    public const int SloWindowMinutes = 5;

    public const double LatencyP95Seconds = 1;

    /// <summary>Errors the load balancer itself returns (502/503/504) per minute.</summary>
    public const double LoadBalancerErrorsPerMinute = 10;

    public const double WriterCpuPercent = 80;
    public const double ConnectionsShareOfMax = 0.8;
    public const double FreeableMemoryShareOfClass = 0.1;
    public const double ReplicaLagMilliseconds = 1000;
    public const double NodeCpuPercent = 70;

    /// <summary>Valkey executes commands on one engine thread: above this its latency climbs for every client.</summary>
    public const double CacheEngineCpuPercent = 90;

    /// <summary>Share of maxmemory in use above which evictions (volatile-lru) or refused writes are near.</summary>
    public const double CacheMemoryPercent = 90;

    /// <summary>Seconds a replica may trail the primary: reads through the reader endpoint are that stale, and a
    /// failover now loses up to that many seconds of writes (replication is asynchronous).</summary>
    public const double CacheReplicationLagSeconds = 2;

    /// <summary>ElastiCache's fixed client limit per node (ElastiCache user guide, "Valkey and Redis OSS configuration
    /// and limits": maxclients 65000, not modifiable).</summary>
    public const int CacheMaxClients = 65000;

    public const double CacheConnectionsShareOfMax = 0.8;

    /// <summary>Connections above which the cache connection alarm fires: 80 % of maxclients.</summary>
    public static double CacheConnectionsThreshold => Math.Floor(CacheMaxClients * CacheConnectionsShareOfMax);

    /// <summary>Minutes a warning's condition must hold before it notifies.</summary>
    public const int SustainedMinutes = 3;
    public const int NodeCpuSustainedMinutes = 5;

    /// <summary>Requests the web ACL blocks in a minute before someone looks: a scanner or an attack (or a rule
    /// that started to hit real clients after a deployment or an AWS rule-group update). About 5 a second: one
    /// client's stray bad request or a crawler's probe stays below it.</summary>
    public const double WafMatchesPerMinute = 300;

    public const string DatabaseDegraded = "database-degraded";
    public const string HealthCheckAlarm = "dns-health-check";

    /// <summary>Connections above which the connection alarms fire: 80 % of the instance class's max_connections.</summary>
    public static double ConnectionsThreshold(int maxConnections) => Math.Floor(maxConnections * ConnectionsShareOfMax);

    /// <summary>Freeable memory (bytes) below which the memory alarms fire: 10 % of the instance class's memory.</summary>
    public static double FreeableMemoryThresholdBytes(double memoryGiB) => Math.Round(memoryGiB * FreeableMemoryShareOfClass * 1024 * 1024 * 1024);

    public static IReadOnlyList<AlarmDefinition> Definitions(PlatformSignals s)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.Validate();
        var alarms = new List<AlarmDefinition>();
        alarms.AddRange(LoadBalancer(s));
        alarms.AddRange(Database(s));
        alarms.AddRange(Cache(s.Cache));
        alarms.AddRange(Cluster(s));
        if (s.Waf is { } waf)
        {
            alarms.AddRange(WebAcl(waf));
        }
        alarms.Add(new AlarmDefinition("nat-port-allocation-errors",
            "NAT gateways are dropping outbound connections (port allocation errors): calls from the pods to payment providers fail. " +
            "Check first: the NAT gateways' ActiveConnectionCount and the backend's outbound connection pooling (too many new connections to one destination).",
            PlatformMetrics.NatPortAllocationErrors(s), AlarmComparison.GreaterThanThreshold, 0, AlarmSeverity.Critical,
            MissingData.NotBreaching)); // NAT metrics are only published while the gateway handles traffic: silence has no errors
        return alarms;
    }

    /// <summary>"database degraded": any database alarm, as one signal for the incident tool and the dashboard.</summary>
    public static IReadOnlyList<CompositeAlarmDefinition> Composites(PlatformSignals s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var children = Database(s).Select(a => a.Name).ToList();
        return
        [
            new CompositeAlarmDefinition(DatabaseDegraded,
                "The Aurora cluster is degraded: one of its CPU, connection, memory or replica-lag alarms is in ALARM. " +
                "Check first: which child alarm fired (dashboard, Aurora section), then Performance Insights for the top SQL and waits.",
                children, AlarmSeverity.Critical),
        ];
    }

    /// <summary>The Route 53 health check of the load balancer (its metric lives in us-east-1 only).</summary>
    public static AlarmDefinition HealthCheck(string healthCheckId) => new(HealthCheckAlarm,
        "Route 53 sees the deep health check (ALB → nginx → payment API → database) failing from most checker regions: DNS is failing over to the maintenance page. " +
        "Check first: the payment-failure SLO and database-degraded alarms, the backend pods and the ALB's healthy hosts; the failover reverts by itself once the check passes again.",
        PlatformMetrics.Route53HealthCheck(healthCheckId), AlarmComparison.LessThanThreshold, 1, AlarmSeverity.Critical,
        MissingData.Breaching); // Route 53 reports the status every minute: silence means the check itself is gone

    private static IEnumerable<AlarmDefinition> LoadBalancer(PlatformSignals s)
    {
        // The ALB's only targets are the frontend pods (both target groups hold the same pods, so one
        // unhealthy-host alarm covers them); the backend sits behind them and shows in the api group's 5xx.
        yield return new AlarmDefinition("alb-frontend-unhealthy-hosts",
            "A frontend pod fails the load balancer's health check: its share of requests is retried or fails. " +
            "Check first: the frontend pods (kubectl get pods: restarts, readiness) and the target group's health-check reasons.",
            PlatformMetrics.TargetGroup(s, s.FrontendTargetGroupArnSuffix, "UnHealthyHostCount", "Maximum"), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Critical,
            MissingData.NotBreaching); // the ALB publishes host counts only while the target group is in use: no traffic, no unhealthy host
        foreach (var (service, tg) in s.TargetGroups)
        {
            yield return new AlarmDefinition($"alb-{service}-latency-p95",
                $"The {service} target group's 95th-percentile response time stayed above {Num(LatencyP95Seconds)} s for {SustainedMinutes} minutes: payments time out in clients. " +
                $"Check first: Aurora CPU and connections (dashboard), then CPU throttling and the HPA of the {(service == "api" ? "backend pods (the api group's requests go through nginx to them)" : "frontend pods")}.",
                PlatformMetrics.TargetGroup(s, tg, "TargetResponseTime", "p95"), AlarmComparison.GreaterThanThreshold, LatencyP95Seconds,
                AlarmSeverity.Warning,
                MissingData.NotBreaching) // no requests, no latency
            {
                EvaluationPeriods = SustainedMinutes,
                DatapointsToAlarm = SustainedMinutes,
            };
        }
        yield return new AlarmDefinition("alb-5xx",
            $"The load balancer itself answered more than {Num(LoadBalancerErrorsPerMinute)} requests in a minute with 502/503/504: no healthy target, or targets reset/time out. " +
            "Check first: healthy host counts per target group, then pod restarts and recent deployments.",
            PlatformMetrics.LoadBalancer(s, "HTTPCode_ELB_5XX_Count", "Sum"), AlarmComparison.GreaterThanThreshold, LoadBalancerErrorsPerMinute,
            AlarmSeverity.Critical,
            MissingData.NotBreaching); // the ALB publishes no 5xx datapoint in a minute without 5xx
        // Fires on the first minute above the SLO (a 5-minute sum would page up to 5 minutes late) and
        // returns to OK only after 5 clean minutes: 1 of 5 sixty-second datapoints.
        yield return new AlarmDefinition("payment-failure-slo",
            $"More than {Num(PaymentFailureSloPercent)} % of payment API requests (/api/*) failed with a 5xx in a minute (SLO: < {Num(PaymentFailureSloPercent)} % over {SloWindowMinutes} minutes). " +
            $"Check first: the backend logs ({s.ApplicationLogGroupName ?? "application log group"}) for the failing endpoint, then the database-degraded alarm and recent deployments.",
            PlatformMetrics.PaymentFailurePercent(s), AlarmComparison.GreaterThanThreshold, PaymentFailureSloPercent,
            AlarmSeverity.Critical,
            MissingData.NotBreaching) // the expression yields 0 when there are no requests; no data at all means no traffic
        {
            EvaluationPeriods = SloWindowMinutes,
            DatapointsToAlarm = 1,
        };
    }

    private static IEnumerable<AlarmDefinition> WebAcl(WafSignals w)
    {
        var verb = w.Blocks ? "blocked" : "would have blocked (count mode: nothing is blocked)";
        yield return new AlarmDefinition("waf-blocked-spike",
            $"The web ACL {verb} more than {Num(WafMatchesPerMinute)} requests in a minute: an attack or scan is under way, or a rule now hits real clients. " +
            "Check first: the WAF log group (aws-waf-logs-...) with Logs Insights for the terminating rule, client IPs and URIs, then whether payments' 4xx rose (a false positive) or not (an attack held off).",
            PlatformMetrics.WafMatches(w), AlarmComparison.GreaterThanThreshold, WafMatchesPerMinute,
            AlarmSeverity.Critical,
            MissingData.NotBreaching); // WAF publishes a rule's datapoint only in minutes it matched
        yield return new AlarmDefinition("waf-api-rate-limited",
            $"A client IP exceeded the payment API's rate limit and is being {(w.Blocks ? "blocked" : "counted (count mode: not blocked)")} on /api/*: a flood from one address, or a legitimate integrator behind one IP (NAT) that outgrew the limit. " +
            "Check first: the WAF log for the rate rule's client IPs, then whether they are a known merchant or partner (raise cluster.ingress.waf.apiRateLimitPer5Minutes) or an attacker (the rule keeps blocking them).",
            PlatformMetrics.WafRule(w, w.RateRuleMetricName), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Critical,
            MissingData.NotBreaching); // no datapoint in a minute without a rate-limited request
    }

    private static IEnumerable<AlarmDefinition> Database(PlatformSignals s)
    {
        var connections = ConnectionsThreshold(s.DbMaxConnections);
        var memory = FreeableMemoryThresholdBytes(s.DbInstanceMemoryGiB);
        string[] roles = s.HasDbReaders ? ["WRITER", "READER"] : ["WRITER"];
        yield return new AlarmDefinition("db-writer-cpu",
            $"The Aurora writer's CPU stayed above {Num(WriterCpuPercent)} % for {SustainedMinutes} minutes: payment writes slow down and queue. " +
            "Check first: Performance Insights top SQL on the writer, then whether a reader could take read traffic.",
            PlatformMetrics.DbRole(s, "WRITER", "CPUUtilization", "Maximum"), AlarmComparison.GreaterThanThreshold, WriterCpuPercent,
            AlarmSeverity.Warning,
            MissingData.Ignore) // a gap during a failover keeps the last state; a lost writer is paged by the RDS events
        {
            EvaluationPeriods = SustainedMinutes,
            DatapointsToAlarm = SustainedMinutes,
        };
        foreach (var role in roles)
        {
            var r = role.ToLowerInvariant();
            // Readers: the worst reader counts (Maximum / Minimum over the role). No reader data (a reader
            // being replaced) is not a problem by itself; the writer keeps its last state over a gap.
            var missing = role == "WRITER" ? MissingData.Ignore : MissingData.NotBreaching;
            yield return new AlarmDefinition($"db-{r}-connections",
                $"An Aurora {r} has more than {Num(connections)} connections ({Num(ConnectionsShareOfMax * 100)} % of max_connections {s.DbMaxConnections}): new payment requests will be refused. " +
                "Check first: RDS Proxy client connections and borrow latency, then pods holding connections open (recent deployment, leak).",
                PlatformMetrics.DbRole(s, role, "DatabaseConnections", "Maximum"), AlarmComparison.GreaterThanThreshold, connections,
                AlarmSeverity.Critical, missing);
            yield return new AlarmDefinition($"db-{r}-freeable-memory",
                $"An Aurora {r} has less than {Num(FreeableMemoryShareOfClass * 100)} % of its {Num(s.DbInstanceMemoryGiB)} GiB free: it is about to swap or restart. " +
                "Check first: connection count (each costs memory) and Performance Insights for memory-heavy queries; scale the instance class if sustained.",
                PlatformMetrics.DbRole(s, role, "FreeableMemory", "Minimum"), AlarmComparison.LessThanThreshold, memory,
                AlarmSeverity.Critical, missing);
        }
        if (s.HasDbReaders)
        {
            yield return new AlarmDefinition("db-replica-lag",
                $"An Aurora reader lags the writer by more than {Num(ReplicaLagMilliseconds)} ms for {SustainedMinutes} minutes: reads return stale balances and a failover would take longer. " +
                "Check first: write volume and CPU on the writer, then the lagging reader's CPU and memory.",
                PlatformMetrics.DbRole(s, "READER", "AuroraReplicaLag", "Maximum"), AlarmComparison.GreaterThanThreshold, ReplicaLagMilliseconds,
                AlarmSeverity.Warning,
                MissingData.NotBreaching) // only readers report lag: no reader data is no lag
            {
                EvaluationPeriods = SustainedMinutes,
                DatapointsToAlarm = SustainedMinutes,
            };
        }
    }

    /// <summary>The Valkey replication group: alarms on the worst node, since the primary moves on a failover and the
    /// alarm must follow it; all but the authentication warning on one 60-second datapoint.</summary>
    private static IEnumerable<AlarmDefinition> Cache(CacheSignals c)
    {
        yield return new AlarmDefinition("cache-engine-cpu",
            $"A cache node's engine thread is above {Num(CacheEngineCpuPercent)} % CPU: every command on it queues, and payment requests that read sessions or rate limits slow down. " +
            "Check first: the slow log (/aws/vendedlogs/elasticache/<group>/slow-log) for expensive commands (large SCAN/ZRANGE, big values), then whether one node (the primary) takes all reads that the reader endpoint could serve.",
            PlatformMetrics.CacheWorstNode(c, "EngineCPUUtilization", "Maximum", "Cache engine CPU, worst node (%)"), AlarmComparison.GreaterThanThreshold, CacheEngineCpuPercent,
            AlarmSeverity.Critical,
            MissingData.Ignore); // a node being replaced publishes nothing; the primary alarm below covers a lost node
        yield return new AlarmDefinition("cache-memory",
            $"A cache node uses more than {Num(CacheMemoryPercent)} % of its maxmemory: volatile-lru starts evicting keys with a TTL (sessions, rate-limit windows) early, and writes of keys without one fail with OOM. " +
            "Check first: the Evictions graph and key growth (a missing TTL, a new key pattern); scale the node type if the working set grew.",
            PlatformMetrics.CacheWorstNode(c, "DatabaseMemoryUsagePercentage", "Maximum", "Cache memory used, worst node (% of maxmemory)"), AlarmComparison.GreaterThanThreshold, CacheMemoryPercent,
            AlarmSeverity.Critical,
            MissingData.Ignore);
        yield return new AlarmDefinition("cache-evictions",
            "The cache evicted keys in the last minute: memory is full, and TTL keys (sessions, idempotency windows, rate-limit counters) disappear before they expire. " +
            "Check first: memory usage per node and which key patterns grew; raise the node type rather than the eviction policy.",
            PlatformMetrics.CacheWorstNode(c, "Evictions", "Sum", "Cache evictions per minute, worst node"), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Critical,
            MissingData.NotBreaching); // no datapoint, no eviction
        yield return new AlarmDefinition("cache-connections",
            $"A cache node has more than {Num(CacheConnectionsThreshold)} client connections ({Num(CacheConnectionsShareOfMax * 100)} % of ElastiCache's fixed maxclients {CacheMaxClients}): new connections will be refused. " +
            "Check first: the backend's connection pool settings and pod count (a leak, or a reconnect storm after a failover).",
            PlatformMetrics.CacheWorstNode(c, "CurrConnections", "Maximum", "Cache connections, worst node"), AlarmComparison.GreaterThanThreshold, CacheConnectionsThreshold,
            AlarmSeverity.Critical,
            MissingData.Ignore);
        yield return new AlarmDefinition("cache-no-primary",
            (c.HasReplicas
                ? "No cache node reported itself primary for a minute: a failover is in progress or failed, and writes to the cache fail. "
                : "The single cache node did not report itself primary for a minute: it is down or being replaced, and the cache is unavailable (no replica to fail over to). ") +
            "Check first: the cache events on the alarm topic (EventBridge, aws.elasticache) and the replication group's events in the ElastiCache console; the backend must treat the cache as optional meanwhile.",
            PlatformMetrics.CachePrimaries(c), AlarmComparison.LessThanThreshold, 1,
            AlarmSeverity.Critical,
            MissingData.Breaching); // no node publishing at all is the worst case
        yield return new AlarmDefinition("cache-authentication-failures",
            $"Clients failed to authenticate to the cache in each of the last {SustainedMinutes} minutes: the backend's IAM auth tokens are refused (a changed user, a role without elasticache:Connect, a clock or region mismatch) or something else tries the port. " +
            "Check first: the backend's cache errors in its logs and its role's cache policy (easypay-<env>-backend-cache-connect), then which pods connect (the Calico log of denied 6379).",
            PlatformMetrics.CacheWorstNode(c, "AuthenticationFailures", "Sum", "Cache authentication failures, worst node"), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Warning,
            MissingData.NotBreaching) // no datapoint, no failure
        {
            EvaluationPeriods = SustainedMinutes,
            DatapointsToAlarm = SustainedMinutes,
        };
        if (c.HasReplicas)
        {
            yield return new AlarmDefinition("cache-replication-lag",
                $"A cache replica trails the primary by more than {Num(CacheReplicationLagSeconds)} s: reads through the reader endpoint are stale, and a failover now would lose that much of the latest writes. " +
                "Check first: the primary's engine CPU and network, then large writes (big values, bulk loads).",
                PlatformMetrics.CacheWorstNode(c, "ReplicationLag", "Maximum", "Cache replication lag, worst replica (s)"), AlarmComparison.GreaterThanThreshold, CacheReplicationLagSeconds,
                AlarmSeverity.Critical,
                MissingData.NotBreaching); // only replicas publish lag
        }
    }

    private static IEnumerable<AlarmDefinition> Cluster(PlatformSignals s)
    {
        // Node objects, published once per cluster: a one-datapoint critical on the per-node Ready samples would
        // page whenever one node's minute sample lands late. NotReady nodes are the warning below.
        yield return new AlarmDefinition("eks-node-count",
            $"The cluster has fewer than {s.NodeGroupMinSize} nodes (the node group minimum): pods cannot be scheduled and an AZ may be lost. " +
            "Check first: the node group's Auto Scaling activity (failed launches, capacity) and node conditions (kubectl get nodes).",
            PlatformMetrics.Cluster(s, "cluster_node_count", "Minimum"), AlarmComparison.LessThanThreshold, s.NodeGroupMinSize,
            AlarmSeverity.Critical,
            MissingData.Breaching); // no node-count metric means no nodes, or no Container Insights agent: both need a human
        yield return new AlarmDefinition("eks-nodes-not-ready",
            "A node has not reported Ready for 8 of the last 10 minutes (cluster_node_count counts it, node_status_condition_ready does not): it is NotReady, or its Container Insights agent is down. " +
            "A NotReady node's pods were evicted after 5 minutes; EKS node auto repair replaces it after 30. " +
            "Check first: kubectl get nodes and kubectl describe node (conditions, kubelet), then the cloudwatch-agent pod on it, then whether auto repair is halted (more than 20% of a group unhealthy, or a zonal shift).",
            PlatformMetrics.NotReadyNodes(s), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Warning,
            MissingData.NotBreaching) // the node-count alarm covers a missing agent
        {
            EvaluationPeriods = 10,
            DatapointsToAlarm = 8,
        };
        yield return new AlarmDefinition("eks-node-cpu",
            $"The nodes' average CPU stayed above {Num(NodeCpuPercent)} % for {NodeCpuSustainedMinutes} minutes: the cluster autoscaler is not keeping up (max size reached?). " +
            "Check first: cluster-autoscaler logs and the node group's max size, then which pods use the CPU.",
            PlatformMetrics.Cluster(s, "node_cpu_utilization", "Average"), AlarmComparison.GreaterThanThreshold, NodeCpuPercent,
            AlarmSeverity.Warning,
            MissingData.NotBreaching) // an agent outage is reported by the node-count alarm (breaching)
        {
            EvaluationPeriods = NodeCpuSustainedMinutes,
            DatapointsToAlarm = NodeCpuSustainedMinutes,
        };
        // pod_number_of_container_restarts is published with the ClusterName-only dimension set in enhanced
        // Container Insights only (amazon-cloudwatch-agent v1.300060.0, translator/translate/otel/exporter/
        // awsemf/kubernetes.go), which the amazon-cloudwatch-observability add-on turns on by default; each
        // datapoint is the increase since the previous sample, so Sum > 0 means restarts in that minute.
        yield return new AlarmDefinition("eks-pod-restarts",
            "Containers restarted in 2 of the last 5 minutes: a crash loop (OOM, failing liveness probe) is eating capacity. " +
            "Check first: kubectl get pods (RESTARTS), then kubectl describe pod for the last state and the container logs.",
            PlatformMetrics.Cluster(s, "pod_number_of_container_restarts", "Sum"), AlarmComparison.GreaterThanThreshold, 0,
            AlarmSeverity.Warning,
            MissingData.NotBreaching) // no restart datapoint, no restarts
        {
            EvaluationPeriods = 5,
            DatapointsToAlarm = 2,
        };
    }

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
