using EasyPay.Tf.Tests.Charts;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>Every rule on every stack of every environment the repository synthesizes, and on the chart
/// rendered with every environment's values. A failure lists rule, stack and resource of each violation.</summary>
public class PolicyRealStackTests
{
    private static readonly Lazy<IReadOnlyList<PolicyContext>> Contexts = new(() => PolicyEngine.Contexts(SynthesizedApp.Repository));

    public static TheoryData<string> StackRuleIds() => [.. PolicyRegistry.StackRules.Select(r => r.Id)];

    public static TheoryData<string> Environments => EasypayChart.CiEnvironments;

    [Theory]
    [MemberData(nameof(StackRuleIds))]
    public void Rule_holds_on_every_synthesized_stack(string ruleId)
    {
        var rule = (StackRule)PolicyRegistry.Get(ruleId);
        var outcomes = PolicyEngine.Run([rule], Contexts.Value);
        outcomes.Where(o => !o.Passed).ShouldBeEmpty($"{rule}:\n{PolicyEngine.Describe(outcomes)}");
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(Environments))]
    public void Chart_rules_hold_for_the_environment_values(string environment)
    {
        var outcomes = PolicyEngine.Run(PolicyRegistry.ChartRules, [ChartContexts.For(environment)]);
        outcomes.Where(o => !o.Passed).ShouldBeEmpty(PolicyEngine.Describe(outcomes));
    }

    [Fact]
    public void Every_stack_of_the_repository_is_evaluated()
    {
        Contexts.Value.Select(c => c.StackId).ShouldBe(SynthesizedApp.Repository.StackIds.Order(StringComparer.Ordinal));
    }
}

/// <summary>The chart rendered with charts/easypay/ci/&lt;env&gt;-values.yaml, with that environment's config.</summary>
public static class ChartContexts
{
    public static ChartContext For(string environment) =>
        new(TestEnvironments.Repository(environment), EasypayChart.Render(environment).All);
}
