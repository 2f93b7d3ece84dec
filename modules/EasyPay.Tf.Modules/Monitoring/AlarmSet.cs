using System.Globalization;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchCompositeAlarm;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchMetricAlarm;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>How urgently an alarm needs a human.</summary>
public enum AlarmSeverity
{
    /// <summary>Payments fail or are about to: pages within a minute (60-second period, one breaching datapoint).</summary>
    Critical,
    /// <summary>A trend that becomes critical if nobody acts: 60-second periods, sustained over several of them.</summary>
    Warning,
}

/// <summary>What a period without data means for the alarm (CloudWatch's treat_missing_data).</summary>
public enum MissingData
{
    /// <summary>No data is bad news (e.g. no node-count metric = no nodes or no agent).</summary>
    Breaching,
    /// <summary>No data is good news (e.g. no 5xx datapoint = no errors).</summary>
    NotBreaching,
    /// <summary>Keep the current state.</summary>
    Ignore,
    /// <summary>Go to INSUFFICIENT_DATA when the whole window is empty.</summary>
    Missing,
}

public enum AlarmComparison
{
    GreaterThanThreshold,
    GreaterThanOrEqualToThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

/// <summary>One metric alarm of an <see cref="AlarmSet"/>. Missing-data handling has no default on purpose:
/// every alarm decides what silence means.</summary>
/// <param name="Name">Suffix of the alarm name: the alarm is "&lt;prefix&gt;-&lt;Name&gt;".</param>
/// <param name="Description">What the alarm means and what to check first (shown in the notification).</param>
public sealed record AlarmDefinition(
    string Name,
    string Description,
    MetricSource Metric,
    AlarmComparison Comparison,
    double Threshold,
    AlarmSeverity Severity,
    MissingData TreatMissingData)
{
    public int PeriodSeconds { get; init; } = 60;

    /// <summary>How many recent periods the alarm looks at.</summary>
    public int EvaluationPeriods { get; init; } = 1;

    /// <summary>How many of those must breach ("M out of N").</summary>
    public int DatapointsToAlarm { get; init; } = 1;
}

/// <summary>A composite alarm that is in ALARM when any of the named alarms of the same set is.</summary>
/// <param name="AnyOf">Names (suffixes) of alarms of the set.</param>
public sealed record CompositeAlarmDefinition(string Name, string Description, IReadOnlyList<string> AnyOf, AlarmSeverity Severity);

/// <summary>Props of <see cref="AlarmSet"/>.</summary>
/// <param name="Prefix">Name prefix, e.g. "easypay-prod".</param>
/// <param name="TopicArn">SNS topic that gets both the ALARM and the OK notification of every alarm.</param>
public sealed record AlarmSetProps(string Prefix, string TopicArn, IReadOnlyList<AlarmDefinition> Alarms)
{
    /// <summary>@default none</summary>
    public IReadOnlyList<CompositeAlarmDefinition> Composites { get; init; } = [];

    /// <summary>Region of the alarms when not the stack's (the topic must be in the same region):
    /// Route 53 health-check metrics exist only in us-east-1. @default the stack's region</summary>
    public string? Region { get; init; }
}

/// <summary>CloudWatch alarms that all notify one topic on ALARM and on OK, named "&lt;prefix&gt;-&lt;name&gt;",
/// with severity rules enforced: every period is at most 60 s, and critical alarms fire on one 60-second
/// datapoint so a human is paged within a minute.</summary>
public sealed class AlarmSet : Construct
{
    /// <summary>The fastest evaluation CloudWatch offers for standard-resolution metrics.</summary>
    public const int CriticalPeriodSeconds = 60;

    /// <summary>ARN by alarm name suffix, metric and composite alarms alike.</summary>
    public IReadOnlyDictionary<string, string> Arns { get; }

    /// <summary>Full alarm name by suffix.</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    public AlarmSet(Construct scope, string id, AlarmSetProps props) : base(scope, id)
    {
        Validate(props);
        var arns = new Dictionary<string, string>();
        var names = new Dictionary<string, string>();
        foreach (var a in props.Alarms)
        {
            var alarm = new CloudwatchMetricAlarm(this, a.Name, MetricAlarmConfig(props, a));
            arns[a.Name] = alarm.Arn;
            names[a.Name] = alarm.AlarmName;
        }
        foreach (var c in props.Composites)
        {
            var composite = new CloudwatchCompositeAlarm(this, c.Name, new CloudwatchCompositeAlarmConfig
            {
                AlarmName = $"{props.Prefix}-{c.Name}",
                AlarmDescription = Describe(c.Severity, c.Description),
                // Referencing the children's names (tokens) also orders their creation before the composite.
                AlarmRule = string.Join(" OR ", c.AnyOf.Select(n => $"ALARM(\"{names[n]}\")")),
                AlarmActions = [props.TopicArn],
                OkActions = [props.TopicArn],
                Region = props.Region,
                Tags = SeverityTag(c.Severity),
            });
            arns[c.Name] = composite.Arn;
            names[c.Name] = composite.AlarmName;
        }
        Arns = arns;
        Names = names;
    }

    private static CloudwatchMetricAlarmConfig MetricAlarmConfig(AlarmSetProps props, AlarmDefinition a)
    {
        var config = new CloudwatchMetricAlarmConfig
        {
            AlarmName = $"{props.Prefix}-{a.Name}",
            AlarmDescription = Describe(a.Severity, a.Description),
            ComparisonOperator = a.Comparison.ToString(),
            Threshold = a.Threshold,
            EvaluationPeriods = a.EvaluationPeriods,
            DatapointsToAlarm = a.DatapointsToAlarm,
            TreatMissingData = MissingDataValue(a.TreatMissingData),
            // Both transitions go to the topic: the on-call learns when it is over, not only when it starts.
            AlarmActions = [props.TopicArn],
            OkActions = [props.TopicArn],
            Region = props.Region,
            Tags = SeverityTag(a.Severity),
        };
        switch (a.Metric)
        {
            case MetricStat m:
                config.Namespace = m.Namespace;
                config.MetricName = m.MetricName;
                config.Dimensions = m.Dimensions.ToDictionary();
                config.Period = a.PeriodSeconds;
                if (m.IsPercentile)
                {
                    config.ExtendedStatistic = m.Statistic;
                }
                else
                {
                    config.Statistic = m.Statistic;
                }
                break;
            case MetricMath math:
                config.MetricQuery = math.Inputs
                    .Select(i => new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = i.Key,
                        ReturnData = false,
                        Metric = new CloudwatchMetricAlarmMetricQueryMetric
                        {
                            Namespace = i.Value.Namespace,
                            MetricName = i.Value.MetricName,
                            Stat = i.Value.Statistic,
                            Period = a.PeriodSeconds,
                            Dimensions = i.Value.Dimensions.ToDictionary(),
                        },
                    })
                    .Append(new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = ExpressionId,
                        Expression = math.Expression,
                        Label = math.Label ?? a.Name,
                        ReturnData = true,
                    })
                    .ToArray();
                break;
            default:
                throw new ArgumentException($"Unsupported metric source {a.Metric.GetType().Name}");
        }
        return config;
    }

    /// <summary>Id of the expression a metric-math alarm evaluates.</summary>
    public const string ExpressionId = "result";

    private static string Describe(AlarmSeverity severity, string description) =>
        $"[{severity.ToString().ToUpperInvariant()}] {description}";

    private static Dictionary<string, string> SeverityTag(AlarmSeverity severity) => new() { ["Severity"] = severity.ToString() };

    private static string MissingDataValue(MissingData m) => m switch
    {
        MissingData.Breaching => "breaching",
        MissingData.NotBreaching => "notBreaching",
        MissingData.Ignore => "ignore",
        _ => "missing",
    };

    private static void Validate(AlarmSetProps props)
    {
        var v = new PropsValidator(nameof(AlarmSetProps))
            .CheckNotEmpty(props.Prefix, nameof(props.Prefix))
            .CheckNotEmpty(props.TopicArn, nameof(props.TopicArn))
            .Check(props.Alarms.Count + props.Composites.Count > 0, nameof(props.Alarms), "is empty: an alarm set without alarms pages nobody");
        var all = props.Alarms.Select(a => a.Name).Concat(props.Composites.Select(c => c.Name)).ToList();
        foreach (var dup in all.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            v.Check(false, nameof(props.Alarms), $"'{dup.Key}' is defined {dup.Count()} times; alarm names must be unique");
        }
        for (var i = 0; i < props.Alarms.Count; i++)
        {
            var a = props.Alarms[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"{nameof(props.Alarms)}[{i}] ({a.Name})");
            CheckNameAndDescription(v, field, a.Name, a.Description);
            v.Check(a.PeriodSeconds is 10 or 30 or 60, field, $"PeriodSeconds {a.PeriodSeconds} must be 10, 30 or 60: alarms evaluate at least every minute");
            v.Check(a.EvaluationPeriods >= 1, field, $"EvaluationPeriods {a.EvaluationPeriods} must be at least 1");
            v.Check(a.DatapointsToAlarm >= 1 && a.DatapointsToAlarm <= a.EvaluationPeriods, field,
                $"DatapointsToAlarm {a.DatapointsToAlarm} must be between 1 and EvaluationPeriods {a.EvaluationPeriods}");
            v.Check(a.Severity != AlarmSeverity.Critical || (a.PeriodSeconds == CriticalPeriodSeconds && a.DatapointsToAlarm == 1), field,
                "is critical: use PeriodSeconds 60 and DatapointsToAlarm 1 so it fires within a minute (or make it a warning)");
            v.Check(double.IsFinite(a.Threshold), field, "Threshold must be a finite number");
            CheckMetric(v, field, a.Metric);
        }
        for (var i = 0; i < props.Composites.Count; i++)
        {
            var c = props.Composites[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"{nameof(props.Composites)}[{i}] ({c.Name})");
            CheckNameAndDescription(v, field, c.Name, c.Description);
            v.Check(c.AnyOf.Count > 0, field, "AnyOf is empty: name the alarms of this set it combines");
            foreach (var unknown in c.AnyOf.Where(n => !props.Alarms.Any(a => a.Name == n)))
            {
                v.Check(false, field, $"AnyOf names '{unknown}', which is not a metric alarm of this set");
            }
        }
        v.ThrowIfInvalid();
    }

    private static void CheckNameAndDescription(PropsValidator v, string field, string name, string description)
    {
        v.Check(System.Text.RegularExpressions.Regex.IsMatch(name ?? "", "^[a-z0-9][a-z0-9-]{0,99}$"), field,
            $"name '{name}' must be lower-case letters, digits and dashes (it becomes <prefix>-<name>)");
        v.Check(!string.IsNullOrWhiteSpace(description) && description.Length <= 1000, field,
            "Description must say what the alarm means and what to check first, in at most 1000 characters");
    }

    private static void CheckMetric(PropsValidator v, string field, MetricSource metric)
    {
        switch (metric)
        {
            case MetricStat m:
                v.Check(m.HasValidStatistic, field, $"statistic '{m.Statistic}' must be one of {string.Join(", ", MetricStat.SimpleStatistics)} or a percentile such as p95");
                break;
            case MetricMath math:
                v.Check(math.Inputs.Count > 0, field, "metric math without inputs: name the metrics the expression uses");
                v.Check(!string.IsNullOrWhiteSpace(math.Expression), field, "metric math needs an expression");
                foreach (var (id, input) in math.Inputs)
                {
                    v.Check(MetricMath.IsValidId(id) && id != ExpressionId, field, $"input id '{id}' must start with a lower-case letter (letters, digits, _) and not be '{ExpressionId}'");
                    v.Check(input.HasValidStatistic, field, $"input '{id}' has statistic '{input.Statistic}'; use one of {string.Join(", ", MetricStat.SimpleStatistics)} or a percentile");
                }
                break;
            default:
                v.Check(false, field, "Metric must be a MetricStat or a MetricMath");
                break;
        }
    }
}
