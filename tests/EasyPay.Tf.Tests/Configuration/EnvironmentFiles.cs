using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

/// <summary>A scratch copy of environments/ that a test edits, then loads.</summary>
public sealed class EnvironmentFiles : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "easypay-env-" + Guid.NewGuid().ToString("N"));

    public EnvironmentFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(RepoPaths.Environments, "*.json"))
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

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
