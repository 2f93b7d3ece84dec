using System.Text.Json;

namespace EasyPay.Tf.Report.Resilience;

/// <summary>A known gap, accepted on purpose: the scenario still shows as missed ("waived"), with the reason and
/// where the fix is tracked. A waiver for a scenario that meets its targets is stale and fails the report, so
/// waivers cannot outlive their gap.</summary>
public sealed record Waiver(string Environment, string Scenario, string Reason, string TrackedIn)
{
    public static IReadOnlyList<Waiver> Load(string path)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var problems = new List<string>();
        var waivers = new List<Waiver>();
        var i = 0;
        foreach (var w in doc.RootElement.GetProperty("waivers").EnumerateArray())
        {
            string? Get(string name) => w.TryGetProperty(name, out var v) ? v.GetString() : null;
            var waiver = new Waiver(Get("environment") ?? "", Get("scenario") ?? "", Get("reason") ?? "", Get("trackedIn") ?? "");
            foreach (var (field, value) in new[] { ("environment", waiver.Environment), ("scenario", waiver.Scenario), ("reason", waiver.Reason), ("trackedIn", waiver.TrackedIn) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{path}: waivers[{i}].{field}: is required (a waiver says what, why and where the fix is tracked)");
                }
            }
            waivers.Add(waiver);
            i++;
        }
        return problems.Count > 0 ? throw new InvalidDataException(string.Join(System.Environment.NewLine, problems)) : waivers;
    }
}
