using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Support;

/// <summary>The one way tests get an environment. The repository's environments/: <see cref="All"/> and
/// <see cref="Repository"/>, loaded and validated once per test run like the app loads them (the records are
/// immutable: derive a variant with <c>with</c>). Edited copies of the files: <see cref="EnvironmentFiles"/>.</summary>
public static class TestEnvironments
{
    private static readonly Lazy<IReadOnlyList<EnvironmentConfig>> Loaded = new(() => EnvironmentLoader.LoadAll(Directory));

    /// <summary>The repository's environments/ folder.</summary>
    public static string Directory => RepoPaths.Environments;

    /// <summary>Every environment of the repository, in file-name order.</summary>
    public static IReadOnlyList<EnvironmentConfig> All => Loaded.Value;

    /// <summary>environments/&lt;<paramref name="name"/>&gt;.json of the repository.</summary>
    public static EnvironmentConfig Repository(string name) =>
        All.SingleOrDefault(e => e.Name == name)
            ?? throw new KeyNotFoundException($"No environments/{name}.json; known: {string.Join(", ", All.Select(e => e.Name))}");

    /// <summary>The repository's environment files themselves (not the schema), for tests of their text.</summary>
    public static IReadOnlyList<string> Files =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json")
            .Where(f => Path.GetFileName(f) != EnvironmentLoader.SchemaFileName)
            .Order(StringComparer.Ordinal)];
}
