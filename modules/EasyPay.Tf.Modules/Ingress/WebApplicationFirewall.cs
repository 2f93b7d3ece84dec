using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf.Providers.Aws.Wafv2WebAcl;
using HashiCorp.Cdktf.Providers.Aws.Wafv2WebAclAssociation;
using HashiCorp.Cdktf.Providers.Aws.Wafv2WebAclLoggingConfiguration;

namespace EasyPay.Tf.Modules.Ingress;

/// <summary>What the web ACL's rules do with a match.</summary>
public enum WafMode
{
    /// <summary>Every rule only counts (managed groups with override_action count, own rules with action count):
    /// the metrics and logs show what block mode would stop, nothing is stopped. For tuning.</summary>
    Count,

    /// <summary>Managed groups apply their own actions (override_action none), own rules block.</summary>
    Block,
}

/// <summary>One AWS managed rule group of the web ACL.</summary>
/// <param name="Name">AWS's name of the group (vendor "AWS").</param>
/// <param name="RuleName">The web ACL rule's name and CloudWatch metric name.</param>
public sealed record ManagedRuleGroup(string Name, string RuleName);

/// <summary>Props of <see cref="WebApplicationFirewall"/>.</summary>
/// <param name="Name">Web ACL name and prefix of its rule names, e.g. easypay-prod (the ACL is NAME-edge, its log group aws-waf-logs-NAME).</param>
/// <param name="ResourceArn">The regional resource the ACL protects: the internet-facing ALB.</param>
/// <param name="LogRetentionDays">Retention of the WAF log group (a CloudWatch Logs retention value).</param>
public sealed record WebApplicationFirewallProps(string Name, string ResourceArn, int LogRetentionDays)
{
    /// <summary>Block or only count. @default <see cref="WafMode.Block"/></summary>
    public WafMode Mode { get; init; } = WafMode.Block;

    /// <summary>Path prefix of the payment API: the rate and body-size rules apply under it. @default "/api/"</summary>
    public string ApiPathPrefix { get; init; } = "/api/";

    /// <summary>Requests one client IP may send under <see cref="ApiPathPrefix"/> per <see cref="RateWindowSeconds"/>.
    /// AWS WAF accepts 10 to 2,000,000,000. @default 2000</summary>
    public int ApiRateLimit { get; init; } = 2000;

    /// <summary>The rate rule's evaluation window: 60, 120, 300 or 600 seconds. @default 300</summary>
    public int RateWindowSeconds { get; init; } = 300;

    /// <summary>Largest request body accepted under <see cref="ApiPathPrefix"/>, in bytes, at most the 8 KB an ALB
    /// forwards to WAF for inspection. @default 8192</summary>
    public int ApiMaxBodyBytes { get; init; } = WebApplicationFirewall.AlbBodyInspectionLimitBytes;

    /// <summary>Request headers replaced by REDACTED in the logs (lower case, as the API returns them).
    /// @default authorization, cookie</summary>
    public IReadOnlyList<string> RedactedHeaders { get; init; } = ["authorization", "cookie"];

    /// <summary>Waiting period of the log key's scheduled deletion. @default 30</summary>
    public int KeyDeletionWindowInDays { get; init; } = 30;
}

/// <summary>An AWS WAF (v2) web ACL in front of a regional resource (the ALB): default action allow; AWS's IP
/// reputation, common (OWASP), known-bad-inputs and SQL-injection groups; a per-IP rate limit and a body-size
/// limit on the payment API; CloudWatch metrics and sampled requests on every rule; every request logged to a
/// KMS-encrypted, expiring aws-waf-logs- group with credentials redacted; associated with the resource.
/// Rule and ACL metric names equal their names, so the CloudWatch dimensions (WebACL, Rule) are predictable.</summary>
public sealed class WebApplicationFirewall : Construct
{
    /// <summary>An ALB forwards only the first 8 KB (8,192 bytes) of a body to WAF, a fixed limit (WAFV2 API reference,
    /// RequestBodyAssociatedResourceTypeConfig: "For Application Load Balancer and AWS AppSync, the limit is fixed at 8 KB").</summary>
    public const int AlbBodyInspectionLimitBytes = 8192;

    /// <summary>CloudWatch Logs destinations of WAF must be named aws-waf-logs-... (AWS WAF developer guide, logging destinations).</summary>
    public const string LogGroupPrefix = "aws-waf-logs-";

    /// <summary>AWS managed rule groups, in evaluation order after the IP reputation list (AWS WAF developer guide,
    /// "AWS Managed Rules rule groups list"; all in the baseline and use-case groups that carry no extra fee).</summary>
    public static readonly ManagedRuleGroup IpReputation = new("AWSManagedRulesAmazonIpReputationList", "aws-ip-reputation");
    public static readonly ManagedRuleGroup Common = new("AWSManagedRulesCommonRuleSet", "aws-common");
    public static readonly ManagedRuleGroup KnownBadInputs = new("AWSManagedRulesKnownBadInputsRuleSet", "aws-known-bad-inputs");
    public static readonly ManagedRuleGroup SqlInjection = new("AWSManagedRulesSQLiRuleSet", "aws-sqli");

    public static readonly IReadOnlyList<int> RateWindows = [60, 120, 300, 600];

    public string WebAclArn { get; }
    public string WebAclName { get; }
    public string LogGroupName { get; }

    /// <summary>Known at synth time: the CloudWatch Rule dimension of the per-IP rate rule.</summary>
    public string RateRuleMetricName { get; }

    /// <summary>Known at synth time: the Rule dimension of every rule, in priority order.</summary>
    public IReadOnlyList<string> RuleMetricNames { get; }

    public WebApplicationFirewall(Construct scope, string id, WebApplicationFirewallProps props) : base(scope, id)
    {
        Validate(props);
        var aclName = $"{props.Name}-edge";
        var block = props.Mode == WafMode.Block;

        // Rules: cheapest and most decisive first. IP reputation drops known-bad sources before anything counts
        // them; the rate rule then counts every remaining /api/ request of a client; the body rule stops what WAF
        // cannot fully inspect before the managed groups read the (truncated) body.
        var rateRule = $"{props.Name}-api-rate";
        var bodyRule = $"{props.Name}-api-body-size";
        var rules = new List<Wafv2WebAclRule>
        {
            Managed(props, IpReputation, 0, block),
            Own(rateRule, 1, block, new Dictionary<string, object>
            {
                ["rate_based_statement"] = new Dictionary<string, object>
                {
                    ["limit"] = props.ApiRateLimit,
                    ["evaluation_window_sec"] = props.RateWindowSeconds,
                    ["aggregate_key_type"] = "IP", // the client's address as the ALB sees it (no proxy in front to trust X-Forwarded-For from)
                    ["scope_down_statement"] = ApiPath(props),
                },
            }),
            Own(bodyRule, 2, block, new Dictionary<string, object>
            {
                ["and_statement"] = new Dictionary<string, object>
                {
                    ["statement"] = new object[]
                    {
                        ApiPath(props),
                        new Dictionary<string, object>
                        {
                            ["size_constraint_statement"] = new Dictionary<string, object>
                            {
                                ["comparison_operator"] = "GT",
                                ["size"] = props.ApiMaxBodyBytes,
                                // A body beyond the 8 KB WAF sees matches: its tail was never inspected.
                                ["field_to_match"] = new Dictionary<string, object> { ["body"] = new Dictionary<string, object> { ["oversize_handling"] = "MATCH" } },
                                ["text_transformation"] = new Dictionary<string, object> { ["priority"] = 0, ["type"] = "NONE" },
                            },
                        },
                    },
                },
            }),
            Managed(props, Common, 3, block),
            Managed(props, KnownBadInputs, 4, block),
            Managed(props, SqlInjection, 5, block),
        };

        var acl = new Wafv2WebAcl(this, "acl", new Wafv2WebAclConfig
        {
            Name = aclName,
            Description = $"Edge protection of {props.Name}'s internet-facing load balancer ({(block ? "block" : "count")} mode)",
            Scope = "REGIONAL", // an ALB; CLOUDFRONT only for distributions
            DefaultAction = new Wafv2WebAclDefaultAction { Allow = new Wafv2WebAclDefaultActionAllow() },
            Rule = rules.ToArray(),
            VisibilityConfig = new Wafv2WebAclVisibilityConfig { CloudwatchMetricsEnabled = true, MetricName = aclName, SampledRequestsEnabled = true },
            Tags = new Dictionary<string, string> { ["Name"] = aclName },
        });

        var key = new EncryptionKey(this, "logs-key", new EncryptionKeyProps($"{props.Name}-waf-logs", $"AWS WAF logs of {aclName}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, $"{LogGroupPrefix}{props.Name}")],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        var logs = new LogGroup(this, "logs", new LogGroupProps($"{LogGroupPrefix}{props.Name}", props.LogRetentionDays, key.Arn));

        // The group's arn attribute has no ":*" suffix (the provider strips it), which WAF requires. Logging starts
        // after the group exists (the ARN reference orders it); WAF adds the log delivery resource policy itself.
        new Wafv2WebAclLoggingConfiguration(this, "logging", new Wafv2WebAclLoggingConfigurationConfig
        {
            ResourceArn = acl.Arn,
            LogDestinationConfigs = [logs.Arn],
            RedactedFields = props.RedactedHeaders.Select(h => new Wafv2WebAclLoggingConfigurationRedactedFields
            {
                SingleHeader = new Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader { Name = h },
            }).ToArray(),
        });
        // jsii renames the config (Wafv2WebAcl has an association_config block of the same name).
        new Wafv2WebAclAssociation(this, "association", new Wafv2WebAclAssociationConfigA
        {
            ResourceArn = props.ResourceArn,
            WebAclArn = acl.Arn,
        });

        WebAclArn = acl.Arn;
        WebAclName = acl.Name;
        LogGroupName = logs.Name;
        RateRuleMetricName = rateRule;
        RuleMetricNames = [.. rules.Select(r => r.Name)];
    }

    /// <summary>URI paths starting with the API prefix (no transformation: the ALB routes on the raw path too).</summary>
    private static Dictionary<string, object> ApiPath(WebApplicationFirewallProps props) => new()
    {
        ["byte_match_statement"] = new Dictionary<string, object>
        {
            ["positional_constraint"] = "STARTS_WITH",
            ["search_string"] = props.ApiPathPrefix,
            ["field_to_match"] = new Dictionary<string, object> { ["uri_path"] = new Dictionary<string, object>() },
            ["text_transformation"] = new Dictionary<string, object> { ["priority"] = 0, ["type"] = "NONE" },
        },
    };

    private static Wafv2WebAclRule Managed(WebApplicationFirewallProps props, ManagedRuleGroup group, int priority, bool block)
    {
        var name = $"{props.Name}-{group.RuleName}";
        return new Wafv2WebAclRule
        {
            Name = name,
            Priority = priority,
            OverrideAction = block
                ? new Wafv2WebAclRuleOverrideAction { None = new Wafv2WebAclRuleOverrideActionNone() }
                : new Wafv2WebAclRuleOverrideAction { Count = new Wafv2WebAclRuleOverrideActionCount() },
            Statement = new Dictionary<string, object>
            {
                ["managed_rule_group_statement"] = new Dictionary<string, object> { ["name"] = group.Name, ["vendor_name"] = "AWS" },
            },
            VisibilityConfig = Visibility(name),
        };
    }

    private static Wafv2WebAclRule Own(string name, int priority, bool block, Dictionary<string, object> statement) => new()
    {
        Name = name,
        Priority = priority,
        Action = block
            ? new Wafv2WebAclRuleAction { Block = new Wafv2WebAclRuleActionBlock() }
            : new Wafv2WebAclRuleAction { Count = new Wafv2WebAclRuleActionCount() },
        Statement = statement,
        VisibilityConfig = Visibility(name),
    };

    private static Wafv2WebAclRuleVisibilityConfig Visibility(string name) =>
        new() { CloudwatchMetricsEnabled = true, MetricName = name, SampledRequestsEnabled = true };

    private static void Validate(WebApplicationFirewallProps props)
    {
        new PropsValidator(nameof(WebApplicationFirewallProps))
            // Web ACL and metric names: letters, digits, - and _, at most 128 (the longest suffix here is 22 characters);
            // log group names with the prefix at most 512.
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z0-9][a-z0-9-]{0,99}$"), nameof(props.Name),
                $"'{props.Name}' must be lowercase letters, digits and '-', at most 100 characters")
            .CheckReferenceOr(props.ResourceArn, "^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/.+$",
                nameof(props.ResourceArn), $"'{props.ResourceArn}' is not an Application Load Balancer ARN")
            .Check(LogRetention.IsAllowed(props.LogRetentionDays), nameof(props.LogRetentionDays), LogRetention.Problem(props.LogRetentionDays))
            .Check(props.ApiRateLimit is >= 10 and <= 2_000_000_000, nameof(props.ApiRateLimit), $"{props.ApiRateLimit} is outside AWS WAF's 10-2,000,000,000")
            .Check(RateWindows.Contains(props.RateWindowSeconds), nameof(props.RateWindowSeconds), $"{props.RateWindowSeconds} is not one of {string.Join(", ", RateWindows)} seconds")
            .Check(props.ApiMaxBodyBytes is >= 1 and <= AlbBodyInspectionLimitBytes, nameof(props.ApiMaxBodyBytes),
                $"{props.ApiMaxBodyBytes} must be 1-{AlbBodyInspectionLimitBytes} bytes: an ALB shows WAF only the first 8 KB of a body")
            .Check((props.ApiPathPrefix ?? "").StartsWith('/') && !(props.ApiPathPrefix ?? "").Contains('*'), nameof(props.ApiPathPrefix),
                $"'{props.ApiPathPrefix}' must be a literal path prefix starting with / (no wildcards)")
            .Check(props.RedactedHeaders.All(h => Regex.IsMatch(h, "^[a-z0-9-]{1,64}$")), nameof(props.RedactedHeaders),
                "header names must be lower case letters, digits and '-' (1-64), as WAF returns them")
            .Check(props.KeyDeletionWindowInDays is >= 7 and <= 30, nameof(props.KeyDeletionWindowInDays), "must be between 7 and 30 days")
            .ThrowIfInvalid();
    }
}
