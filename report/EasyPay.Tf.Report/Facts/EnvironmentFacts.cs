using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Report.Facts;

public sealed record NodeGroupFacts(string Zone, IReadOnlyList<string> InstanceTypes, string CapacityType, int Min, int Desired, int Max);

/// <summary>A CloudWatch alarm as synthesized: how long a breach takes to page.</summary>
/// <param name="PeriodSeconds">Of the metric (or of the metric math's queries).</param>
public sealed record AlarmFacts(string Name, int PeriodSeconds, int EvaluationPeriods, int DatapointsToAlarm)
{
    /// <summary>Worst case from the first breaching minute to ALARM: M breaching datapoints of N, each a full period.</summary>
    public int DetectionSeconds => PeriodSeconds * DatapointsToAlarm;
}

public sealed record TargetGroupFacts(string Name, int IntervalSeconds, int UnhealthyThreshold, int DeregistrationDelaySeconds);

public sealed record DatabaseFacts(IReadOnlyList<(string InstanceClass, string Zone)> Instances, int PitrDays, int PerformanceInsightsDays, bool Proxy)
{
    public int Readers => Instances.Count - 1;
}

/// <summary>The Valkey replication group as synthesized: its nodes' AZs (primary first) and whether a replica takes over.</summary>
public sealed record CacheFacts(IReadOnlyList<string> NodeZones, bool MultiAz)
{
    public int Replicas => NodeZones.Count - 1;
}

/// <param name="Hours">UTC hours of the day a backup job is scheduled (every rule of the plan).</param>
/// <param name="CopiedHours">Those whose recovery point is also copied to another region.</param>
public sealed record BackupFacts(IReadOnlyList<int> Hours, IReadOnlyList<int> CopiedHours, int RetentionDays, int StartWindowMinutes, int CompletionWindowMinutes)
{
    /// <summary>Days a copy is kept in the other region.</summary>
    public int CopyRetentionDays { get; init; }

    public bool CrossRegionCopy => CopiedHours.Count > 0;

    /// <summary>The longest gap between scheduled backups, across midnight.</summary>
    public double IntervalHours => LongestGap(Hours);

    /// <summary>The longest gap between copied backups (24 when there is none).</summary>
    public double CopyIntervalHours => LongestGap(CopiedHours);

    /// <summary>The newest copied recovery point's worst age in the other region: a point can start a start window
    /// late and the next one may need its whole completion window (AWS Backup BackupRule: StartWindowMinutes,
    /// CompletionWindowMinutes); the copy's own transfer comes on top and has no completion window.</summary>
    public double WorstCopyAgeMinutes => CopyIntervalHours * 60 + StartWindowMinutes + CompletionWindowMinutes;

    private static double LongestGap(IReadOnlyList<int> hours)
    {
        if (hours.Count == 0)
        {
            return 24;
        }
        var sorted = hours.Order().ToList();
        return sorted.Select((h, i) => ((i + 1 < sorted.Count ? sorted[i + 1] : sorted[0] + 24) - h)).Max();
    }

    /// <summary>Hours of an AWS Backup cron expression: cron(0 */N * * ? *) or cron(0 a,b,c * * ? *).</summary>
    public static IReadOnlyList<int> HoursOf(string schedule)
    {
        var every = Regex.Match(schedule, @"^cron\(\S+ \*/(\d+) ");
        if (every.Success)
        {
            var n = int.Parse(every.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return [.. Enumerable.Range(0, 24 / n).Select(i => i * n)];
        }
        var list = Regex.Match(schedule, @"^cron\(\S+ ([0-9,]+) ");
        return list.Success ? [.. list.Groups[1].Value.Split(',').Select(h => int.Parse(h, System.Globalization.CultureInfo.InvariantCulture))] : [0];
    }
}

/// <summary>Everything the resilience and cost models read about one environment, taken from its synthesized
/// stacks (and the chart values its release really gets), not from the environment file alone.</summary>
public sealed record EnvironmentFacts
{
    public required EnvironmentConfig Env { get; init; }
    public required IReadOnlyDictionary<string, JsonObject> Stacks { get; init; }
    public required IReadOnlyList<string> Zones { get; init; }
    public required IReadOnlyList<NodeGroupFacts> NodeGroups { get; init; }
    public required int NodeDiskGiB { get; init; }
    public required int NatGateways { get; init; }
    public required int InterfaceEndpoints { get; init; }
    public required IReadOnlyList<TargetGroupFacts> TargetGroups { get; init; }
    public required DatabaseFacts Database { get; init; }
    /// <summary>Null when the database stack has no cache.</summary>
    public required CacheFacts? Cache { get; init; }
    public required BackupFacts Backup { get; init; }
    public required IReadOnlyList<AlarmFacts> Alarms { get; init; }
    /// <summary>Route 53 health check: (interval, failure threshold); null without DNS failover.</summary>
    public required (int IntervalSeconds, int FailureThreshold)? HealthCheck { get; init; }

    /// <summary>Region of the maintenance website DNS fails over to (null: no DNS failover).</summary>
    public required string? MaintenanceRegion { get; init; }
    public required ChartFacts Chart { get; init; }
    public required int VeleroIntervalHours { get; init; }

    public AlarmFacts? Alarm(string suffix) => Alarms.FirstOrDefault(a => a.Name.EndsWith("-" + suffix, StringComparison.Ordinal));

    public static EnvironmentFacts From(EnvironmentConfig env, IReadOnlyDictionary<string, JsonObject> stacks, string chartDefaultsYaml)
    {
        JsonObject Stack(string name) => stacks.TryGetValue(name, out var s) ? s
            : throw new KeyNotFoundException($"no {env.Name}-{name} stack among {string.Join(", ", stacks.Keys)}");
        var network = Stack("network");
        var cluster = Stack("cluster");
        var database = Stack("database");
        var monitoring = Stack("monitoring");
        var platform = Stack("platform");

        var nodeGroups = cluster.Resources("aws_eks_node_group").Select(g => new NodeGroupFacts(
            ZoneOf(g.Body.Str("node_group_name_prefix") ?? g.Body.Str("node_group_name") ?? "", env),
            [.. (g.Body["instance_types"] as JsonArray ?? []).Select(t => t!.ToString())],
            g.Body.Str("capacity_type") ?? "ON_DEMAND",
            (int)(g.Body.Num("scaling_config.min_size") ?? 0),
            (int)(g.Body.Num("scaling_config.desired_size") ?? 0),
            (int)(g.Body.Num("scaling_config.max_size") ?? 0))).ToList();

        var instances = database.Resources("aws_rds_cluster_instance")
            .Select(i => (i.Body.Str("instance_class")!, i.Body.Str("availability_zone") ?? "")).ToList();
        var rds = database.Resources("aws_rds_cluster").Single().Body;
        var rules = database.Resources("aws_backup_plan").Single().Body["rule"]!.AsArray().Select(r => r!).ToList();
        var rule = rules[0];

        var releases = platform.Resources("helm_release").ToDictionary(r => r.Body.Str("name")!, r => r.Body);
        var velero = releases.TryGetValue("velero", out var v) ? v.Str("values.0") ?? "" : "";
        var veleroEvery = Regex.Match(velero, @"schedule: ""?0 \*/(\d+) ");

        var alarms = monitoring.Resources("aws_cloudwatch_metric_alarm").Select(a => new AlarmFacts(
            a.Body.Str("alarm_name")!,
            (int)(a.Body.Num("period") ?? (a.Body["metric_query"] as JsonArray ?? [])
                .Select(q => q.Num("metric.period")).FirstOrDefault(p => p is not null) ?? 60),
            (int)(a.Body.Num("evaluation_periods") ?? 1),
            (int)(a.Body.Num("datapoints_to_alarm") ?? a.Body.Num("evaluation_periods") ?? 1))).ToList();
        var check = monitoring.Resources("aws_route53_health_check").Select(h => h.Body).FirstOrDefault();

        return new EnvironmentFacts
        {
            Env = env,
            Stacks = stacks,
            Zones = env.AvailabilityZones,
            NodeGroups = nodeGroups,
            NodeDiskGiB = (int)(cluster.Resources("aws_launch_template").Select(t => t.Body.Num("block_device_mappings.0.ebs.volume_size")).FirstOrDefault() ?? 20),
            NatGateways = network.Count("aws_nat_gateway"),
            InterfaceEndpoints = network.Resources("aws_vpc_endpoint").Count(e => e.Body.Str("vpc_endpoint_type") == "Interface"),
            TargetGroups = [.. cluster.Resources("aws_lb_target_group").Select(t => new TargetGroupFacts(
                t.Body.Str("name")!, (int)(t.Body.Num("health_check.interval") ?? 30), (int)(t.Body.Num("health_check.unhealthy_threshold") ?? 3),
                (int)(t.Body.Num("deregistration_delay") ?? 300)))],
            Database = new DatabaseFacts(instances, (int)(rds.Num("backup_retention_period") ?? 1),
                (int)(database.Resources("aws_rds_cluster_instance").Select(i => i.Body.Num("performance_insights_retention_period")).FirstOrDefault() ?? 7),
                database.Count("aws_db_proxy") > 0),
            Cache = database.Resources("aws_elasticache_replication_group").Select(g => new CacheFacts(
                [.. (g.Body["preferred_cache_cluster_azs"] as JsonArray ?? []).Select(z => z!.ToString())],
                g.Body.Str("multi_az_enabled") == "true" && g.Body.Str("automatic_failover_enabled") == "true")).FirstOrDefault(),
            Backup = new BackupFacts(
                [.. rules.SelectMany(r => BackupFacts.HoursOf(r.Str("schedule")!)).Distinct().Order()],
                [.. rules.Where(r => r["copy_action"] is JsonArray { Count: > 0 }).SelectMany(r => BackupFacts.HoursOf(r.Str("schedule")!)).Distinct().Order()],
                (int)(rule.Num("lifecycle.delete_after") ?? 0), (int)(rule.Num("start_window") ?? 60), (int)(rule.Num("completion_window") ?? 10080))
            {
                CopyRetentionDays = (int)(rules.Select(r => r.Num("copy_action.0.lifecycle.delete_after")).FirstOrDefault(d => d is not null) ?? 0),
            },
            Alarms = alarms,
            HealthCheck = check is null ? null : ((int)(check.Num("request_interval") ?? 30), (int)(check.Num("failure_threshold") ?? 3)),
            MaintenanceRegion = monitoring.Resources("aws_s3_object").Select(o => o.Body.Str("region") ?? env.Region).FirstOrDefault(),
            Chart = ChartFacts.From(chartDefaultsYaml, releases.TryGetValue("easypay", out var app) ? app.Str("values.0") ?? "" : ""),
            VeleroIntervalHours = veleroEvery.Success ? int.Parse(veleroEvery.Groups[1].Value) : 24,
        };
    }

    /// <summary>"easypay-prod-general-1a-" → "eu-west-1a".</summary>
    private static string ZoneOf(string nodeGroupName, EnvironmentConfig env) =>
        env.AvailabilityZones.FirstOrDefault(az => nodeGroupName.Contains($"-{az[^2..]}-", StringComparison.Ordinal)) ?? "(all)";
}
