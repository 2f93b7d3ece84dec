using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Counts of a kube-validate run (last line: "N document(s): V valid, I invalid, S skipped").</summary>
public sealed record KubeValidateResult(CliResult Cli, int Documents, int Valid, int Invalid, int Skipped);

/// <summary>Validates rendered manifests against the Kubernetes API schemas with the repository's sibling
/// <c>../shared/tools/kube-validate</c>. Cached per input.</summary>
public static partial class KubeValidate
{
    public const string SkipMessage = "kube-validate not found at ../shared/tools/kube-validate: schema validation skipped";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5); // the first run npm-installs its schemas
    private static readonly ConcurrentDictionary<string, Lazy<KubeValidateResult>> Cache = new(StringComparer.Ordinal);

    public static string ToolPath => RepoPaths.SharedTool("kube-validate");

    public static bool IsAvailable => ProcessRunner.IsExecutable(ToolPath);

    public static KubeValidateResult Run(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return Cache.GetOrAdd(yaml, y => new Lazy<KubeValidateResult>(() => Parse(ProcessRunner.Run(ToolPath, [], y, Timeout)))).Value;
    }

    private static KubeValidateResult Parse(CliResult cli)
    {
        var match = SummaryLine().Match(cli.StdOut);
        if (!match.Success)
        {
            throw new InvalidOperationException($"kube-validate printed no summary (exit {cli.ExitCode}):\n{cli.Output}");
        }
        int At(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new KubeValidateResult(cli, At(1), At(2), At(3), At(4));
    }

    [GeneratedRegex(@"(\d+) document\(s\): (\d+) valid, (\d+) invalid, (\d+) skipped")]
    private static partial Regex SummaryLine();
}
