using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Runs <c>helm template</c> and <c>helm lint</c> against the charts of the repository. Uses a
/// <c>helm</c> on PATH, else the repository's sibling <c>../shared/tools/helm</c> (which itself prefers a real
/// helm and falls back to helm-lite). Every distinct command line runs once per test process.</summary>
public static class HelmCli
{
    public const string SkipMessage = "helm not found on PATH nor at ../shared/tools/helm: chart tests skipped";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5); // the first helm-lite run builds it
    private static readonly Lazy<string?> HelmPath = new(FindHelm);
    private static readonly ConcurrentDictionary<string, Lazy<CliResult>> Cache = new(StringComparer.Ordinal);

    /// <summary>The helm executable the tests use, or null when there is none.</summary>
    public static string? Executable => HelmPath.Value;

    public static bool IsAvailable => Executable is not null;

    /// <summary>Absolute path of a chart of the repository (charts/NAME).</summary>
    public static string ChartDirectory(string chart = "easypay") => Path.Combine(RepoPaths.Root, "charts", chart);

    /// <summary><c>helm template RELEASE CHART -n NAMESPACE [-f file]... [-f yaml-as-temp-file] [extra args]</c>.</summary>
    public static CliResult Template(HelmArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Run(["template", args.Release, args.ChartPath, "--namespace", args.Namespace, .. args.ValueArgs()]);
    }

    /// <summary><c>helm lint CHART --strict -n NAMESPACE [values]</c>.</summary>
    public static CliResult Lint(HelmArgs args, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(args);
        string[] strictArg = strict ? ["--strict"] : [];
        return Run(["lint", args.ChartPath, .. strictArg, "--namespace", args.Namespace, .. args.ValueArgs()]);
    }

    /// <summary>Renders and parses; fails the test with helm's output when the render fails.</summary>
    public static IReadOnlyList<KubeManifest> RenderManifests(HelmArgs args)
    {
        var result = Template(args);
        result.Succeeded.ShouldBeTrue($"helm template failed ({result.ExitCode}):\n{result.Output}");
        return KubeManifest.ParseAll(result.StdOut);
    }

    /// <summary>Runs helm with raw arguments (cached per argument list).</summary>
    public static CliResult Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var helm = Executable ?? throw new InvalidOperationException(SkipMessage);
        var key = string.Join('\u001f', args);
        return Cache.GetOrAdd(key, _ => new Lazy<CliResult>(() => ProcessRunner.Run(helm, args, stdin: null, Timeout))).Value;
    }

    /// <summary>Writes <paramref name="yaml"/> to a temp file named after its hash (stable across calls,
    /// so renders using it stay cached) and returns the path.</summary>
    public static string TempValuesFile(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "easypay-chart-tests");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"values-{hash}.yaml");
        if (!File.Exists(path))
        {
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(tmp, yaml);
            File.Move(tmp, path, overwrite: true);
        }
        return path;
    }

    private static string? FindHelm()
    {
        var onPath = ProcessRunner.FindOnPath("helm");
        if (onPath is not null)
        {
            return onPath;
        }
        var shared = RepoPaths.SharedTool("helm");
        return ProcessRunner.IsExecutable(shared) ? shared : null;
    }
}

/// <summary>Release, chart and values of one helm invocation. Values files are applied in order, then the
/// inline YAML (through a temp file), then <see cref="Set"/> pairs, like helm's own precedence.</summary>
public sealed record HelmArgs
{
    public string Release { get; init; } = "easypay";

    public string Namespace { get; init; } = "easypay";

    public string ChartPath { get; init; } = HelmCli.ChartDirectory();

    public IReadOnlyList<string> ValuesFiles { get; init; } = [];

    /// <summary>Extra values as a YAML document (passed as a temp file).</summary>
    public string? ValuesYaml { get; init; }

    /// <summary><c>--set key=value</c> pairs.</summary>
    public IReadOnlyList<string> Set { get; init; } = [];

    /// <summary>Any further flags, e.g. <c>--kube-version 1.29.0</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    public IEnumerable<string> ValueArgs()
    {
        foreach (var file in ValuesFiles)
        {
            yield return "--values";
            yield return file;
        }
        if (ValuesYaml is not null)
        {
            yield return "--values";
            yield return HelmCli.TempValuesFile(ValuesYaml);
        }
        foreach (var pair in Set)
        {
            yield return "--set";
            yield return pair;
        }
        foreach (var arg in ExtraArgs)
        {
            yield return arg;
        }
    }
}
