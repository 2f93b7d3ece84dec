namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>A CloudWatch time series an alarm watches or a dashboard graph draws: one metric
/// (<see cref="MetricStat"/>) or metric math over several (<see cref="MetricMath"/>). The same value
/// feeds both, so the dashboard shows exactly what the alarm evaluates.</summary>
public abstract record MetricSource
{
    /// <summary>Legend label on dashboards (and of the expression in a metric-math alarm).</summary>
    public string? Label { get; init; }
}

/// <summary>One metric with a statistic: "Sum", "Average", "Minimum", "Maximum", "SampleCount" or a
/// percentile such as "p95" (an extended statistic in alarms). Dimension values may be Terraform tokens.</summary>
public sealed record MetricStat(string Namespace, string MetricName, string Statistic, IReadOnlyDictionary<string, string> Dimensions) : MetricSource
{
    public static readonly IReadOnlyList<string> SimpleStatistics = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];

    /// <summary>Percentiles go to extended_statistic, the rest to statistic.</summary>
    public bool IsPercentile => System.Text.RegularExpressions.Regex.IsMatch(Statistic, "^p\\d{1,2}(\\.\\d+)?$");

    public bool HasValidStatistic => SimpleStatistics.Contains(Statistic) || IsPercentile;
}

/// <summary>A metric-math expression over named inputs, e.g. <c>IF(requests &gt; 0, errors / requests * 100, 0)</c>
/// with inputs "errors" and "requests". Input ids must start with a lower-case letter (CloudWatch's rule).</summary>
public sealed record MetricMath(string Expression, IReadOnlyDictionary<string, MetricStat> Inputs) : MetricSource
{
    public static bool IsValidId(string id) => System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z][a-zA-Z0-9_]*$");

    /// <summary>The sum of <paramref name="metrics"/> (inputs <paramref name="idPrefix"/>0, 1, ...), a missing
    /// datapoint counting as 0 (FILL): one series for many resources of a kind (NAT gateways, WAF rules, cache nodes).</summary>
    public static MetricMath Sum(string idPrefix, IReadOnlyList<MetricStat> metrics) =>
        new(string.Join(" + ", Filled(idPrefix, metrics.Count)), Named(idPrefix, metrics));

    /// <summary>The highest of <paramref name="metrics"/> at each timestamp (MAX over the array), missing datapoints as 0.</summary>
    public static MetricMath Max(string idPrefix, IReadOnlyList<MetricStat> metrics) =>
        new($"MAX([{string.Join(", ", Filled(idPrefix, metrics.Count))}])", Named(idPrefix, metrics));

    private static IEnumerable<string> Filled(string idPrefix, int count) => Enumerable.Range(0, count).Select(i => $"FILL({idPrefix}{i}, 0)");

    private static Dictionary<string, MetricStat> Named(string idPrefix, IReadOnlyList<MetricStat> metrics) =>
        metrics.Select((m, i) => (Id: $"{idPrefix}{i}", Metric: m)).ToDictionary(x => x.Id, x => x.Metric);
}
