using System.Text.Json.Nodes;
using EasyPay.Tf.Report;
using EasyPay.Tf.Report.Output;
using EasyPay.Tf.Report.Resilience;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;

// npm run report [-- --env prod] [--markdown FILE] [--json FILE] [--check]
//        npm run report -- --delta BASE.json HEAD.json   (Markdown of what a pull request changes)
var argv = args.ToList();
string? Option(string name)
{
    var i = argv.IndexOf(name);
    if (i < 0)
    {
        return null;
    }
    if (i + 1 >= argv.Count)
    {
        throw new ArgumentException($"{name} needs a value");
    }
    var value = argv[i + 1];
    argv.RemoveRange(i, 2);
    return value;
}

var delta = argv.IndexOf("--delta");
if (delta >= 0)
{
    if (delta + 2 >= argv.Count)
    {
        Console.Error.WriteLine("usage: --delta BASE.json HEAD.json");
        return 2;
    }
    var before = File.Exists(argv[delta + 1]) ? JsonNode.Parse(File.ReadAllText(argv[delta + 1]))!.AsObject() : [];
    Console.Write(ReportWriter.Delta(before, JsonNode.Parse(File.ReadAllText(argv[delta + 2]))!.AsObject()));
    return 0;
}

var only = (Option("--env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var markdown = Option("--markdown");
var json = Option("--json");
var check = argv.Remove("--check");
if (argv.Count > 0)
{
    Console.Error.WriteLine($"unknown argument(s): {string.Join(" ", argv)}; usage: [--env a,b] [--markdown FILE] [--json FILE] [--check] | --delta BASE.json HEAD.json");
    return 2;
}

var paths = AppPaths.Find(Directory.GetCurrentDirectory());
if (EnvironmentLoader.LoadOrReport(paths.Environments, only, Console.Error) is not { } environments)
{
    return 1;
}

var reports = ReportBuilder.Build(environments, ReportBuilder.Synthesize(environments, paths), paths);
Console.Write(ReportWriter.Text(reports));
if (markdown is not null)
{
    File.WriteAllText(markdown, ReportWriter.Markdown(reports));
}
if (json is not null)
{
    File.WriteAllText(json, ReportWriter.Summary(reports).ToJsonString(ReportWriter.Indented));
}
var failed = reports.SelectMany(r => r.Resilience.Scenarios.Where(s => s.Verdict is Verdict.NotMet or Verdict.Unknown).Select(s => $"{r.Environment}/{s.Id}: {s.Verdict}: {string.Join("; ", s.Reasons)}"))
    .Concat(ReportBuilder.StaleWaivers(reports, paths)).ToList();
foreach (var f in failed)
{
    Console.Error.WriteLine(f);
}
return check && failed.Count > 0 ? 1 : 0;
