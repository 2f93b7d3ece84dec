using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;
using Xunit.Abstractions;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>Report mode (tests/policy-report.sh): prints the rule x environment table with pass/fail counts and
/// every violation. Never fails on violations: PolicyRealStackTests does that.</summary>
public class PolicyReport(ITestOutputHelper output)
{
    [Fact]
    public void Prints_the_rule_by_environment_table()
    {
        var app = SynthesizedApp.Repository;
        var environments = TestEnvironments.All;
        var outcomes = PolicyEngine.Run(PolicyRegistry.StackRules, PolicyEngine.Contexts(app)).ToList();
        var helmMissing = ToolRequirement.SkipReason(Tool.Helm);
        if (helmMissing is not null)
        {
            output.WriteLine($"chart rules not run: {helmMissing}");
        }
        else
        {
            outcomes.AddRange(PolicyEngine.Run(PolicyRegistry.ChartRules, [.. environments.Select(e => ChartContexts.For(e.Name))]));
        }
        output.WriteLine($"Stacks: {string.Join(", ", app.StackIds.Order(StringComparer.Ordinal))}");
        output.WriteLine(PolicyEngine.Table(PolicyRegistry.All, environments, outcomes));
        var violations = PolicyEngine.Describe(outcomes);
        output.WriteLine(violations.Length == 0 ? "No violations." : $"Violations:\n{violations}");
        // Every rule it ran shows real cells: a rule that applies to no environment of the repository would only show n/a.
        IEnumerable<PolicyRule> run = helmMissing is null ? PolicyRegistry.All : PolicyRegistry.StackRules;
        outcomes.Select(o => o.Rule.Id).Distinct().ShouldBe(run.Select(r => r.Id), ignoreOrder: true);
    }
}
