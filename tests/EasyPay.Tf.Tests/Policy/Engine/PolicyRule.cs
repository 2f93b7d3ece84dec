using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>How bad a violation is: Critical = exploitable or data-losing as synthesized; High = weakens a
/// security or availability guarantee; Medium = hygiene that reviews and operations rely on.</summary>
public enum Severity
{
    Critical,
    High,
    Medium,
}

/// <summary>The environments a rule is evaluated in (by <see cref="EnvironmentConfig.Production"/>).</summary>
public enum Applicability
{
    AllEnvironments,
    ProductionOnly,
    NonProduction,
}

/// <summary>One broken invariant: where (stack id, Terraform address "type.name" or a "type.*[...]" set)
/// and what is wrong, with the fix.</summary>
public sealed record Violation(string Stack, string Resource, string Message)
{
    public override string ToString() => $"{Stack} {Resource}: {Message}";
}

/// <summary>A named, documented invariant over what the reviewers read. Two kinds exist: <see cref="StackRule"/>
/// over a synthesized cdk.tf.json, and <see cref="ChartRule"/> over a render of the easypay chart.</summary>
/// <param name="Id">Stable id, e.g. ENC-001 (the family prefix groups the docs table).</param>
/// <param name="Title">What must hold, in one line.</param>
/// <param name="Rationale">Why a reviewer cares, in one line.</param>
public abstract record PolicyRule(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale)
{
    /// <summary>What the rule reads, for the docs table.</summary>
    public abstract string Input { get; }

    /// <summary>The Terraform resource types (chart rules: Kubernetes kinds) the rule examines. A target
    /// without any of them passes vacuously, which the report shows apart; empty = every target.</summary>
    public IReadOnlyList<string> Subjects { get; init; } = [];

    public bool AppliesToEnvironment(EnvironmentConfig env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return AppliesTo switch
        {
            Applicability.ProductionOnly => env.Production,
            Applicability.NonProduction => !env.Production,
            _ => true,
        };
    }

    public override string ToString() => $"{Id} {Title}";
}

/// <summary>What a rule is evaluated on: one stack, or one chart render, of one environment.</summary>
public interface IPolicyTarget
{
    EnvironmentConfig Env { get; }

    /// <summary>The stack id, or "&lt;env&gt;-chart".</summary>
    string Target { get; }

    /// <summary>Whether the target has anything of <paramref name="subject"/> (a resource type, a kind).</summary>
    bool Contains(string subject);
}

/// <summary>A rule over one kind of target, as a check function.</summary>
public abstract record PolicyRule<TTarget>(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale,
    Func<TTarget, IEnumerable<Violation>> Check)
    : PolicyRule(Id, Title, Severity, AppliesTo, Rationale)
    where TTarget : IPolicyTarget
{
    /// <summary>The violations in <paramref name="target"/>; none when the rule does not apply to its environment.</summary>
    public IReadOnlyList<Violation> Evaluate(TTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return AppliesToEnvironment(target.Env) ? [.. Check(target)] : [];
    }

    /// <summary>Whether the target has none of the <see cref="PolicyRule.Subjects"/> (so passing proves nothing).</summary>
    public bool IsVacuousFor(TTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Subjects.Count > 0 && !Subjects.Any(target.Contains);
    }
}

/// <summary>A rule over one synthesized stack (plus the other stacks of the app, for cross-stack references).</summary>
public sealed record StackRule(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale,
    Func<PolicyContext, IEnumerable<Violation>> Check)
    : PolicyRule<PolicyContext>(Id, Title, Severity, AppliesTo, Rationale, Check)
{
    public override string Input => "stacks";
}

/// <summary>A rule over the easypay chart rendered with an environment's values (charts/easypay/ci/&lt;env&gt;-values.yaml).</summary>
public sealed record ChartRule(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale,
    Func<ChartContext, IEnumerable<Violation>> Check)
    : PolicyRule<ChartContext>(Id, Title, Severity, AppliesTo, Rationale, Check)
{
    public override string Input => "chart render";
}
