using System.IO.Compression;
using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Database;

public class IamDatabaseUserTests
{
    private static JsonObject Synth(Func<AuroraPostgresCluster, IamDatabaseUserProps> props, bool dataApi = true) =>
        ConstructSynth.Stack((stack, aws) =>
        {
            var cluster = new AuroraPostgresCluster(stack, "db", AuroraPostgresClusterTests.Props(1) with { EnableDataApi = dataApi });
            _ = new IamDatabaseUser(stack, "user", props(cluster));
        });

    [Fact]
    public void The_function_may_run_sql_on_its_cluster_and_read_only_the_master_secret()
    {
        var json = Synth(c => new IamDatabaseUserProps("easypay-test-app-user", c, "easypay_app"));
        var cluster = json.Resources("aws_rds_cluster").Single().Name;
        var policy = JsonNode.Parse(json.Resources("aws_iam_role_policy").Single(p => p.Body.Str("name") == "easypay-test-app-user").Body.Str("policy")!)!;
        var statements = policy["Statement"]!.AsArray();
        statements[0]!.Str("Action").ShouldBe("rds-data:ExecuteStatement");
        statements[0]!.Str("Resource").ShouldBe($"${{aws_rds_cluster.{cluster}.arn}}");
        statements[1]!["Action"].Strings().ShouldBe(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        statements[1]!.Str("Resource").ShouldBe($"${{aws_rds_cluster.{cluster}.master_user_secret[0].secret_arn}}");
        policy.ToJsonString().ShouldNotContain("\"*\"");

        var function = json.Single("aws_lambda_function");
        // Lambda runtimes table: python3.13 on Amazon Linux 2023, deprecation 2029-06-30; arm64 is a valid architecture.
        function.Str("runtime").ShouldBe("python3.13");
        function["architectures"].Strings().ShouldBe(["arm64"]);
        function["vpc_config"].ShouldBeNull(); // the Data API is an AWS endpoint: no network path to the database
        function.Str("filename")!.ShouldStartWith("assets/");
        function.Str("source_code_hash").ShouldBe(IamDatabaseUser.Package().Sha256Base64);
        function["environment"]!["variables"]!.AsObject().Select(kv => kv.Key).ShouldBe(["CLUSTER_ARN", "MASTER_SECRET_ARN", "DATABASE_NAME", "USER_NAME"], ignoreOrder: true);
        var logs = json.Resources("aws_cloudwatch_log_group").Single(g => g.Body.Str("name") == "/aws/lambda/easypay-test-app-user");
        function["logging_config"]!.Str("log_group").ShouldBe($"${{aws_cloudwatch_log_group.{logs.Name}.name}}");
        // Lambda API LoggingConfig.LogFormat is JSON | Text (the provider validates it against the SDK enum, function.go).
        function["logging_config"]!.Str("log_format").ShouldBe("JSON");

        var invocation = json.Single("aws_lambda_invocation");
        invocation["triggers"]!.Str("code").ShouldBe(function.Str("source_code_hash"));
        invocation["depends_on"].Strings().ShouldAllBe(d => d.StartsWith("aws_rds_cluster_instance.", StringComparison.Ordinal));
        json.Single("aws_rds_cluster").Str("enable_http_endpoint").ShouldBe("true");
    }

    [Fact]
    public void The_package_is_byte_identical_on_every_build_and_holds_the_handler()
    {
        var first = IamDatabaseUser.Package();
        var second = IamDatabaseUser.Package();
        second.ShouldBe(first);
        using var zip = ZipFile.OpenRead(first.Path);
        var entry = zip.Entries.ShouldHaveSingleItem();
        entry.FullName.ShouldBe(IamDatabaseUser.SourceFile);
        using var reader = new StreamReader(entry.Open());
        reader.ReadToEnd().ShouldContain("def handler(event, context");
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "modules", "EasyPay.Tf.Modules", "Database", "Functions", IamDatabaseUser.SourceFile)).Replace("\r\n", "\n", StringComparison.Ordinal);
        System.Text.Encoding.UTF8.GetString(IamDatabaseUser.Source()).ShouldBe(source);
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(c => new IamDatabaseUserProps("Bad_Name", c, "easypay_admin") { LogRetentionDays = 10 }, dataApi: false)).Message;
        message.ShouldContain("IamDatabaseUserProps.Name: 'Bad_Name' is not a function name prefix");
        message.ShouldContain("IamDatabaseUserProps.Cluster: has the Data API off");
        message.ShouldContain("IamDatabaseUserProps.UserName: is the master user");
        message.ShouldContain("IamDatabaseUserProps.LogRetentionDays:");
        Should.Throw<ArgumentException>(() => Synth(c => new IamDatabaseUserProps("easypay-test-app-user", c, "app-user"))).Message
            .ShouldContain("'app-user' is not a PostgreSQL role name");
    }

    [ToolFact(Tool.Python)]
    public void The_handler_passes_its_python_unit_tests()
    {
        var tests = Path.Combine(RepoPaths.Root, "tests", "EasyPay.Tf.Tests", "Modules", "Database");
        var functions = Path.Combine(RepoPaths.Root, "modules", "EasyPay.Tf.Modules", "Database", "Functions");
        var result = ProcessRunner.Run("python3",
            ["-c", $"import sys, unittest; sys.path[:0] = [{Quote(functions)}, {Quote(tests)}]; r = unittest.main(module='test_iam_database_user', exit=False, verbosity=2).result; sys.exit(0 if r.wasSuccessful() and r.testsRun == 4 else 1)"],
            null, TimeSpan.FromSeconds(60));
        result.ExitCode.ShouldBe(0, result.Output);
        result.StdErr.ShouldContain("Ran 4 tests");

        static string Quote(string path) => "'" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }
}
