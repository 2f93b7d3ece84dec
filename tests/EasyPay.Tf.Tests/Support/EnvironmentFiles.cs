using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Support;

/// <summary>A scratch copy of the repository's environments/ that a test edits, then loads (or runs the app
/// on: <see cref="Root"/> is laid out like the repository, with the files in <c>environments/</c>). For the
/// repository's own files use <see cref="TestEnvironments"/>.</summary>
public sealed class EnvironmentFiles : IDisposable
{
    /// <summary>The scratch folder: <see cref="Directory"/> is its <c>environments/</c>.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "easypay-env-" + Guid.NewGuid().ToString("N"));

    /// <summary>The copied environment files (and their schema).</summary>
    public string Directory => Path.Combine(Root, "environments");

    public EnvironmentFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(TestEnvironments.Directory, "*.json"))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
    }

    /// <summary>Edits environments/&lt;env&gt;.json as a JSON tree.</summary>
    public EnvironmentFiles Edit(string env, Action<JsonObject> edit)
    {
        var path = Path.Combine(Directory, env + ".json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        return this;
    }

    public EnvironmentFiles WriteRaw(string env, string text)
    {
        File.WriteAllText(Path.Combine(Directory, env + ".json"), text);
        return this;
    }

    public IReadOnlyList<EnvironmentConfig> Load(params string[] only) => EnvironmentLoader.LoadAll(Directory, only);

    /// <summary>The problems loading reports; fails if loading succeeds.</summary>
    public IReadOnlyList<string> Problems(params string[] only) =>
        Should.Throw<EnvironmentConfigException>(() => Load(only)).Problems;

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
