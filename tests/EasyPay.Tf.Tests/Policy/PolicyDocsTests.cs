using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy;

/// <summary>docs/policy-rules.md and the README list exactly the registry's rules (id, severity, environments, rationale).</summary>
public class PolicyDocsTests
{
    [Theory]
    [InlineData("docs/policy-rules.md")]
    [InlineData("README.md")]
    public void The_documented_rule_table_matches_the_registry(string document)
    {
        var path = Path.Combine(RepoPaths.Root, document);
        var current = File.ReadAllText(path);
        var expected = PolicyDocs.Render(current);
        if (current != expected && Environment.GetEnvironmentVariable("EASYPAY_UPDATE_POLICY_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        current.ShouldBe(expected, $"{document} is out of date with PolicyRegistry: rerun this test with EASYPAY_UPDATE_POLICY_DOCS=1 and commit the file");
    }

    [Fact]
    public void Rule_ids_are_unique_and_well_formed()
    {
        var ids = PolicyRegistry.All.Select(r => r.Id).ToList();
        ids.ShouldBeUnique();
        ids.ShouldAllBe(id => System.Text.RegularExpressions.Regex.IsMatch(id, "^(ENC|KMS|NET|CAC|EDG|IAM|SEC|SUP|AUD|EKS|AVL|PRT|BKP|OBS|HYG)-[0-9]{3}$"));
        PolicyRegistry.All.ShouldAllBe(r => r.Title.Length > 0 && r.Rationale.Length > 0 && !r.Rationale.Contains('\n'));
    }
}
