using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>Every rule on its fixture: the compliant base passes, and every broken case reports exactly the
/// expected rule, target and resources.</summary>
public class PolicyFixtureTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in PolicyFixture.RuleIds())
        {
            foreach (var name in PolicyFixture.Load(id).CaseNames)
            {
                data.Add(id, name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_reports_exactly_the_broken_resources_of_its_fixture(string ruleId, string caseName)
    {
        var fixture = PolicyFixture.Load(ruleId);
        var (reported, violations) = fixture.Run(caseName);
        reported.ShouldBe(fixture.Expected(caseName),
            $"{ruleId} on '{caseName}' reported:\n{string.Join('\n', violations)}");
    }

    [Fact]
    public void Every_rule_has_a_fixture_with_a_failing_case_and_every_fixture_a_rule()
    {
        PolicyFixture.RuleIds().ShouldBe(PolicyRegistry.All.Select(r => r.Id).Order(StringComparer.Ordinal));
        foreach (var rule in PolicyRegistry.All)
        {
            var fixture = PolicyFixture.Load(rule.Id);
            fixture.CaseNames.Where(c => fixture.Expected(c).Count > 0)
                .ShouldNotBeEmpty($"{rule.Id}'s fixture has no case the rule must report");
            fixture.IsVacuous().ShouldBeFalse($"{rule.Id}'s compliant base has none of the rule's subjects ({string.Join(", ", rule.Subjects)})");
        }
    }
}
