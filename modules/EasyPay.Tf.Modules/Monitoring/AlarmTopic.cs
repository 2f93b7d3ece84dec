using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf.Providers.Aws.SnsTopic;
using HashiCorp.Cdktf.Providers.Aws.SnsTopicPolicy;
using HashiCorp.Cdktf.Providers.Aws.SnsTopicSubscription;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>Props of <see cref="AlarmTopic"/>.</summary>
/// <param name="Name">Topic name, also the alias of its key, e.g. "easypay-prod-alarms".</param>
public sealed record AlarmTopicProps(string Name)
{
    /// <summary>Each address gets an email subscription (AWS mails a confirmation link first). @default none</summary>
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];

    /// <summary>HTTPS endpoint of an incident tool. @default null (none)</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>AWS services that may publish to the topic (and so use its key), from the stack's account only.
    /// @default <see cref="DefaultPublisherServices"/></summary>
    public IReadOnlyList<string> PublisherServices { get; init; } = DefaultPublisherServices;

    /// <summary>Waiting period before a scheduled deletion of the topic key. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;

    /// <summary>Region of topic and key when not the stack's (alarms publish only to topics of their own region).
    /// @default the stack's region</summary>
    public string? Region { get; init; }

    /// <summary>EventBridge rules of the stack's account and region may publish (GuardDuty findings): a statement
    /// of their own, conditioned on the rule's ARN (aws:SourceArn, the EventBridge user guide's SNS target
    /// permission example) rather than aws:SourceAccount. @default false</summary>
    public bool AllowEventRules { get; init; }

    /// <summary>CloudWatch alarms, RDS event subscriptions and AWS Backup notifications.</summary>
    public static readonly IReadOnlyList<string> DefaultPublisherServices =
        ["cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "backup.amazonaws.com"];
}

/// <summary>The SNS topic alarms and events page humans through: encrypted with its own CMK whose policy lets
/// the publishing services use it, a topic policy that admits exactly those services from this account
/// over TLS, and the email / HTTPS subscriptions.</summary>
public sealed partial class AlarmTopic : Construct
{
    /// <summary>The topic's ARN, read from its policy resource: whatever publishes to it (RDS event
    /// subscriptions check their permission when created) is created after the policy allows it.</summary>
    public string Arn { get; }
    public string Name { get; }
    public string KeyArn { get; }

    private const string EventBridgeService = "events.amazonaws.com";

    public AlarmTopic(Construct scope, string id, AlarmTopicProps props) : base(scope, id)
    {
        Validate(props);
        // SNS encrypts each message with a data key; the publishing service asks KMS for it, so the key
        // policy (not IAM) must admit the service principals.
        var key = new EncryptionKey(this, "key", new EncryptionKeyProps(props.Name, $"Messages of the SNS topic {props.Name}")
        {
            AdditionalStatements =
            [
                // aws:SourceAccount: another account's alarm, event subscription or vault cannot use this key through
                // the service (SNS developer guide, "Enable compatibility between event sources from AWS services and
                // encrypted topics", whose key policy example carries the source conditions).
                new PolicyStatement("AllowPublishersToEncrypt", ["kms:GenerateDataKey*", "kms:Decrypt"], ["*"],
                    Principals: PolicyDocument.Service([.. props.PublisherServices]),
                    Conditions: PolicyDocument.Condition("StringEquals", "aws:SourceAccount", AwsEnvironment.Of(this).AccountId)),
                // No source condition for EventBridge: its KMS request to an SNS target carries no aws:SourceAccount
                // or aws:SourceArn (the same SNS page), so one would drop every finding silently. The topic policy's
                // aws:SourceArn on the account's rules keeps other accounts out.
                .. props.AllowEventRules
                    ? new[] { new PolicyStatement("AllowEventRulesToEncrypt", ["kms:GenerateDataKey*", "kms:Decrypt"], ["*"],
                        Principals: PolicyDocument.Service(EventBridgeService)) }
                    : [],
            ],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
            Region = props.Region,
        });
        var topic = new SnsTopic(this, "topic", new SnsTopicConfig
        {
            Name = props.Name,
            KmsMasterKeyId = key.Arn,
            Region = props.Region,
        });
        var policy = new SnsTopicPolicy(this, "policy", new SnsTopicPolicyConfig
        {
            Arn = topic.Arn,
            Region = props.Region,
            Policy = PolicyDocument.Render((IEnumerable<PolicyStatement>)[
                // aws:SourceAccount keeps another account's alarm or event subscription from using this
                // topic through the service (confused deputy).
                new PolicyStatement("AllowPlatformServicesToPublish", ["sns:Publish"], [topic.Arn],
                    Principals: PolicyDocument.Service([.. props.PublisherServices]),
                    Conditions: PolicyDocument.Condition("StringEquals", "aws:SourceAccount", AwsEnvironment.Of(this).AccountId)),
                .. props.AllowEventRules
                    ? new[] { new PolicyStatement("AllowEventRulesToPublish", ["sns:Publish"], [topic.Arn],
                        Principals: PolicyDocument.Service(EventBridgeService),
                        Conditions: PolicyDocument.Condition("ArnLike", "aws:SourceArn",
                            AwsEnvironment.Of(this).Arn("events", "rule/*", region: props.Region))) }
                    : [],
                new PolicyStatement("DenyInsecureTransport", ["sns:Publish"], [topic.Arn], Effect: "Deny",
                    Principals: PolicyDocument.Aws("*"),
                    Conditions: PolicyDocument.Condition("Bool", "aws:SecureTransport", "false")),
            ]),
        });
        for (var i = 0; i < props.EmailAddresses.Count; i++)
        {
            new SnsTopicSubscription(this, $"email-{i}", new SnsTopicSubscriptionConfig
            {
                TopicArn = topic.Arn,
                Protocol = "email",
                Endpoint = props.EmailAddresses[i],
                Region = props.Region,
            });
        }
        if (props.WebhookUrl is not null)
        {
            new SnsTopicSubscription(this, "webhook", new SnsTopicSubscriptionConfig
            {
                TopicArn = topic.Arn,
                Protocol = "https",
                Endpoint = props.WebhookUrl,
                // Incident tools confirm the subscription themselves; Terraform waits for it.
                EndpointAutoConfirms = true,
                Region = props.Region,
            });
        }
        Arn = policy.Arn;
        Name = topic.Name;
        KeyArn = key.Arn;
    }

    private static void Validate(AlarmTopicProps props)
    {
        var v = new PropsValidator(nameof(AlarmTopicProps))
            .Check(TopicName().IsMatch(props.Name ?? ""), nameof(props.Name), $"'{props.Name}' is not a topic name (1-256 letters, digits, - and _)")
            .Check(props.PublisherServices.Count > 0, nameof(props.PublisherServices), "is empty: no alarm could publish; keep the defaults");
        foreach (var email in props.EmailAddresses.Where(e => !Email().IsMatch(e)))
        {
            v.Check(false, nameof(props.EmailAddresses), $"'{email}' is not an email address");
        }
        foreach (var dup in props.EmailAddresses.GroupBy(e => e, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            v.Check(false, nameof(props.EmailAddresses), $"'{dup.Key}' is listed twice");
        }
        v.Check(props.WebhookUrl is null || props.WebhookUrl.StartsWith("https://", StringComparison.Ordinal), nameof(props.WebhookUrl),
            $"'{props.WebhookUrl}' must be an https:// URL: alarm details must not travel in clear text");
        v.ThrowIfInvalid();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TopicName();

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    private static partial Regex Email();
}
