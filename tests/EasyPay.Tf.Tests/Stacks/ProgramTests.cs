using System.Diagnostics;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The app as cdktf runs it: an invalid environment stops it before anything is written.</summary>
public class ProgramTests
{
    [Fact]
    public void Invalid_environment_files_exit_non_zero_with_one_line_per_problem_and_write_nothing()
    {
        using var files = new EnvironmentFiles();
        files.Edit("prod", prod =>
        {
            prod["network"]!["vpcCidr"] = "10.30.0.0/33";
            prod["database"]!["readerCount"] = 3;
        });
        File.Copy(Path.Combine(RepoPaths.Root, "cdktf.json"), Path.Combine(files.Root, "cdktf.json"));

        var (exitCode, stderr) = RunApp(files.Root);

        exitCode.ShouldBe(1);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain(l => l.StartsWith("environments/prod.json: network.vpcCidr: '10.30.0.0/33' has a malformed prefix length", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("environments/prod.json: database.readerCount: 3 is above the maximum 2", StringComparison.Ordinal));
        Directory.Exists(Path.Combine(files.Root, "cdktf.out")).ShouldBeFalse();
    }

    private static (int ExitCode, string Stderr) RunApp(string workingDirectory)
    {
        // The stacks assembly of the same configuration as this test assembly (bin/<Configuration>/net10.0).
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "stacks", "EasyPay.Tf.Stacks", "bin", configuration, tfm.Name, "EasyPay.Tf.Stacks.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built with the test project");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["CDKTF_OUTDIR"] = Path.Combine(workingDirectory, "cdktf.out");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit(120_000).ShouldBeTrue("the app did not exit within 2 minutes");
        return (process.ExitCode, stderr.Result);
    }
}
