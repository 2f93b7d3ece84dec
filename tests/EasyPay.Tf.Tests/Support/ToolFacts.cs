namespace EasyPay.Tf.Tests.Support;

/// <summary>External tools a test needs; combine with <c>|</c>.</summary>
[Flags]
public enum Tool
{
    None = 0,

    /// <summary>helm (<see cref="HelmCli"/>).</summary>
    Helm = 1,

    /// <summary>kube-validate (<see cref="KubeValidate"/>); a test that validates renders also needs <see cref="Helm"/>.</summary>
    KubeValidate = 2,
}

/// <summary>The one place that decides whether a test needing external tools runs.</summary>
public static class ToolRequirement
{
    /// <summary>The skip message of every tool in <paramref name="needs"/> that is missing, or null when all are there.</summary>
    public static string? SkipReason(Tool needs)
    {
        var missing = new List<string>();
        if (needs.HasFlag(Tool.Helm) && !HelmCli.IsAvailable)
        {
            missing.Add(HelmCli.SkipMessage);
        }
        if (needs.HasFlag(Tool.KubeValidate) && !KubeValidate.IsAvailable)
        {
            missing.Add(KubeValidate.SkipMessage);
        }
        return missing.Count == 0 ? null : string.Join("; ", missing);
    }
}

/// <summary>A [Fact] that is skipped, naming the missing tool, unless every tool it needs is available.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(Tool needs)
    {
        Needs = needs;
        Skip = ToolRequirement.SkipReason(needs);
    }

    public Tool Needs { get; }
}

/// <summary>A [Theory] that is skipped, naming the missing tool, unless every tool it needs is available.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(Tool needs)
    {
        Needs = needs;
        Skip = ToolRequirement.SkipReason(needs);
    }

    public Tool Needs { get; }
}
