using System.Text.RegularExpressions;

namespace EasyPay.Tf.Modules.Database;

/// <summary>What the platform knows about an Aurora PostgreSQL instance class: its memory, whether it is
/// burstable, and the max_connections Aurora derives from it (LEAST(DBInstanceClassMemory/9531392, 5000)),
/// from which the connection alarm threshold is computed.</summary>
public sealed partial record AuroraInstanceClass(string Name, string Family, string Size, double MemoryGiB, bool Burstable)
{
    /// <summary>Families Aurora PostgreSQL offers that this platform supports (provisioned, not serverless).</summary>
    public static readonly IReadOnlyList<string> Families = ["db.r5", "db.r6g", "db.r6gd", "db.r6i", "db.r6id", "db.r7g", "db.r7i", "db.r8g", "db.x2g", "db.t3", "db.t4g"];

    private static readonly Dictionary<string, double> MemoryBySize = new Dictionary<string, double>
    {
        ["medium"] = 4, ["large"] = 16, ["xlarge"] = 32, ["2xlarge"] = 64, ["4xlarge"] = 128,
        ["8xlarge"] = 256, ["12xlarge"] = 384, ["16xlarge"] = 512, ["24xlarge"] = 768,
    };

    /// <summary>Aurora's default max_connections for this class.</summary>
    public int DefaultMaxConnections => (int)Math.Min(MemoryGiB * 1024 * 1024 * 1024 / 9531392, 5000);

    public static bool TryParse(string? name, out AuroraInstanceClass? instanceClass, out string error)
    {
        instanceClass = null;
        error = string.Empty;
        var m = ClassPattern().Match(name ?? string.Empty);
        if (!m.Success)
        {
            error = $"'{name}' is not an instance class name such as db.r6g.large";
            return false;
        }
        var family = m.Groups["family"].Value;
        var size = m.Groups["size"].Value;
        if (!Families.Contains(family))
        {
            error = $"'{name}' is of an unknown instance class family '{family}'; use one of {string.Join(", ", Families)}";
            return false;
        }
        var burstable = family.StartsWith("db.t", StringComparison.Ordinal);
        if (!MemoryBySize.TryGetValue(size, out var memory) || (burstable && size is not ("medium" or "large")) || (!burstable && size == "medium"))
        {
            error = $"'{name}' has a size that family {family} does not offer";
            return false;
        }
        if (burstable)
        {
            memory = size == "medium" ? 4 : 8;
        }
        else if (family == "db.x2g")
        {
            memory *= 2; // memory-optimised: twice the r-family memory per size
        }
        instanceClass = new AuroraInstanceClass(name!, family, size, memory, burstable);
        return true;
    }

    public static AuroraInstanceClass Parse(string name) =>
        TryParse(name, out var c, out var error) ? c! : throw new ArgumentException(error, nameof(name));

    [GeneratedRegex("^(?<family>db\\.[a-z0-9]+)\\.(?<size>[a-z0-9]+)$")]
    private static partial Regex ClassPattern();
}
