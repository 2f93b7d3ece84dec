using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Monitoring;

public class AlarmTopicTests
{
    private static JsonObject Synth(AlarmTopicProps props) =>
        ConstructSynth.Stack((stack, _) => new AlarmTopic(stack, "topic", props));

    private static AlarmTopicProps Props() => new("easypay-test-alarms")
    {
        EmailAddresses = ["oncall@easypay.example", "team@easypay.example"],
        WebhookUrl = "https://events.incident.example/integration/abc",
    };

    [Fact]
    public void The_topic_is_encrypted_with_its_own_rotating_key_that_the_publishing_services_may_use()
    {
        var json = Synth(Props());
        var topic = json.Single("aws_sns_topic");
        topic.Str("name").ShouldBe("easypay-test-alarms");
        topic.Str("kms_master_key_id")!.ShouldStartWith("${aws_kms_key.");
        var key = json.Single("aws_kms_key");
        key.Str("enable_key_rotation").ShouldBe("true");
        var statement = JsonNode.Parse(key.Str("policy")!)!["Statement"]!.AsArray().Single(s => s.Str("Sid") == "AllowPublishersToEncrypt")!;
        statement["Principal"]!["Service"].Strings().ShouldBe(AlarmTopicProps.DefaultPublisherServices);
        statement["Action"].Strings().ShouldBe(["kms:GenerateDataKey*", "kms:Decrypt"]);
        json.Single("aws_kms_alias").Str("name").ShouldBe("alias/easypay-test-alarms");
    }

    [Fact]
    public void Only_cloudwatch_rds_events_and_backup_of_this_account_may_publish_and_only_over_tls()
    {
        var policy = JsonNode.Parse(Synth(Props()).Single("aws_sns_topic_policy").Str("policy")!)!["Statement"]!.AsArray();
        var allow = policy.Single(s => s.Str("Effect") == "Allow")!;
        allow["Principal"]!["Service"].Strings().ShouldBe(["cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "backup.amazonaws.com"]);
        allow.Str("Action").ShouldBe("sns:Publish");
        allow.Str("Condition.StringEquals.aws:SourceAccount").ShouldBe(ConstructSynth.AccountId);
        var deny = policy.Single(s => s.Str("Effect") == "Deny")!;
        deny.Str("Condition.Bool.aws:SecureTransport").ShouldBe("false");
    }

    [Fact]
    public void Consumers_get_the_arn_through_the_topic_policy_so_they_are_created_after_it()
    {
        var json = ConstructSynth.Stack((stack, _) =>
        {
            var t = new AlarmTopic(stack, "topic", Props());
            new HashiCorp.Cdktf.TerraformOutput(stack, "arn", new HashiCorp.Cdktf.TerraformOutputConfig { Value = t.Arn });
        });
        json["output"]!["arn"]!.Str("value")!.ShouldStartWith("${aws_sns_topic_policy.");
    }

    [Fact]
    public void Every_email_address_and_the_webhook_are_subscribed()
    {
        var subscriptions = Synth(Props()).Resources("aws_sns_topic_subscription").Select(s => s.Body).ToList();
        subscriptions.Select(s => (s.Str("protocol"), s.Str("endpoint"))).ShouldBe(
            [("email", "oncall@easypay.example"), ("email", "team@easypay.example"), ("https", "https://events.incident.example/integration/abc")], ignoreOrder: true);
    }

    [Fact]
    public void Without_recipients_the_topic_has_no_subscriptions()
    {
        Synth(Props() with { EmailAddresses = [], WebhookUrl = null }).Resources("aws_sns_topic_subscription").ShouldBeEmpty();
    }

    [Fact]
    public void Topic_and_key_can_live_in_another_region()
    {
        var json = Synth(Props() with { Region = "us-east-1" });
        foreach (var type in new[] { "aws_sns_topic", "aws_sns_topic_policy", "aws_kms_key", "aws_kms_alias" })
        {
            json.Single(type).Str("region").ShouldBe("us-east-1", type);
        }
        json.Resources("aws_sns_topic_subscription").ShouldAllBe(s => s.Body.Str("region") == "us-east-1");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(Props() with
        {
            Name = "alarms.fifo!",
            EmailAddresses = ["not-an-address", "a@b.example", "A@b.example"],
            WebhookUrl = "http://incident.example/hook",
            PublisherServices = [],
        })).Message;
        message.ShouldContain("AlarmTopicProps.Name: 'alarms.fifo!' is not a topic name");
        message.ShouldContain("AlarmTopicProps.EmailAddresses: 'not-an-address' is not an email address");
        message.ShouldContain("AlarmTopicProps.EmailAddresses: 'a@b.example' is listed twice");
        message.ShouldContain("AlarmTopicProps.WebhookUrl: 'http://incident.example/hook' must be an https:// URL");
        message.ShouldContain("AlarmTopicProps.PublisherServices: is empty");
    }
}
