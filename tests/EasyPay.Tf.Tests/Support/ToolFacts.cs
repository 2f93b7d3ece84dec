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

    /// <summary>python3 (3.9+), for the unit tests of the Lambda functions' Python sources.</summary>
    Python = 4,
}

/// <summary>The one place that decides whether a test needing external tools runs.</summary>
public static class ToolRequirement
{
    private static readonly Lazy<bool> PythonAvailable = new(() =>
    {
        try
        {
            return ProcessRunner.Run("python3", ["--version"], null, TimeSpan.FromSeconds(30)).Succeeded;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

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
        if (needs.HasFlag(Tool.Python) && !PythonAvailable.Value)
        {
            missing.Add("python3 is not on PATH (install Python 3.9+ to run the Lambda handler tests)");
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
