using EasyPay.Tf.Report.Data;

namespace EasyPay.Tf.Report.Resilience;

/// <summary>AWS Resilience Hub's disruption types: which of the environment's RTO/RPO targets a scenario answers to.</summary>
public enum DisruptionType
{
    Application,
    Infrastructure,
    AvailabilityZone,
    Region,
}

public enum Verdict
{
    /// <summary>Recovery and data loss within the targets, enough capacity left.</summary>
    Met,
    /// <summary>A target is missed and no waiver covers it: the report fails.</summary>
    NotMet,
    /// <summary>Missed, and an explicit waiver (report/waivers.json) says why and where it is tracked.</summary>
    Waived,
    /// <summary>Not computable: a figure the model needs is missing from report/data.</summary>
    Unknown,
    /// <summary>The environment has no such failure mode (e.g. NAT loss with a NAT per AZ).</summary>
    NotApplicable,
}

public enum CapacityVerdict
{
    Sufficient,
    /// <summary>Serves its minimum load, but cannot scale out until the failure is over.</summary>
    Degraded,
    Insufficient,
}

/// <summary>A duration the model computed, or null: not bounded by anything automatic (a human acts).</summary>
public readonly record struct Seconds(double? Value)
{
    public static readonly Seconds Unbounded = new(null);

    /// <summary>Automatic, but no documented figure bounds it (e.g. an ElastiCache failover): not bounded either.</summary>
    public static readonly Seconds Undocumented = new(null) { Automatic = true };

    public static Seconds Of(double value) => new(value);
    public bool Bounded => Value is not null;

    /// <summary>Unbounded because nobody documents how long an automatic step takes, not because a human acts.</summary>
    public bool Automatic { get; init; }

    public override string ToString() => Value switch
    {
        null => Automatic ? "not documented (automatic)" : "unbounded (manual)",
        < 120 => $"{Value:0} s",
        < 7200 => $"{Value / 60:0.#} min",
        _ => $"{Value / 3600:0.#} h",
    };
}

/// <summary>One failure scenario of one environment, worked out from its synthesized stacks.</summary>
/// <param name="Detection">From the failure to the signal that acts on it (probe, health check, alarm).</param>
/// <param name="ServiceImpact">How long requests fail: the scenario's RTO.</param>
/// <param name="FullRecovery">Until the lost capacity is back.</param>
/// <param name="DataLoss">Committed data that can be lost: the scenario's RPO.</param>
public sealed record ScenarioResult(
    string Id,
    string Title,
    DisruptionType Type,
    Seconds Detection,
    string DetectedBy,
    Seconds ServiceImpact,
    Seconds FullRecovery,
    string RecoveredBy,
    CapacityVerdict Capacity,
    string CapacityLeft,
    Seconds DataLoss,
    string DataLossBound,
    Verdict Verdict,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<Figure> Sources)
{
    public string? Waiver { get; init; }
}

public sealed record ResilienceReport(string Environment, double AvailabilityTarget, double MonthlyDowntimeBudgetSeconds, IReadOnlyList<ScenarioResult> Scenarios)
{
    public bool TargetsMet => Scenarios.All(s => s.Verdict is Verdict.Met or Verdict.Waived or Verdict.NotApplicable);
}
