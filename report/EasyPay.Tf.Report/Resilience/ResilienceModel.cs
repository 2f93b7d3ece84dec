using EasyPay.Tf.Report.Data;
using EasyPay.Tf.Report.Facts;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Modules.Network;

namespace EasyPay.Tf.Report.Resilience;

/// <summary>The resilience of one environment, scenario by scenario, from what its stacks synthesize: probes,
/// health checks and alarms for detection; documented AWS and Kubernetes figures (report/data/recovery-figures.json)
/// for recovery; node groups, pod requests, HPA minimums, PDBs and zone spread for the capacity left; PITR,
/// backup schedule and cross-region copy for the data-loss bound.</summary>
public static class ResilienceModel
{
    // Keys of report/data/recovery-figures.json the model reads.
    public const string AuroraFailover = "aurora.failover.seconds";
    public const string AuroraNoReplicaRecovery = "aurora.noReplica.recovery.seconds";
    public const string AuroraPitrLag = "aurora.pitr.lag.seconds";
    public const string NodeMonitorGrace = "kubernetes.nodeMonitorGracePeriod.seconds";
    public const string NotReadyToleration = "kubernetes.notReadyTolerationSeconds";
    public const string RestartBackoff = "kubernetes.restartBackoff.initial.seconds";
    public const string AutoscalerScaleUp = "clusterAutoscaler.scaleUp.seconds";
    public const string NodeLaunch = "ec2.nodeLaunchAndJoin.seconds";
    public const string AlbDnsTtl = "alb.dnsTtl.seconds";
    public const string RdsSecretRotation = "secretsmanager.rds.rotation.days";
    public const string ManualRedeploy = "deploy.previousVersion.seconds";

    public static ResilienceReport Assess(EnvironmentFacts facts, ReportData data, IReadOnlyList<Waiver> waivers)
    {
        var ctx = new Context(facts, data);
        var scenarios = new List<ScenarioResult>
        {
            Pod(ctx), BadDeployment(ctx), SecretRotation(ctx), Node(ctx), DatabaseWriter(ctx), CachePrimary(ctx), NatGateway(ctx), Zone(ctx), RegionLoss(ctx),
        };
        var target = facts.Env.Targets.AvailabilityPercent;
        return new ResilienceReport(facts.Env.Name, target, (100 - target) / 100 * 30 * 24 * 3600,
            [.. scenarios.Select(s => Judge(s, facts.Env.Targets.Recovery, waivers.Where(w => w.Environment == facts.Env.Name && w.Scenario == s.Id).ToList()))]);
    }

    private sealed class Context(EnvironmentFacts facts, ReportData data)
    {
        public EnvironmentFacts Facts { get; } = facts;
        public List<Figure> Used { get; } = [];
        public List<string> Missing { get; } = [];

        public double? Figure(string key)
        {
            if (data.Recovery.TryGet(key, out var f) && f.Known)
            {
                Used.Add(f);
                return f.Value;
            }
            Missing.Add(key);
            return null;
        }

        public InstanceSize Size(string type) => data.Size(type);

        public IReadOnlyList<Figure> TakeSources()
        {
            var used = Used.Distinct().ToList();
            Used.Clear();
            return used;
        }

        public IReadOnlyList<string> TakeMissing()
        {
            var missing = Missing.Distinct().Select(k => $"no documented figure \"{k}\" in report/data/recovery-figures.json").ToList();
            Missing.Clear();
            return missing;
        }
    }

    private static ScenarioResult Result(Context ctx, string id, string title, DisruptionType type, Seconds detection, string detectedBy,
        Seconds impact, Seconds recovery, string recoveredBy, CapacityVerdict capacity, string capacityLeft, Seconds dataLoss, string dataLossBound,
        params string[] reasons)
    {
        var missing = ctx.TakeMissing();
        return new ScenarioResult(id, title, type, detection, detectedBy, impact, recovery, recoveredBy, capacity, capacityLeft, dataLoss, dataLossBound,
            missing.Count > 0 ? Verdict.Unknown : Verdict.Met, [.. reasons, .. missing], ctx.TakeSources());
    }

    private static ScenarioResult Judge(ScenarioResult s, RecoveryTargets targets, IReadOnlyList<Waiver> waivers)
    {
        if (s.Verdict is Verdict.NotApplicable or Verdict.Unknown)
        {
            return s;
        }
        var target = s.Type switch
        {
            DisruptionType.Application => targets.Application,
            DisruptionType.Infrastructure => targets.Infrastructure,
            DisruptionType.AvailabilityZone => targets.AvailabilityZone,
            _ => targets.Region,
        };
        var reasons = s.Reasons.ToList();
        if (s.ServiceImpact.Value is not { } impact || impact > target.RtoMinutes * 60)
        {
            reasons.Add($"RTO: requests fail for {s.ServiceImpact}, target {target.RtoMinutes} min");
        }
        if (s.DataLoss.Value is not { } loss || loss > target.RpoMinutes * 60)
        {
            reasons.Add($"RPO: up to {s.DataLoss} of committed data lost, target {target.RpoMinutes} min");
        }
        var missed = reasons.Count > s.Reasons.Count;
        if (!missed)
        {
            return s with { Reasons = reasons };
        }
        return waivers.FirstOrDefault() is { } waiver
            ? s with { Verdict = Verdict.Waived, Reasons = reasons, Waiver = $"{waiver.Reason} ({waiver.TrackedIn})" }
            : s with { Verdict = Verdict.NotMet, Reasons = reasons };
    }

    // ---- application ------------------------------------------------------------------------------------

    private static ScenarioResult Pod(Context ctx)
    {
        var f = ctx.Facts;
        var frontendTg = f.TargetGroups.First();
        var albSeconds = frontendTg.IntervalSeconds * frontendTg.UnhealthyThreshold;
        var backend = f.Chart.Components.Single(c => c.Name == "backend");
        var readinessSeconds = backend.ReadinessPeriodSeconds * backend.ReadinessFailureThreshold;
        var detection = Math.Max(albSeconds, readinessSeconds);
        var liveness = f.Chart.Components.Max(c => c.LivenessPeriodSeconds * c.LivenessFailureThreshold);
        var backoff = ctx.Figure(RestartBackoff) ?? 0;
        var single = f.Chart.Components.Where(c => c.MinReplicas < 2).Select(c => c.Name).ToList();
        return Result(ctx, "pod", "One application pod fails", DisruptionType.Application,
            Seconds.Of(detection), $"ALB health check {frontendTg.IntervalSeconds} s × {frontendTg.UnhealthyThreshold} (frontend), readiness probe {backend.ReadinessPeriodSeconds} s × {backend.ReadinessFailureThreshold} (backend)",
            single.Count > 0 ? Seconds.Of(liveness + backoff) : Seconds.Of(detection),
            Seconds.Of(liveness + backoff), $"kubelet restarts it (liveness {liveness} s + first back-off)",
            single.Count > 0 ? CapacityVerdict.Insufficient : CapacityVerdict.Sufficient,
            single.Count > 0 ? $"{string.Join(", ", single)} run(s) one replica: nothing serves while it restarts"
                : string.Join("; ", f.Chart.Components.Select(c => $"{c.Name} {c.MinReplicas - 1} of {c.MinReplicas}")),
            Seconds.Of(0), "none: the pods are stateless");
    }

    private static ScenarioResult BadDeployment(Context ctx)
    {
        var f = ctx.Facts;
        var helmTimeout = f.Stacks["platform"].Resources("helm_release").Where(r => r.Body.Str("name") == "easypay")
            .Select(r => r.Body.Num("timeout")).FirstOrDefault() ?? 300;
        var slo = f.Alarm("payment-failure-slo");
        var redeploy = ctx.Figure(ManualRedeploy);
        var detection = slo?.DetectionSeconds ?? 0;
        return Result(ctx, "bad-deployment", "A release that passes readiness but fails payments", DisruptionType.Application,
            slo is null ? Seconds.Unbounded : Seconds.Of(detection),
            slo is null ? "no payment-failure alarm" : $"alarm {slo.Name}: {slo.DatapointsToAlarm} of {slo.EvaluationPeriods} × {slo.PeriodSeconds} s",
            redeploy is null || slo is null ? Seconds.Unbounded : Seconds.Of(detection + redeploy.Value),
            redeploy is null ? Seconds.Unbounded : Seconds.Of(detection + redeploy.Value),
            $"a human redeploys the previous version; a release that fails readiness never takes traffic (maxUnavailable 0) and helm's atomic upgrade rolls it back after {helmTimeout:0} s",
            CapacityVerdict.Sufficient, "all old pods until the new ones are ready",
            Seconds.Of(0), "none (failed payments are retried, not lost)");
    }

    private static ScenarioResult SecretRotation(Context ctx)
    {
        var f = ctx.Facts;
        var days = ctx.Figure(RdsSecretRotation);
        var slo = f.Alarm("payment-failure-slo");
        // A backend that got the password as an environment variable keeps the old one after a rotation, and the
        // proxy rejects it on new connections. With IAM auth tokens no pod holds a password: the proxy connects with
        // IAM too (end to end), and only the role-creating function uses the master secret, through the Data API.
        var podsReadAtStart = f.Chart.DatabasePasswordInPods;
        return Result(ctx, "secret-rotation", $"RDS rotates the master secret (every {days?.ToString("0") ?? "?"} days)", DisruptionType.Application,
            slo is null ? Seconds.Unbounded : Seconds.Of(slo.DetectionSeconds),
            slo is null ? "no payment-failure alarm" : $"alarm {slo.Name}, once new connections fail",
            podsReadAtStart ? Seconds.Unbounded : Seconds.Of(0),
            podsReadAtStart ? Seconds.Unbounded : Seconds.Of(0),
            podsReadAtStart ? "a human restarts the backend after the Secret was refreshed: pods read the password once, at start" : "nothing to do: no workload holds the password (the backend signs an IAM auth token per connection, the proxy authenticates with IAM end to end)",
            CapacityVerdict.Sufficient, podsReadAtStart ? "unchanged; new database connections fail" : "unchanged; connections unaffected",
            Seconds.Of(0), "none (payments fail instead of committing)");
    }

    // ---- infrastructure ---------------------------------------------------------------------------------

    private static ScenarioResult Node(Context ctx)
    {
        var f = ctx.Facts;
        var tg = f.TargetGroups.First();
        var alb = tg.IntervalSeconds * tg.UnhealthyThreshold;
        var grace = ctx.Figure(NodeMonitorGrace);
        var toleration = ctx.Figure(NotReadyToleration);
        var scaleUp = ctx.Figure(AutoscalerScaleUp);
        var launch = ctx.Figure(NodeLaunch);
        var (allocatable, need, nodes) = Capacity(ctx, f.NodeGroups.Sum(g => g.Min) - 1, f.Chart.Components.ToDictionary(c => c.Name, c => c.MinReplicas));
        // The lost node's AZ keeps the pods that spread there Pending until cluster-autoscaler adds a node in
        // that AZ (zone spread DoNotSchedule): full recovery always waits for a new node when an AZ has one node.
        var oneNodeAzs = f.NodeGroups.Any(g => g.Min <= 1);
        var canGrow = f.NodeGroups.All(g => g.Max > g.Min);
        var recovery = grace is null || toleration is null || scaleUp is null || launch is null ? Seconds.Unbounded
            : Seconds.Of(grace.Value + toleration.Value + (oneNodeAzs || need.Cpu > allocatable.Cpu || need.MemoryGiB > allocatable.MemoryGiB ? scaleUp.Value + launch.Value : 0));
        var enough = need.Cpu <= allocatable.Cpu && need.MemoryGiB <= allocatable.MemoryGiB;
        var twoReplicas = f.Chart.Components.All(c => c.MinReplicas >= 2);
        return Result(ctx, "node", "One node fails", DisruptionType.Infrastructure,
            Seconds.Of(alb), $"ALB health check ({tg.IntervalSeconds} s × {tg.UnhealthyThreshold}) for its pods; the node turns NotReady after {grace:0} s",
            twoReplicas ? Seconds.Of(alb) : recovery,
            recovery, $"pods evicted after the NotReady toleration ({toleration:0} s), rescheduled; cluster-autoscaler adds a node in the AZ ({scaleUp:0} s + {launch:0} s launch)",
            !twoReplicas ? CapacityVerdict.Insufficient : enough ? CapacityVerdict.Sufficient : canGrow ? CapacityVerdict.Degraded : CapacityVerdict.Insufficient,
            $"{nodes} node(s) left: {allocatable.Cpu:0.##} vCPU / {allocatable.MemoryGiB:0.#} GiB allocatable for {need.Cpu:0.##} vCPU / {need.MemoryGiB:0.#} GiB requested at the minimum replicas",
            Seconds.Of(0), "none: no state on the nodes (EBS volumes of Velero-backed workloads re-attach)");
    }

    private static ScenarioResult DatabaseWriter(Context ctx)
    {
        var f = ctx.Facts;
        var readers = f.Database.Readers;
        var failover = readers > 0 ? ctx.Figure(AuroraFailover) : ctx.Figure(AuroraNoReplicaRecovery);
        var seconds = failover is null ? Seconds.Unbounded : Seconds.Of(failover.Value);
        return Result(ctx, "database-writer", "The Aurora writer instance fails", DisruptionType.Infrastructure,
            Seconds.Of(0), "Aurora itself (the RDS failover event goes to the alarm topic)",
            seconds, seconds,
            readers > 0 ? $"Aurora promotes a reader (tier 0 first, another AZ){(f.Database.Proxy ? "; RDS Proxy keeps client connections and sends them to the new writer" : "")}"
                : "no reader: Aurora replaces the writer instance",
            readers > 0 ? CapacityVerdict.Sufficient : CapacityVerdict.Insufficient,
            readers > 0 ? $"{readers} reader(s); one becomes the writer" : "no reader: no database until the writer is back",
            Seconds.Of(0), "none: committed data is on the cluster volume, not on the instance");
    }

    /// <summary>The cache's primary node fails. Payments keep working by the application contract (chart README, "Cache
    /// access": every cache read is optional, the backend falls back to Aurora), so the payment RTO and RPO are not at
    /// stake; what the scenario shows is detection and whether a replica takes over. AWS publishes no failover
    /// duration, so the full recovery is shown as not bounded by a documented figure.</summary>
    private static ScenarioResult CachePrimary(Context ctx)
    {
        var f = ctx.Facts;
        if (f.Cache is not { } cache)
        {
            return new ScenarioResult("cache-primary", "The cache's primary node fails", DisruptionType.Infrastructure, Seconds.Of(0), "-", Seconds.Of(0), Seconds.Of(0), "-",
                CapacityVerdict.Sufficient, "-", Seconds.Of(0), "-", Verdict.NotApplicable, ["the environment has no cache"], []);
        }
        var alarm = f.Alarm("cache-no-primary");
        var failover = cache.MultiAz && cache.NodeZones.Skip(1).Any(z => z != cache.NodeZones[0]);
        return Result(ctx, "cache-primary", "The cache's primary node fails", DisruptionType.Infrastructure,
            alarm is null ? Seconds.Unbounded : Seconds.Of(alarm.DetectionSeconds), alarm is null ? "nothing" : $"alarm {alarm.Name} (no node primary for a minute) and the ElastiCache events rule",
            Seconds.Of(0), Seconds.Undocumented,
            failover
                ? "ElastiCache promotes a replica in another AZ and moves the primary endpoint to it (AWS publishes no duration: measure with test-failover); meanwhile cache reads fall back to Aurora"
                : "no replica: ElastiCache replaces the node and it starts empty (no documented duration); meanwhile cache reads fall back to Aurora",
            failover ? CapacityVerdict.Sufficient : CapacityVerdict.Degraded,
            failover ? $"{cache.Replicas} replica(s) in other AZs; one becomes the primary" : "no cache until the node is back: sessions and rate limits restart, Aurora takes the reads",
            Seconds.Of(0), "none of the payments' committed data: the ledger is in Aurora; cached sessions and counters not yet replicated are lost");
    }

    private static ScenarioResult NatGateway(Context ctx)
    {
        var f = ctx.Facts;
        if (f.Env.Network.NatGateways == NatGatewayMode.PerAz)
        {
            return new ScenarioResult("nat-gateway", "A NAT gateway fails", DisruptionType.Infrastructure, Seconds.Of(0), "-", Seconds.Of(0), Seconds.Of(0), "-",
                CapacityVerdict.Sufficient, "-", Seconds.Of(0), "-", Verdict.NotApplicable,
                ["one NAT gateway per AZ: a NAT gateway is zonal and redundant within its AZ, so losing one is losing its AZ (see the AZ scenario)"], []);
        }
        var nat = f.Alarm("nat-port-allocation-errors");
        return Result(ctx, "nat-gateway", "The single NAT gateway's AZ fails", DisruptionType.Infrastructure,
            nat is null ? Seconds.Unbounded : Seconds.Of(nat.DetectionSeconds), nat is null ? "nothing" : $"alarm {nat.Name} only for port exhaustion; an outage shows as failed outbound calls in the payment-failure alarm",
            Seconds.Unbounded, Seconds.Unbounded,
            "a human moves the NAT gateway: every private subnet routes to the one NAT",
            CapacityVerdict.Insufficient, $"no internet egress from any AZ{(f.InterfaceEndpoints > 0 ? " (AWS APIs still reach the interface endpoints)" : "")}: external payment providers unreachable",
            Seconds.Of(0), "none");
    }

    // ---- availability zone and region -------------------------------------------------------------------

    private static ScenarioResult Zone(Context ctx)
    {
        var f = ctx.Facts;
        var n = f.Zones.Count;
        var tg = f.TargetGroups.First();
        var alb = tg.IntervalSeconds * tg.UnhealthyThreshold;
        var ttl = ctx.Figure(AlbDnsTtl) ?? 0;
        var writer = f.Database.Readers > 0 ? ctx.Figure(AuroraFailover) : ctx.Figure(AuroraNoReplicaRecovery);
        var lag = ctx.Figure(AuroraPitrLag);

        // Pods per component the zone spread still admits: where the lost zone still counts with zero pods
        // (ComponentFacts.LostZoneCapsSpread), each remaining zone may hold at most maxSkew pods until it is back.
        var caps = f.Chart.Components.ToDictionary(c => c.Name, c => c.LostZoneCapsSpread ? (n - 1) * c.ZoneMaxSkew : c.MaxReplicas);
        var left = f.Chart.Components.ToDictionary(c => c.Name, c => Math.Min(caps[c.Name], c.MinReplicas - (int)Math.Ceiling(c.MinReplicas / (double)n)));
        var (allocatable, need, nodes) = Capacity(ctx, f.NodeGroups.Where(g => g.Zone != f.Zones[0]).Sum(g => g.Min), left);
        var insufficient = f.Chart.Components.Any(c => left[c.Name] < 1) || need.Cpu > allocatable.Cpu || need.MemoryGiB > allocatable.MemoryGiB;
        var capped = f.Chart.Components.Where(c => caps[c.Name] < c.MaxReplicas).Select(c => $"{c.Name} at most {caps[c.Name]} pods (HPA max {c.MaxReplicas})").ToList();
        var singleNat = f.Env.Network.NatGateways == NatGatewayMode.Single;

        // Not enough left to serve: requests fail until the AZ is back.
        Seconds impact = singleNat || insufficient || writer is null ? Seconds.Unbounded : Seconds.Of(Math.Max(alb + ttl, writer.Value));
        return Result(ctx, "availability-zone", $"One of {n} AZs fails (the one with the Aurora writer{(singleNat ? " and the NAT gateway" : "")})", DisruptionType.AvailabilityZone,
            Seconds.Of(alb), $"ALB health checks ({tg.IntervalSeconds} s × {tg.UnhealthyThreshold}); the ALB drops the AZ's address from DNS (TTL {ttl:0} s)",
            impact, impact,
            $"other AZs' pods keep serving; Aurora {(f.Database.Readers > 0 ? "fails over to a reader in another AZ" : "has no reader: the writer comes back with its AZ")}{(singleNat ? "; no egress until a human moves the single NAT gateway" : "")}",
            insufficient ? CapacityVerdict.Insufficient : capped.Count > 0 ? CapacityVerdict.Degraded : CapacityVerdict.Sufficient,
            $"{nodes} node(s) in {n - 1} AZ(s): {allocatable.Cpu:0.##} vCPU / {allocatable.MemoryGiB:0.#} GiB for {need.Cpu:0.##} vCPU / {need.MemoryGiB:0.#} GiB; "
                + string.Join(", ", f.Chart.Components.Select(c => $"{c.Name} {left[c.Name]} pods")) + (capped.Count > 0 ? $"; zone spread (DoNotSchedule) caps scale-out until the AZ is back: {string.Join(", ", capped)}" : ""),
            lag is null ? Seconds.Unbounded : Seconds.Of(0), "none: Aurora's cluster volume keeps six copies in three AZs; a committed write survives an AZ");
    }

    private static ScenarioResult RegionLoss(Context ctx)
    {
        var f = ctx.Facts;
        var copy = f.Backup.CrossRegionCopy;
        // The copy job has no completion window AWS promises: its transfer time comes on top.
        var dataLoss = copy ? Seconds.Of(f.Backup.WorstCopyAgeMinutes * 60) : Seconds.Unbounded;
        var check = f.HealthCheck;
        return Result(ctx, "region", $"The region {f.Env.Region} fails", DisruptionType.Region,
            check is { } c ? Seconds.Of(c.IntervalSeconds * c.FailureThreshold) : Seconds.Unbounded,
            check is { } h ? $"Route 53 health check {h.IntervalSeconds} s × {h.FailureThreshold}; DNS fails over to the maintenance page"
                + (f.MaintenanceRegion == f.Env.Region ? " — an S3 website in the same region, so it is down too" : $", served from {f.MaintenanceRegion}, so users see it while the region is down") : "no health check (no DNS zone)",
            Seconds.Unbounded, Seconds.Unbounded,
            copy ? "a human builds network, cluster and database in the DR region and restores the latest copied recovery point (docs/runbook-database.md)" : "no copy in another region: rebuild empty",
            CapacityVerdict.Insufficient, "nothing runs in another region",
            dataLoss, copy ? $"a copied backup every {f.Backup.CopyIntervalHours:0} h + a start up to {f.Backup.StartWindowMinutes} min late + up to {f.Backup.CompletionWindowMinutes} min for the job, then the copy's transfer (no SLA)" : "everything (no cross-region copy)");
    }

    private sealed record Resources(double Cpu, double MemoryGiB);

    /// <summary>Whether every AZ's node group at its maximum holds that AZ's share of the pods at the HPA ceilings
    /// (requests against allocatable, one line per AZ). The zone spread (maxSkew 1) puts at most ceil(max / AZs)
    /// of a component's pods in one AZ; the add-ons' requests are counted in every AZ, as they may all land there.</summary>
    public static IReadOnlyList<ZoneFit> PeakFit(EnvironmentFacts facts, ReportData data)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ctx = new Context(facts, data);
        var n = facts.Zones.Count;
        var share = facts.Chart.Components.ToDictionary(c => c.Name, c => (int)Math.Ceiling(c.MaxReplicas / (double)n));
        return [.. facts.NodeGroups.Select(g =>
        {
            var (allocatable, need, nodes) = Capacity(ctx, g.Max, share);
            return new ZoneFit(g.Zone, nodes, allocatable.Cpu, allocatable.MemoryGiB, need.Cpu, need.MemoryGiB,
                string.Join(", ", facts.Chart.Components.Select(c => $"{c.Name} {share[c.Name]} of {c.MaxReplicas}")));
        })];
    }

    /// <summary>Allocatable resources of <paramref name="nodes"/> nodes (the first node group's type, kubelet
    /// reservations and DaemonSets off) against what the given replicas of each component and the add-ons request.
    /// Reservations as the AL2023 EKS AMI computes them (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go:
    /// kube-reserved memory 11 MiB × maxPods + 255 MiB, eviction at 100 MiB free; report/data/instance-types.json).</summary>
    private static (Resources Allocatable, Resources Need, int Nodes) Capacity(Context ctx, int nodes, IReadOnlyDictionary<string, int> replicas)
    {
        var f = ctx.Facts;
        var size = ctx.Size(f.NodeGroups.First().InstanceTypes.First());
        var reservedCpu = KubeReservedCpu(size.Vcpu);
        var reservedMemory = (255 + 11 * (size.MaxPods ?? 110)) / 1024.0 + 0.1; // kube-reserved + 100Mi hard eviction
        var daemons = new Resources(ClusterOverhead.DaemonSetCpuPerNode, ClusterOverhead.DaemonSetMemoryGiBPerNode);
        var allocatable = new Resources(Math.Max(0, nodes) * (size.Vcpu - reservedCpu - daemons.Cpu), Math.Max(0, nodes) * (size.MemoryGiB - reservedMemory - daemons.MemoryGiB));
        var app = f.Chart.Components.Aggregate(new Resources(0, 0), (sum, c) =>
            new Resources(sum.Cpu + replicas[c.Name] * c.CpuRequestCores, sum.MemoryGiB + replicas[c.Name] * c.MemoryRequestGiB));
        return (allocatable, new Resources(app.Cpu + ClusterOverhead.AddonCpu, app.MemoryGiB + ClusterOverhead.AddonMemoryGiB), nodes);
    }

    /// <summary>The EKS AMI's kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the third and
    /// fourth, 0.25% of every further core.</summary>
    public static double KubeReservedCpu(int vcpus)
    {
        double[] shares = [0.06, 0.01, 0.005, 0.005];
        return Enumerable.Range(0, vcpus).Sum(i => i < shares.Length ? shares[i] : 0.0025);
    }
}

/// <summary>One AZ at peak: its node group's maximum against its share of the pods at the HPA ceilings.</summary>
public sealed record ZoneFit(string Zone, int MaxNodes, double AllocatableCpu, double AllocatableMemoryGiB, double NeedCpu, double NeedMemoryGiB, string Pods)
{
    public bool Fits => NeedCpu <= AllocatableCpu && NeedMemoryGiB <= AllocatableMemoryGiB;

    public override string ToString() =>
        $"{Zone}: {MaxNodes} node(s) give {AllocatableCpu:0.##} vCPU / {AllocatableMemoryGiB:0.#} GiB for {NeedCpu:0.##} vCPU / {NeedMemoryGiB:0.#} GiB ({Pods}, add-ons)";
}

/// <summary>What the platform's own pods request, which the report cannot read from the stacks (the add-on charts
/// set it): stated assumptions, printed with the report.</summary>
public static class ClusterOverhead
{
    /// <summary>aws-node, kube-proxy, ebs-csi-node, calico-node, cloudwatch-agent, fluent-bit on every node.</summary>
    public const double DaemonSetCpuPerNode = 0.5;
    public const double DaemonSetMemoryGiBPerNode = 0.75;

    /// <summary>CoreDNS, the load balancer controller, cluster-autoscaler, metrics-server, External Secrets,
    /// Velero, the Tigera operator and Calico API server, all replicas.</summary>
    public const double AddonCpu = 1.5;
    public const double AddonMemoryGiB = 2.5;
}
