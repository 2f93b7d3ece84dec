namespace EasyPay.Tf.Tests.Support;

/// <summary>A [Fact] that is skipped, with <see cref="HelmCli.SkipMessage"/>, when no helm is available.</summary>
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
    }
}

/// <summary>A [Theory] that is skipped, with <see cref="HelmCli.SkipMessage"/>, when no helm is available.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
    }
}

/// <summary>A [Theory] that needs both helm and kube-validate; skipped with the missing tool's message.</summary>
public sealed class KubeValidateTheoryAttribute : TheoryAttribute
{
    public KubeValidateTheoryAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
        else if (!KubeValidate.IsAvailable)
        {
            Skip = KubeValidate.SkipMessage;
        }
    }
}

/// <summary>A [Fact] that needs both helm and kube-validate; skipped with the missing tool's message.</summary>
public sealed class KubeValidateFactAttribute : FactAttribute
{
    public KubeValidateFactAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
        else if (!KubeValidate.IsAvailable)
        {
            Skip = KubeValidate.SkipMessage;
        }
    }
}
