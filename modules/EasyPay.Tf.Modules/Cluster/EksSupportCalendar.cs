namespace EasyPay.Tf.Modules.Cluster;

/// <summary>What EKS does when a cluster's version reaches the end of standard support (EKS UpgradePolicy).</summary>
public enum EksSupportType
{
    /// <summary>EKS upgrades the control plane to the next version at the end of standard support; never pays
    /// the extended-support rate.</summary>
    Standard,
    /// <summary>The version stays for 12 more months at the extended-support control-plane rate. A cluster
    /// already in extended support cannot switch back to Standard until it is upgraded.</summary>
    Extended,
}

/// <summary>One EKS Kubernetes minor version's support dates (UTC days).</summary>
public sealed record EksVersionSupport(string Version, DateOnly Released, DateOnly EndOfStandardSupport, DateOnly EndOfExtendedSupport, string Source)
{
    /// <summary>Days from <paramref name="today"/> until standard support ends (negative: already ended).</summary>
    public int StandardSupportDaysLeft(DateOnly today) => EndOfStandardSupport.DayNumber - today.DayNumber;

    public int ExtendedSupportDaysLeft(DateOnly today) => EndOfExtendedSupport.DayNumber - today.DayNumber;
}

/// <summary>The EKS Kubernetes release calendar, pinned: read on <see cref="ReadOn"/> from the sources named per
/// row. Add the next version's row when AWS publishes it (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
/// "Amazon EKS Kubernetes release calendar"); the EKS-004 policy rule fails 60 days before an environment's
/// version leaves standard support.</summary>
public static class EksSupportCalendar
{
    public static readonly DateOnly ReadOn = new(2026, 12, 1);

    /// <summary>Standard support must last at least this much longer, or EKS-004 fails: time to step through an
    /// upgrade (docs/cluster.md) before EKS upgrades the cluster itself (Standard) or bills extended support.</summary>
    public const int MinimumStandardSupportDaysLeft = 60;

    private const string AwsCalendar = "awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc@013856044148d6eeed4723027a45aa2180536bcb (release calendar table)";
    private const string EndOfLifeDate = "endoflife-date/endoflife.date products/amazon-eks.md@a70eca337600e7d721dc48112c271f98661d208b (scraped from the same AWS table; secondary)";

    public static readonly IReadOnlyList<EksVersionSupport> Versions =
    [
        new("1.33", new(2025, 5, 29), new(2026, 7, 29), new(2027, 7, 29), AwsCalendar),
        new("1.34", new(2025, 10, 2), new(2026, 12, 2), new(2027, 12, 2), AwsCalendar),
        new("1.35", new(2026, 1, 28), new(2027, 3, 27), new(2028, 3, 27), EndOfLifeDate),
        new("1.36", new(2026, 6, 2), new(2027, 8, 2), new(2028, 8, 2), EndOfLifeDate),
    ];

    /// <summary>The row of <paramref name="version"/>, or null when the calendar does not know it.</summary>
    public static EksVersionSupport? Find(string version) => Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>Minor number of a "1.NN" version.</summary>
    public static int Minor(string version) => int.Parse(version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
}
