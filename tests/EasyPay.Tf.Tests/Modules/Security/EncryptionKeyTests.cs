using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Security;

public class EncryptionKeyTests
{
    private static JsonObject Synth(EncryptionKeyProps props, AwsEnvironmentProps? environment = null) =>
        ConstructSynth.Stack((stack, _) => new EncryptionKey(stack, "key", props), environment);

    private static JsonNode Policy(JsonObject json) => JsonNode.Parse(json.Single("aws_kms_key").Str("policy")!)!;

    [Fact]
    public void A_key_rotates_yearly_and_its_alias_carries_the_alias_prefix()
    {
        var json = Synth(new EncryptionKeyProps("easypay-test-logs", "Logs of easypay-test"));
        var key = json.Single("aws_kms_key");
        // KMS EnableKeyRotation: RotationPeriodInDays 90-2560; 365 is the AWS default period.
        (key.Str("enable_key_rotation"), key.Str("rotation_period_in_days"), key.Str("deletion_window_in_days")).ShouldBe(("true", "365", "30"));
        key.Str("description").ShouldBe("Logs of easypay-test");
        // KMS CreateAlias: AliasName must begin with "alias/".
        var alias = json.Single("aws_kms_alias");
        alias.Str("name").ShouldBe("alias/easypay-test-logs");
        alias.Str("target_key_id").ShouldBe($"${{aws_kms_key.{json.Resources("aws_kms_key").Single().Name}.key_id}}");
        key["region"].ShouldBeNull();
    }

    [Fact]
    public void The_policy_delegates_to_iam_of_the_stacks_account_in_the_stacks_partition()
    {
        // Account and partition come from the stack's AwsEnvironment, not from props.
        var govCloud = new AwsEnvironmentProps("us-gov-west-1", "210987654321", new Dictionary<string, string>()) { Partition = "aws-us-gov" };
        var root = Policy(Synth(new EncryptionKeyProps("easypay-test", "test"), govCloud))["Statement"]![0]!;
        (root.Str("Sid"), root.Str("Principal.AWS"), root.Str("Action"), root.Str("Resource"))
            .ShouldBe(("EnableIamPolicies", "arn:aws-us-gov:iam::210987654321:root", "kms:*", "*"));
    }

    [Fact]
    public void The_cloudwatch_logs_statement_admits_the_regional_service_for_the_named_log_groups_only()
    {
        var json = ConstructSynth.Stack((stack, _) => new EncryptionKey(stack, "key", new EncryptionKeyProps("easypay-test-logs", "logs")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(stack, "/aws/test/a", "/aws/test/b")],
        }));
        var logs = Policy(json)["Statement"]![1]!;
        // CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS": principal
        // logs.REGION.amazonaws.com, encryption context kms:EncryptionContext:aws:logs:arn = the log group's ARN.
        logs.Str("Principal.Service").ShouldBe("logs.eu-west-1.amazonaws.com");
        logs["Condition"]!["ArnEquals"]!["kms:EncryptionContext:aws:logs:arn"].Strings().ShouldBe(
            [$"arn:aws:logs:eu-west-1:{ConstructSynth.AccountId}:log-group:/aws/test/a", $"arn:aws:logs:eu-west-1:{ConstructSynth.AccountId}:log-group:/aws/test/b"]);
        logs["Action"].Strings().ShouldContain("kms:GenerateDataKey*");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("/aws/rds/*")]
    public void The_cloudwatch_logs_statement_refuses_a_wildcard_or_no_log_group(string name)
    {
        Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => EncryptionKey.AllowCloudWatchLogs(stack, name)))
            .Message.ShouldContain("exact names of the log groups");
        Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => EncryptionKey.AllowCloudWatchLogs(stack)));
    }

    [Fact]
    public void A_key_for_another_region_puts_key_and_alias_there()
    {
        var json = Synth(new EncryptionKeyProps("easypay-test-dns", "dns") { Region = "us-east-1" });
        json.Single("aws_kms_key").Str("region").ShouldBe("us-east-1");
        json.Single("aws_kms_alias").Str("region").ShouldBe("us-east-1");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new EncryptionKeyProps("alias/aws-logs", "x") { DeletionWindowInDays = 3, Region = "Ireland" };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("EncryptionKeyProps.Alias: 'alias/aws-logs' is not a valid KMS alias name");
        // KMS ScheduleKeyDeletion: PendingWindowInDays 7-30.
        message.ShouldContain("EncryptionKeyProps.DeletionWindowInDays: must be between 7 and 30 days");
        message.ShouldContain("EncryptionKeyProps.Region: 'Ireland' is not an AWS region name");
    }
}
