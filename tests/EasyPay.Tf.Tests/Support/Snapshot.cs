using System.Runtime.CompilerServices;

namespace EasyPay.Tf.Tests.Support;

/// <summary>The ONE place that knows the snapshot library. Approved files live in a __snapshots__ folder
/// beside the calling test file as NAME.approved.EXT; a mismatch writes NAME.received.EXT next to it and
/// fails. Review with `git diff --no-index` and approve with build/approve-snapshots.sh (README).
/// Shouldly's ShouldMatchApproved is used because Verify.Xunit cannot be restored here; switching to
/// Verify means rewriting only this file.</summary>
public static class Snapshot
{
    public static void Match(string actual, string name, string extension = "json", [CallerFilePath] string callerFile = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        actual.ShouldMatchApproved(c => c
            .NoDiff() // never launch a diff tool (CI, headless machines); the .received file is the diff
            .UseCallerLocation()
            .SubFolder("__snapshots__")
            .WithFileExtension(extension)
            .WithFilenameGenerator((_, _, type, ext) => $"{name}.{type}.{ext}"),
            $"Snapshot {name} changed. Review: git diff --no-index {Relative(callerFile, name, extension, "approved")} {Relative(callerFile, name, extension, "received")}; approve: build/approve-snapshots.sh");
    }

    private static string Relative(string callerFile, string name, string extension, string type) =>
        Path.GetRelativePath(RepoPaths.Root, Path.Combine(Path.GetDirectoryName(callerFile)!, "__snapshots__", $"{name}.{type}.{extension}"));
}
