using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf.Providers.Helm.Provider;

namespace EasyPay.Tf.Tests.Modules.Platform;

public class HelmReleaseTests
{
    private sealed record Values(string RoleArn, int Replicas, string? Unset, IReadOnlyDictionary<string, string> Annotations);

    [Fact]
    public void Values_are_yaml_with_camel_case_keys_quoted_strings_and_no_nulls()
    {
        var yaml = HelmValues.ToYaml(new Values("${aws_iam_role.x.arn}", 2, null, new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = "true" }));
        yaml.ShouldBe("roleArn: \"${aws_iam_role.x.arn}\"\nreplicas: 2\nannotations:\n  eks.amazonaws.com/role-arn: \"true\"\n", StringCompareShould.IgnoreLineEndings);
    }

    [Theory]
    [InlineData("~1.2.0")]
    [InlineData(">=3.0.0")]
    [InlineData("latest")]
    [InlineData("")]
    public void An_unpinned_chart_version_is_rejected(string version)
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new HelmRelease(stack, "r", new HelmReleaseProps("app", "apps", "app", version, new { }), new HelmProvider(stack, "helm", new HelmProviderConfig())))).Message;
        message.ShouldContain($"HelmReleaseProps.Version: '{version}' is not an exact chart version");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new HelmRelease(stack, "r", new HelmReleaseProps("App_1", "", "app", "1.0.0", new { }) { TimeoutSeconds = 3600 },
                new HelmProvider(stack, "helm", new HelmProviderConfig())))).Message;
        message.ShouldContain("HelmReleaseProps.Name: 'App_1' is not a valid release name");
        message.ShouldContain("HelmReleaseProps.Namespace: is required");
        message.ShouldContain("HelmReleaseProps.TimeoutSeconds: must be 1-840 s");
    }

    [Fact]
    public void The_chart_content_hash_is_stable_across_copies_and_changes_with_any_edit()
    {
        var copy = Path.Combine(Path.GetTempPath(), "easypay-chart-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(RepoPaths.App.EasypayChart, copy);
        try
        {
            var original = EasypayApplication.ContentHash(RepoPaths.App.EasypayChart);
            EasypayApplication.ContentHash(copy).ShouldBe(original);
            File.AppendAllText(Path.Combine(copy, "templates", "NOTES.txt"), "\n");
            EasypayApplication.ContentHash(copy).ShouldNotBe(original);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
