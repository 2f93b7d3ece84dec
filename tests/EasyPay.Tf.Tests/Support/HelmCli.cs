using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Exit code and output of one helm or kube-validate run.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>stdout and stderr together, for assertion messages and error matching.</summary>
    public string Output => StdOut + StdErr;
}

/// <summary>Runs <c>helm template</c> and <c>helm lint</c> against the charts of the repository. Uses a
/// <c>helm</c> on PATH, else the repository's sibling <c>../shared/tools/helm</c> (which itself prefers a real
/// helm and falls back to helm-lite). Every distinct command line runs once per test process.</summary>
public static class HelmCli
{
    public const string SkipMessage = "helm not found on PATH nor at ../shared/tools/helm: chart tests skipped";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5); // the first helm-lite run builds it
    private static readonly Lazy<string?> HelmPath = new(FindHelm);
    private static readonly ConcurrentDictionary<string, Lazy<CliResult>> Cache = new(StringComparer.Ordinal);

    /// <summary>The repository root (see <see cref="RepoPaths"/>).</summary>
    public static string RepoRoot => RepoPaths.Root;

    /// <summary>The helm executable the tests use, or null when there is none.</summary>
    public static string? Executable => HelmPath.Value;

    public static bool IsAvailable => Executable is not null;

    /// <summary>Absolute path of a chart of the repository (charts/NAME).</summary>
    public static string ChartDirectory(string chart = "easypay") => Path.Combine(RepoRoot, "charts", chart);

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
        var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "tools", "helm"));
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

/// <summary>Counts of a kube-validate run (last line: "N document(s): V valid, I invalid, S skipped").</summary>
public sealed record KubeValidateResult(CliResult Cli, int Documents, int Valid, int Invalid, int Skipped);

/// <summary>Validates rendered manifests against the Kubernetes API schemas with the repository's sibling
/// <c>../shared/tools/kube-validate</c>. Cached per input.</summary>
public static partial class KubeValidate
{
    public const string SkipMessage = "kube-validate not found at ../shared/tools/kube-validate: schema validation skipped";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5); // the first run npm-installs its schemas
    private static readonly ConcurrentDictionary<string, Lazy<KubeValidateResult>> Cache = new(StringComparer.Ordinal);

    public static string ToolPath => Path.GetFullPath(Path.Combine(HelmCli.RepoRoot, "..", "shared", "tools", "kube-validate"));

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

/// <summary>One rendered Kubernetes object, parsed by YamlDotNet into dictionaries (mappings), lists
/// (sequences) and strings (scalars), with navigation helpers. Paths are dot-separated keys with
/// <c>[i]</c> list indexes, e.g. <c>spec.template.spec.containers[0].image</c>; use
/// <see cref="StringMap"/> for maps whose keys contain dots (labels, annotations).</summary>
public sealed partial class KubeManifest
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public KubeManifest(IReadOnlyDictionary<object, object?> root, string source)
    {
        Root = root;
        Source = source;
    }

    public IReadOnlyDictionary<object, object?> Root { get; }

    /// <summary>The template file, from helm's "# Source:" comment.</summary>
    public string Source { get; }

    public string ApiVersion => Text("apiVersion") ?? "";

    public string Kind => Text("kind") ?? "";

    public string Name => Text("metadata.name") ?? "";

    public string? TargetNamespace => Text("metadata.namespace");

    public Dictionary<string, string> Labels => StringMap("metadata.labels");

    public Dictionary<string, string> Annotations => StringMap("metadata.annotations");

    public bool IsHook => Annotations.ContainsKey("helm.sh/hook");

    public override string ToString() => $"{ApiVersion} {Kind} {Name} ({Source})";

    /// <summary>The node at <paramref name="path"/>, or null when any step is missing.</summary>
    public object? At(string path) => Navigate(Root, path);

    public bool Has(string path) => At(path) is not null;

    public string? Text(string path) => At(path) as string;

    /// <summary>The integer at <paramref name="path"/>; fails when missing or not a number.</summary>
    public int Number(string path)
    {
        var text = Text(path);
        text.ShouldNotBeNull($"{this}: {path} is missing");
        return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    /// <summary>The boolean at <paramref name="path"/>, or null when missing.</summary>
    public bool? Flag(string path) => Text(path) is { } t ? bool.Parse(t) : null;

    /// <summary>The list at <paramref name="path"/> (empty when missing).</summary>
    public IReadOnlyList<object?> Items(string path) => At(path) as IReadOnlyList<object?> ?? [];

    /// <summary>The list of strings at <paramref name="path"/> (empty when missing).</summary>
    public IReadOnlyList<string> Texts(string path) => [.. Items(path).Select(i => i?.ToString() ?? "")];

    /// <summary>The string map at <paramref name="path"/> (empty when missing).</summary>
    public Dictionary<string, string> StringMap(string path) => ToStringMap(At(path));

    /// <summary>A sub-node as a manifest-like view, for navigating list items (containers, rules ...).</summary>
    public KubeManifest Node(string path)
    {
        var node = At(path);
        node.ShouldBeAssignableTo<IDictionary<object, object?>>($"{this}: {path} is not a mapping");
        return new KubeManifest(AsReadOnly((IDictionary<object, object?>)node!), $"{Source}#{path}");
    }

    /// <summary>The mapping items of the list at <paramref name="path"/> as views.</summary>
    public IReadOnlyList<KubeManifest> Nodes(string path)
    {
        var items = Items(path);
        return [.. items.Select((_, i) => Node($"{path}[{i}]"))];
    }

    /// <summary>Converts a parsed mapping of scalars to a string dictionary (empty for null).</summary>
    public static Dictionary<string, string> ToStringMap(object? node) =>
        node is IDictionary<object, object?> map
            ? map.ToDictionary(kv => kv.Key.ToString() ?? "", kv => kv.Value?.ToString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Splits helm's multi-document output and parses each non-empty document.</summary>
    public static IReadOnlyList<KubeManifest> ParseAll(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var manifests = new List<KubeManifest>();
        foreach (var document in DocumentSeparator().Split(yaml.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var source = SourceComment().Match(document) is { Success: true } m ? m.Groups[1].Value.Trim() : "";
            if (Deserializer.Deserialize<object?>(document) is IDictionary<object, object?> root)
            {
                manifests.Add(new KubeManifest(AsReadOnly(root), source));
            }
        }
        return manifests;
    }

    private static ReadOnlyDictionary<object, object?> AsReadOnly(IDictionary<object, object?> map) => new(map);

    private static object? Navigate(object? node, string path)
    {
        foreach (var step in PathStep().Matches(path).Cast<Match>())
        {
            if (step.Groups["key"].Success)
            {
                node = node is IDictionary<object, object?> map && map.TryGetValue(step.Groups["key"].Value, out var value)
                    ? value
                    : null;
            }
            else
            {
                var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = node is IList<object?> list && index < list.Count ? list[index] : null;
            }
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^# Source: (.+)$", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    [GeneratedRegex(@"(?<key>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}

/// <summary>Starts a process, feeds stdin, collects stdout/stderr and kills it on timeout.</summary>
internal static class ProcessRunner
{
    public static CliResult Run(string fileName, IReadOnlyList<string> args, string? stdin, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in names.Select(n => Path.Combine(dir, n)))
            {
                if (IsExecutable(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    public static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        if (OperatingSystem.IsWindows())
        {
            return true;
        }
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}

/// <summary>A [Fact] that is skipped, with <see cref="HelmCli.SkipMessage"/>, when no helm is available.</summary>
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
    }
}

/// <summary>A [Theory] that is skipped, with <see cref="HelmCli.SkipMessage"/>, when no helm is available.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
    }
}

/// <summary>A [Theory] that needs both helm and kube-validate; skipped with the missing tool's message.</summary>
public sealed class KubeValidateTheoryAttribute : TheoryAttribute
{
    public KubeValidateTheoryAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
        else if (!KubeValidate.IsAvailable)
        {
            Skip = KubeValidate.SkipMessage;
        }
    }
}

/// <summary>A [Fact] that needs both helm and kube-validate; skipped with the missing tool's message.</summary>
public sealed class KubeValidateFactAttribute : FactAttribute
{
    public KubeValidateFactAttribute()
    {
        if (!HelmCli.IsAvailable)
        {
            Skip = HelmCli.SkipMessage;
        }
        else if (!KubeValidate.IsAvailable)
        {
            Skip = KubeValidate.SkipMessage;
        }
    }
}
