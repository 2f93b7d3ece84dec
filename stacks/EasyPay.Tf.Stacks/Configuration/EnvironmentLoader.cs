using System.Text.Json;
using System.Text.Json.Serialization;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Network;

namespace EasyPay.Tf.Stacks.Configuration;

/// <summary>Every problem found in the environment files, one line each: file, field path, reason.</summary>
public sealed class EnvironmentConfigException(IReadOnlyList<string> problems)
    : Exception($"Invalid environment configuration ({problems.Count} problem(s)); nothing was synthesized:{Environment.NewLine}  " +
        string.Join(Environment.NewLine + "  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Loads environments/*.json into immutable records, validating all of them as a whole (schema,
/// then per-environment rules, then cross-environment rules) before anything is built.</summary>
public static class EnvironmentLoader
{
    public const string SchemaFileName = "environment.schema.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, // "$schema"; unknown keys are reported by the schema check
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        RespectNullableAnnotations = true, // a null where the record says non-null is an error, not a crash later
        RespectRequiredConstructorParameters = true,
        // The files spell closed sets as AWS and the schema do; the schema check has already rejected other values.
        Converters =
        {
            new JsonStringEnumConverter<NatGatewayMode>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<NodeCapacityType>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false),
            new JsonStringEnumConverter<EksSupportType>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false),
            new JsonStringEnumConverter<DatabaseRegionRecovery>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<AuditBaseline>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<EasyPay.Tf.Modules.Backup.BackupVaultLockMode>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<ListenerProtocol>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<EasyPay.Tf.Modules.Ingress.WafMode>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
        },
    };

    /// <summary>For command-line programs: <see cref="LoadAll"/>, or null after writing every problem to
    /// <paramref name="error"/> (the caller exits 1 with nothing built).</summary>
    public static IReadOnlyList<EnvironmentConfig>? LoadOrReport(string directory, IReadOnlyCollection<string> only, TextWriter error)
    {
        try
        {
            return LoadAll(directory, only);
        }
        catch (EnvironmentConfigException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Loads and validates every environment file in <paramref name="directory"/>, then returns the
    /// ones named in <paramref name="only"/> (all when null or empty), in file-name order.</summary>
    /// <param name="displayDirectory">How file names appear in messages (e.g. "environments").</param>
    public static IReadOnlyList<EnvironmentConfig> LoadAll(string directory, IReadOnlyCollection<string>? only = null, string displayDirectory = "environments")
    {
        var schemaPath = Path.Combine(directory, SchemaFileName);
        if (!File.Exists(schemaPath))
        {
            throw new EnvironmentConfigException([$"{displayDirectory}/{SchemaFileName}: missing; it defines the structure of every environment file"]);
        }
        using var schemaDoc = JsonDocument.Parse(File.ReadAllText(schemaPath));
        var validator = new SchemaValidator(schemaDoc.RootElement);

        var files = Directory.GetFiles(directory, "*.json")
            .Where(f => Path.GetFileName(f) != SchemaFileName)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var problems = new List<string>();
        if (files.Count == 0)
        {
            problems.Add($"{displayDirectory}/: no environment files (<name>.json) found");
        }

        var loaded = new List<(string File, EnvironmentConfig Env)>();
        foreach (var file in files)
        {
            var display = $"{displayDirectory}/{Path.GetFileName(file)}";
            var env = LoadOne(file, display, validator, problems);
            if (env is not null)
            {
                loaded.Add((display, env));
            }
        }
        problems.AddRange(EnvironmentRules.CheckTogether(loaded).Select(p => $"{p.File}: {p.Field}: {p.Problem}"));

        var selected = loaded.Select(l => l.Env).ToList();
        if (only is { Count: > 0 })
        {
            var names = files.Select(Path.GetFileNameWithoutExtension).ToHashSet();
            problems.AddRange(only.Where(n => !names.Contains(n))
                .Select(n => $"EASYPAY_ENVIRONMENTS: \"{n}\" has no file {displayDirectory}/{n}.json; known: {string.Join(", ", names.Order())}"));
            selected = [.. selected.Where(e => only.Contains(e.Name))];
        }
        if (problems.Count > 0)
        {
            throw new EnvironmentConfigException(problems);
        }
        return selected;
    }

    private static EnvironmentConfig? LoadOne(string path, string display, SchemaValidator validator, List<string> problems)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            problems.Add($"{display}: line {e.LineNumber + 1}: malformed JSON: {e.Message.Split(" Path:")[0]}");
            return null;
        }
        using (doc)
        {
            var structural = validator.Validate(doc.RootElement);
            problems.AddRange(structural.Select(p => $"{display}: {p}"));
            EnvironmentConfig? env;
            try
            {
                env = doc.RootElement.Deserialize<EnvironmentConfig>(Json);
            }
            catch (JsonException) when (structural.Count > 0)
            {
                return null; // the schema problems above already say why
            }
            if (env is null)
            {
                problems.Add($"{display}: (root): expected an object");
                return null;
            }
            // Rules run even when the schema found problems elsewhere, so one run reports everything;
            // a field the schema already rejected is not reported twice.
            var rejected = structural.Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]).ToHashSet();
            var stem = Path.GetFileNameWithoutExtension(path);
            problems.AddRange(EnvironmentRules.Check(env, stem)
                .Where(p => !rejected.Any(r => p.Field == r || p.Field.StartsWith(r + ".", StringComparison.Ordinal) || p.Field.StartsWith(r + "[", StringComparison.Ordinal)))
                .Select(p => $"{display}: {p.Field}: {p.Problem}"));
            if (structural.Count > 0)
            {
                return null;
            }
            return env;
        }
    }
}
