using System.Globalization;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>OBS: alarms reach a human fast, logs are kept.</summary>
public static class ObservabilityRules
{
    /// <summary>The paging bound of a critical alarm.</summary>
    public const int CriticalWithinSeconds = 60;

    public static readonly StackRule AlarmActions = new("OBS-001",
        "Every CloudWatch alarm (metric and composite) notifies someone: alarm_actions set, actions enabled",
        Severity.High, Applicability.AllEnvironments,
        "An alarm without actions only changes colour on a dashboard nobody watches at 3 a.m.",
        ctx => ctx.Resources("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm").SelectMany(a => ctx.Violations(a,
            (TfValue.List(a["alarm_actions"]).Count == 0, "alarm_actions is empty: add the environment's alarm topic"),
            (TfValue.IsFalse(a["actions_enabled"]), "actions_enabled is false"))))
    {
        Subjects = ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"],
    };

    public static readonly StackRule CriticalAlarmLatency = new("OBS-002",
        "Critical metric alarms fire within 60 s: period x datapoints_to_alarm <= 60 (untagged alarms count as critical)",
        Severity.High, Applicability.AllEnvironments,
        "Payments fail while an alarm waits: a critical alarm must page within one minute of the first bad datapoint.",
        ctx => ctx.Resources("aws_cloudwatch_metric_alarm")
            .Where(IsCritical)
            .Select(a => (Alarm: a, Seconds: SecondsToFire(a)))
            .Where(a => a.Seconds is null or > CriticalWithinSeconds)
            .Select(a => ctx.Violation(a.Alarm, a.Seconds is null
                ? "its period is not a literal: cannot show that it fires within 60 s"
                : $"fires after {a.Seconds.Value.ToString(CultureInfo.InvariantCulture)} s at the earliest (period x datapoints_to_alarm); critical alarms must fire within {CriticalWithinSeconds} s — tag it Severity=warning if it is not critical")))
    {
        Subjects = ["aws_cloudwatch_metric_alarm"],
    };

    public static readonly StackRule LogRetention = new("OBS-003",
        "Every CloudWatch log group has a retention period",
        Severity.Medium, Applicability.AllEnvironments,
        "Without retention, logs are kept (and billed) forever and personal data outlives its purpose.",
        ctx => ctx.Resources("aws_cloudwatch_log_group")
            .Where(g => (TfValue.Number(g["retention_in_days"]) ?? 0) <= 0)
            .Select(g => ctx.Violation(g, "retention_in_days is not set: logs would never expire")))
    {
        Subjects = ["aws_cloudwatch_log_group"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [AlarmActions, CriticalAlarmLatency, LogRetention];

    /// <summary>The convention (docs/policy-rules.md): tag Severity = critical (any case) marks a critical alarm;
    /// any other Severity value marks a non-critical one; an alarm without the tag is held to the critical bound.</summary>
    public static bool IsCritical(TfResource alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var severity = TfValue.Map(alarm["tags"]).GetValueOrDefault("Severity");
        return severity is null || severity.Equals("critical", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The earliest an alarm can fire after its first breaching datapoint: period (the longest of its
    /// metric queries for metric-math alarms) times datapoints_to_alarm (which defaults to evaluation_periods).</summary>
    public static double? SecondsToFire(TfResource alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var periods = TfValue.Blocks(alarm["metric_query"]).Select(q => TfValue.Number(TfValue.Block(q["metric"])?["period"]))
            .Append(TfValue.Number(alarm["period"])).Where(p => p is not null).ToList();
        var period = periods.Count > 0 ? periods.Max() : null;
        var datapoints = TfValue.Number(alarm["datapoints_to_alarm"]) ?? TfValue.Number(alarm["evaluation_periods"]);
        return period * datapoints;
    }
}
