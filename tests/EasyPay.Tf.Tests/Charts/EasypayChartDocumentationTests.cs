using System.Text.RegularExpressions;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Chart metadata and documentation: every value is commented in values.yaml and listed in README.md.
/// These read files only, so they run without helm.</summary>
public partial class EasypayChartDocumentationTests
{
    [Fact]
    public void Chart_metadata_declares_a_v2_application_for_kubernetes_1_30_and_later()
    {
        var chart = File.ReadAllText(Path.Combine(EasypayChart.ChartDirectory, "Chart.yaml"));
        chart.ShouldContain("apiVersion: v2");
        chart.ShouldContain("type: application");
        chart.ShouldContain("version: 2.1.1");
        chart.ShouldContain("appVersion: \"1.4.2\"");
        // 1.30: ValidatingAdmissionPolicy GA in admissionregistration.k8s.io/v1 (Kubernetes 1.30 release notes).
        chart.ShouldContain("kubeVersion: \">=1.30.0-0\"");
        chart.ShouldContain("maintainers:");
    }

    [Fact]
    public void Every_key_of_values_yaml_has_a_comment_above_it()
    {
        var undocumented = ValuesKeys().Where(k => !k.Documented).Select(k => k.Path).ToList();
        undocumented.ShouldBeEmpty($"keys without a comment line above them: {string.Join(", ", undocumented)}");
        ValuesKeys().Count.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Readme_documents_every_value()
    {
        var readme = File.ReadAllText(Path.Combine(EasypayChart.ChartDirectory, "README.md"));
        var missing = ValuesKeys().Select(k => k.Path).Where(p => !readme.Contains($"| `{p}` |", StringComparison.Ordinal)).ToList();
        missing.ShouldBeEmpty($"values missing from the README table: {string.Join(", ", missing)}");
    }

    /// <summary>The keys of values.yaml as dotted paths (keys with dots or slashes quoted, as in the README),
    /// with whether the line above the key is a comment.</summary>
    private static List<(string Path, bool Documented)> ValuesKeys()
    {
        var lines = File.ReadAllLines(Path.Combine(EasypayChart.ChartDirectory, "values.yaml"));
        var keys = new List<(string, bool)>();
        var stack = new List<(int Indent, string Key)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = KeyLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }
            var indent = match.Groups["indent"].Length;
            var key = match.Groups["key"].Value.Trim('"');
            stack.RemoveAll(s => s.Indent >= indent);
            stack.Add((indent, key));
            var path = string.Join('.', stack.Select(s => PlainKey().IsMatch(s.Key) ? s.Key : $"\"{s.Key}\""));
            var documented = i > 0 && lines[i - 1].TrimStart().StartsWith('#');
            keys.Add((path, documented));
        }
        return keys;
    }

    [GeneratedRegex("""^(?<indent> *)(?<key>"[^"]+"|[A-Za-z0-9_./-]+):(\s|$)""")]
    private static partial Regex KeyLine();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex PlainKey();
}
