using System.Text.Json.Nodes;

namespace EasyPay.Tf.Report.Data;

/// <summary>Capacity of an EC2 instance type or Aurora instance class.</summary>
public sealed record InstanceSize(string Name, int Vcpu, double MemoryGiB, int? MaxPods, string Source);

/// <summary>Everything the report knows that the stacks do not say: report/data/*.json, each figure with its source.</summary>
/// <param name="Prices">prices-REGION.json: on-demand prices of the environments' region.</param>
/// <param name="Usage">usage.json: traffic and stored-data assumptions per environment, keys "ENV.KEY".</param>
/// <param name="Recovery">recovery-figures.json: documented detection and recovery times.</param>
public sealed record ReportData(FigureSet Prices, FigureSet Usage, FigureSet Recovery, IReadOnlyDictionary<string, InstanceSize> Sizes, string Directory)
{
    public static ReportData Load(string directory, string region = "eu-west-1")
    {
        var prices = FigureSet.Load(Path.Combine(directory, $"prices-{region}.json"), "prices");
        var usage = FigureSet.LoadNested(Path.Combine(directory, "usage.json"), "environments");
        var recovery = FigureSet.Load(Path.Combine(directory, "recovery-figures.json"));
        var sizesPath = Path.Combine(directory, "instance-types.json");
        var sizes = new Dictionary<string, InstanceSize>(StringComparer.Ordinal);
        var sizesRoot = JsonNode.Parse(File.ReadAllText(sizesPath))!.AsObject();
        foreach (var (name, value) in new[] { "ec2", "aurora" }.SelectMany(group => sizesRoot[group]?.AsObject() ?? []))
        {
            if (value is JsonObject o && o["vcpu"] is JsonValue v && v.TryGetValue<int>(out var vcpu))
            {
                sizes[name] = new InstanceSize(name, vcpu, o["memoryGiB"]?.GetValue<double>() ?? 0,
                    o["maxPods"] is JsonValue p && p.TryGetValue<int>(out var pods) ? pods : null, o["source"]?.ToString() ?? "(no source)");
            }
        }
        return new ReportData(prices, usage, recovery, sizes, directory);
    }

    public InstanceSize Size(string name) => Sizes.TryGetValue(name, out var s) ? s
        : throw new InvalidDataException($"{Path.Combine(Directory, "instance-types.json")}: no entry for {name} (add its vCPU, memory and max pods with the source)");
}
