using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.LambdaFunction;
using HashiCorp.Cdktf.Providers.Aws.LambdaInvocation;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="IamDatabaseUser"/>.</summary>
/// <param name="Name">Prefix of the function, its role and log group, e.g. "easypay-prod-app-user".</param>
/// <param name="Cluster">The cluster the role is created in; it must have the Data API on
/// (<see cref="AuroraPostgresClusterProps.EnableDataApi"/>).</param>
/// <param name="UserName">The PostgreSQL role, e.g. "easypay_app": lower-case letters, digits and underscores.</param>
public sealed record IamDatabaseUserProps(string Name, AuroraPostgresCluster Cluster, string UserName)
{
    /// <summary>Retention of the function's log group (a CloudWatch Logs retention value). @default 365</summary>
    public int LogRetentionDays { get; init; } = 365;
}

/// <summary>A PostgreSQL login role that authenticates with IAM only (rds_iam, no password), with the grants an
/// application needs in the cluster's database, created by a function Terraform invokes whenever the role's
/// definition changes. The function talks to the database through the RDS Data API as the master user (the Data
/// API reads the master secret itself), so it needs no VPC, no network path to the isolated subnets and no
/// password of its own, and it works the same from a laptop and from HCP Terraform; nothing of it reaches state
/// but the ARNs. Its role may run SQL on this one cluster and read exactly the master secret.</summary>
public sealed class IamDatabaseUser : Construct
{
    /// <summary>Python runtime of the function: supported by Lambda until June 2029 (Lambda runtimes table) and in
    /// the aws 6.25.0 provider's Runtime enum (aws-sdk-go-v2 lambda types).</summary>
    public const string Runtime = "python3.13";

    /// <summary>The function's source, embedded in this assembly (Database/Functions/iam_database_user.py).</summary>
    public const string SourceFile = "iam_database_user.py";

    private static readonly Regex RoleName = new("^[a-z_][a-z0-9_]{0,62}$");

    /// <summary>Known at synth time: the role's name.</summary>
    public string UserName { get; }

    /// <summary>The invocation that creates the role: what anything connecting as it must wait for.</summary>
    public ITerraformDependable Created { get; }

    public string FunctionName { get; }

    public IamDatabaseUser(Construct scope, string id, IamDatabaseUserProps props) : base(scope, id)
    {
        new PropsValidator(nameof(IamDatabaseUserProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z][a-z0-9-]{0,47}$"), nameof(props.Name),
                $"'{props.Name}' is not a function name prefix: lower-case letters, digits and hyphens, at most 48 characters")
            .Check(props.Cluster is not null, nameof(props.Cluster), "is required")
            .Check(props.Cluster is null || props.Cluster.DataApiEnabled, nameof(props.Cluster),
                "has the Data API off: set EnableDataApi on the cluster (the role is created through it)")
            .Check(IsValidName(props.UserName), nameof(props.UserName),
                $"'{props.UserName}' is not a PostgreSQL role name: lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters")
            .Check(props.Cluster is null || props.UserName != props.Cluster.MasterUsername, nameof(props.UserName),
                "is the master user: the application gets a role of its own")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .ThrowIfInvalid();
        var cluster = props.Cluster!;

        var logs = new LogGroup(this, "logs", new LogGroupProps(LogGroupName(props.Name!), props.LogRetentionDays, cluster.KmsKeyArn));
        var role = new ServiceRole(this, "role", new ServiceRoleProps(props.Name!, $"Creates the IAM database user {props.UserName} in {cluster.ClusterIdentifier}", "lambda.amazonaws.com")
        {
            // The execution-role trust the Lambda Developer Guide documents has no condition, and a condition
            // Lambda does not send would fail CreateFunction; only principals allowed iam:PassRole on this role
            // (the database stack's deployer) can attach it to a function.
            RestrictToSourceAccount = false,
            InlineStatements =
            [
                new("RunSqlOnThisCluster", ["rds-data:ExecuteStatement"], [cluster.Arn]),
                .. cluster.SecretReadStatements(),
                new("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [$"{logs.Arn}:*"]),
            ],
        });

        var package = Package();
        var function = new LambdaFunction(this, "function", new LambdaFunctionConfig
        {
            FunctionName = props.Name!,
            Description = $"Creates the IAM-only PostgreSQL role {props.UserName} in {cluster.ClusterIdentifier} through the Data API",
            Role = role.Arn,
            Runtime = Runtime,
            Handler = "iam_database_user.handler",
            Filename = new TerraformAsset(this, "package", new TerraformAssetConfig { Path = package.Path, Type = AssetType.FILE }).Path,
            SourceCodeHash = package.Sha256Base64,
            Architectures = ["arm64"],
            MemorySize = 256,
            // Six Data API attempts 10 s apart ride out a writer that is still starting.
            Timeout = 120,
            // No reserved concurrency: a new account's quota of 10 leaves nothing to reserve (Lambda keeps 10
            // unreserved), and Terraform invokes the function once per change anyway.
            Environment = new LambdaFunctionEnvironment
            {
                // Names and ARNs only; the master secret's value never leaves Secrets Manager and the Data API.
                Variables = new Dictionary<string, string>
                {
                    ["CLUSTER_ARN"] = cluster.Arn,
                    ["MASTER_SECRET_ARN"] = cluster.SecretArn,
                    ["DATABASE_NAME"] = cluster.DatabaseName,
                    ["USER_NAME"] = props.UserName!,
                },
            },
            LoggingConfig = new LambdaFunctionLoggingConfig { LogFormat = "JSON", LogGroup = logs.Name },
            DependsOn = [logs.Resource, role.InlinePolicy!],
        });

        Created = new LambdaInvocation(this, "create", new LambdaInvocationConfig
        {
            FunctionName = function.FunctionName,
            Input = "{\"action\":\"create-iam-database-user\"}",
            // Runs again when the statements (the code) or the names change, and after a cluster replacement.
            Triggers = new Dictionary<string, string>
            {
                ["code"] = package.Sha256Base64,
                ["user"] = props.UserName!,
                ["cluster"] = cluster.ClusterResourceId,
            },
            // The Data API needs an available writer.
            DependsOn = [.. cluster.Instances],
        });
        UserName = props.UserName!;
        FunctionName = function.FunctionName;
    }

    public static bool IsValidName(string? name) => name is not null && RoleName.IsMatch(name);

    /// <summary>The function's deployment package: a zip of the embedded source with fixed timestamps and no
    /// compression, so its bytes (and the source_code_hash) are the same on every machine and .NET version.</summary>
    public static (string Path, string Sha256Base64) Package()
    {
        var source = Source();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry(SourceFile, CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var stream = entry.Open();
            stream.Write(source);
        }
        var bytes = buffer.ToArray();
        var hash = SHA256.HashData(bytes);
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "easypay-tf-functions", Convert.ToHexStringLower(hash)[..16]);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "iam_database_user.zip");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, bytes);
        }
        return (path, Convert.ToBase64String(hash));
    }

    /// <summary>The function's Python source, with LF line ends whatever the checkout did.</summary>
    public static byte[] Source()
    {
        using var stream = typeof(IamDatabaseUser).Assembly.GetManifestResourceStream($"EasyPay.Tf.Modules.Database.Functions.{SourceFile}")
            ?? throw new InvalidOperationException($"{SourceFile} is not embedded in {typeof(IamDatabaseUser).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Encoding.UTF8.GetBytes(reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>The function's log group (Lambda writes to /aws/lambda/FUNCTION), encrypted with the cluster's key.</summary>
    public static string LogGroupName(string name) => $"/aws/lambda/{name}";
}
