using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchDashboard;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>A widget of a <see cref="Dashboard"/>; the dashboard lays widgets out left to right, 24 columns a row.</summary>
public abstract record DashboardWidget(string Title)
{
    /// <summary>Columns out of 24.</summary>
    public int Width { get; init; } = 12;
    public int Height { get; init; } = 6;
}

/// <summary>A time-series graph of metrics and metric-math expressions.</summary>
public sealed record GraphWidget(string Title, IReadOnlyList<MetricSource> Metrics) : DashboardWidget(Title)
{
    /// <summary>Horizontal lines, e.g. an alarm threshold.</summary>
    public IReadOnlyList<HorizontalLine> Lines { get; init; } = [];
    public string? YAxisLabel { get; init; }
    public int PeriodSeconds { get; init; } = 60;
}

public sealed record HorizontalLine(string Label, double Value);

/// <summary>The current state of the given alarms.</summary>
public sealed record AlarmStatusWidget(string Title, IReadOnlyList<string> AlarmArns) : DashboardWidget(Title);

/// <summary>Props of <see cref="Dashboard"/>.</summary>
/// <param name="Name">Dashboard name, e.g. "easypay-prod".</param>
/// <param name="Widgets">Laid out left to right, top to bottom; they read metrics of the stack's region.</param>
public sealed record DashboardProps(string Name, IReadOnlyList<DashboardWidget> Widgets);

/// <summary>A CloudWatch dashboard whose body is built here as JSON, so the synthesized stack shows every
/// widget; metric dimensions may be Terraform tokens (they stay inside JSON strings).</summary>
public sealed partial class Dashboard : Construct
{
    private const int GridColumns = 24;

    public string Name { get; }

    /// <summary>Link to the dashboard in the CloudWatch console.</summary>
    public string Url { get; }

    /// <summary>The dashboard body as synthesized (for tests and reviews).</summary>
    public string Body { get; }

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Dashboard(Construct scope, string id, DashboardProps props) : base(scope, id)
    {
        Validate(props);
        var region = AwsEnvironment.Of(this).Region;
        Body = Render(props, region);
        new CloudwatchDashboard(this, "dashboard", new CloudwatchDashboardConfig
        {
            DashboardName = props.Name,
            DashboardBody = Body,
        });
        Name = props.Name; // known at synth time: consumers need no lookup
        Url = ConsoleUrl(region, props.Name);
    }

    public static string ConsoleUrl(string region, string name) =>
        $"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={name}";

    private static string Render(DashboardProps props, string region)
    {
        var widgets = new JsonArray();
        int x = 0, y = 0, rowHeight = 0;
        foreach (var w in props.Widgets)
        {
            if (x + w.Width > GridColumns)
            {
                (x, y, rowHeight) = (0, y + rowHeight, 0);
            }
            widgets.Add(new JsonObject
            {
                ["type"] = w is AlarmStatusWidget ? "alarm" : "metric",
                ["x"] = x,
                ["y"] = y,
                ["width"] = w.Width,
                ["height"] = w.Height,
                ["properties"] = w switch
                {
                    GraphWidget g => GraphProperties(g, region),
                    AlarmStatusWidget a => new JsonObject
                    {
                        ["title"] = a.Title,
                        ["alarms"] = new JsonArray([.. a.AlarmArns.Select(arn => (JsonNode)arn)]),
                    },
                    _ => throw new ArgumentException($"Unsupported widget {w.GetType().Name}"),
                },
            });
            x += w.Width;
            rowHeight = Math.Max(rowHeight, w.Height);
        }
        return new JsonObject { ["widgets"] = widgets }.ToJsonString(Json);
    }

    private static JsonObject GraphProperties(GraphWidget g, string region)
    {
        var metrics = new JsonArray();
        var expressions = 0;
        foreach (var source in g.Metrics)
        {
            switch (source)
            {
                case MetricStat m:
                    metrics.Add(MetricRow(m, Options(("stat", m.Statistic), ("label", m.Label))));
                    break;
                case MetricMath math:
                    foreach (var (inputId, input) in math.Inputs)
                    {
                        // Inputs are drawn only through the expression.
                        metrics.Add(MetricRow(input, Options(("stat", input.Statistic), ("id", inputId), ("visible", false))));
                    }
                    expressions++;
                    metrics.Add(new JsonArray(Options(("expression", math.Expression), ("label", math.Label),
                        ("id", string.Create(CultureInfo.InvariantCulture, $"e{expressions}")))));
                    break;
                default:
                    throw new ArgumentException($"Unsupported metric source {source.GetType().Name}");
            }
        }
        var properties = new JsonObject
        {
            ["title"] = g.Title,
            ["region"] = region,
            ["view"] = "timeSeries",
            ["stacked"] = false,
            ["period"] = g.PeriodSeconds,
            ["metrics"] = metrics,
        };
        if (g.Lines.Count > 0)
        {
            properties["annotations"] = new JsonObject
            {
                ["horizontal"] = new JsonArray([.. g.Lines.Select(l => (JsonNode)new JsonObject { ["label"] = l.Label, ["value"] = l.Value })]),
            };
        }
        if (g.YAxisLabel is not null)
        {
            properties["yAxis"] = new JsonObject { ["left"] = new JsonObject { ["label"] = g.YAxisLabel, ["showUnits"] = false } };
        }
        return properties;
    }

    /// <summary>[namespace, metric, dimension, value, ..., {options}]: the dashboard's metric row format.</summary>
    private static JsonArray MetricRow(MetricStat m, JsonObject options)
    {
        var row = new JsonArray { m.Namespace, m.MetricName };
        foreach (var (name, value) in m.Dimensions)
        {
            row.Add(name);
            row.Add(value);
        }
        row.Add(options);
        return row;
    }

    private static JsonObject Options(params (string Key, object? Value)[] options)
    {
        var o = new JsonObject();
        foreach (var (key, value) in options)
        {
            switch (value)
            {
                case string s:
                    o[key] = s;
                    break;
                case bool b:
                    o[key] = b;
                    break;
                default:
                    break; // null: option not set
            }
        }
        return o;
    }

    private static void Validate(DashboardProps props)
    {
        var v = new PropsValidator(nameof(DashboardProps))
            .Check(DashboardName().IsMatch(props.Name ?? ""), nameof(props.Name), $"'{props.Name}' is not a dashboard name (1-255 letters, digits, - and _)")
            .Check(props.Widgets.Count > 0, nameof(props.Widgets), "is empty: a dashboard needs at least one widget");
        for (var i = 0; i < props.Widgets.Count; i++)
        {
            var w = props.Widgets[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"{nameof(props.Widgets)}[{i}] ({w.Title})");
            v.Check(w.Width is >= 1 and <= GridColumns, field, $"Width {w.Width} must be 1-{GridColumns} columns");
            v.Check(w.Height is >= 1 and <= 1000, field, $"Height {w.Height} must be 1-1000 rows");
            if (w is GraphWidget g)
            {
                v.Check(g.Metrics.Count > 0, field, "has no metrics");
                var ids = g.Metrics.OfType<MetricMath>().SelectMany(m => m.Inputs.Keys).ToList();
                foreach (var dup in ids.GroupBy(n => n).Where(d => d.Count() > 1))
                {
                    v.Check(false, field, $"metric-math input id '{dup.Key}' is used by two expressions of the same graph; rename one");
                }
            }
            if (w is AlarmStatusWidget a)
            {
                v.Check(a.AlarmArns.Count > 0, field, "lists no alarms");
            }
        }
        v.ThrowIfInvalid();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex DashboardName();
}
