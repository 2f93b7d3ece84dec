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

/// <summary>A rule over one synthesized stack (plus the other stacks of the app, for cross-stack references).
/// A stack without the resources the rule is about passes vacuously.</summary>
public sealed record StackRule(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale,
    Func<PolicyContext, IEnumerable<Violation>> Check)
    : PolicyRule(Id, Title, Severity, AppliesTo, Rationale)
{
    public override string Input => "stacks";

    /// <summary>The violations in <paramref name="context"/>'s stack; none when the rule does not apply to its environment.</summary>
    public IReadOnlyList<Violation> Evaluate(PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AppliesToEnvironment(context.Env) ? [.. Check(context)] : [];
    }

    /// <summary>Whether the stack has none of the <see cref="PolicyRule.Subjects"/> (so passing proves nothing).</summary>
    public bool IsVacuousFor(PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Subjects.Count > 0 && !context.Resources([.. Subjects]).Any();
    }
}

/// <summary>A rule over the easypay chart rendered with an environment's values (charts/easypay/ci/&lt;env&gt;-values.yaml).</summary>
public sealed record ChartRule(string Id, string Title, Severity Severity, Applicability AppliesTo, string Rationale,
    Func<ChartContext, IEnumerable<Violation>> Check)
    : PolicyRule(Id, Title, Severity, AppliesTo, Rationale)
{
    public override string Input => "chart render";

    public IReadOnlyList<Violation> Evaluate(ChartContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AppliesToEnvironment(context.Env) ? [.. Check(context)] : [];
    }

    public bool IsVacuousFor(ChartContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Subjects.Count > 0 && !Subjects.Any(kind => context.OfKind(kind).Any());
    }
}
