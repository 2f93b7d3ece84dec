using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Ingress;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Ingress;

public class WebApplicationFirewallTests
{
    private const string Alb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/easypay-test-alb/0123456789abcdef";

    private static WebApplicationFirewallProps Props(WafMode mode = WafMode.Block) => new("easypay-test", Alb, 30) { Mode = mode, ApiRateLimit = 1500 };

    private static JsonObject Synth(WebApplicationFirewallProps props) =>
        ConstructSynth.Stack((stack, _) => new WebApplicationFirewall(stack, "waf", props));

    private static IReadOnlyList<JsonNode> Rules(JsonObject json) => [.. json.Single("aws_wafv2_web_acl")["rule"]!.AsArray().Select(r => r!)];

    private static JsonNode Rule(JsonObject json, string name) => Rules(json).Single(r => r.Str("name") == name);

    [Fact]
    public void A_regional_acl_allows_by_default_and_runs_the_aws_managed_groups()
    {
        var acl = Synth(Props()).Single("aws_wafv2_web_acl");
        acl.Str("scope").ShouldBe("REGIONAL"); // WAFV2 API Scope: REGIONAL for an ALB, CLOUDFRONT for distributions
        acl["default_action"]!["allow"].ShouldNotBeNull();
        // Names and vendor from the AWS WAF developer guide, "AWS Managed Rules rule groups list" (baseline and
        // IP reputation groups); the provider sends them verbatim (managed_rule_group_statement.name, vendor_name).
        Rules(Synth(Props())).Select(r => r["statement"]?["managed_rule_group_statement"]).OfType<JsonNode>()
            .Select(m => (m.Str("vendor_name"), m.Str("name")))
            .ShouldBe([("AWS", "AWSManagedRulesAmazonIpReputationList"), ("AWS", "AWSManagedRulesCommonRuleSet"),
                ("AWS", "AWSManagedRulesKnownBadInputsRuleSet"), ("AWS", "AWSManagedRulesSQLiRuleSet")]);
    }

    [Fact]
    public void Rules_run_reputation_then_rate_then_body_size_then_the_content_groups()
    {
        Rules(Synth(Props())).OrderBy(r => int.Parse(r.Str("priority")!, System.Globalization.CultureInfo.InvariantCulture)).Select(r => r.Str("name"))
            .ShouldBe(["easypay-test-aws-ip-reputation", "easypay-test-api-rate", "easypay-test-api-body-size",
                "easypay-test-aws-common", "easypay-test-aws-known-bad-inputs", "easypay-test-aws-sqli"]);
    }

    [Theory]
    [InlineData(WafMode.Block, "none", "block")]
    [InlineData(WafMode.Count, "count", "count")]
    public void The_mode_sets_what_managed_groups_and_own_rules_do(WafMode mode, string groupOverride, string ownAction)
    {
        var json = Synth(Props(mode));
        foreach (var rule in Rules(json))
        {
            // Managed groups take override_action (none = the group's own actions), own rules take action.
            if (rule["statement"]?["managed_rule_group_statement"] is not null)
            {
                rule["override_action"]!.AsObject().Select(p => p.Key).ShouldBe([groupOverride]);
                rule["action"].ShouldBeNull();
            }
            else
            {
                rule["action"]!.AsObject().Select(p => p.Key).ShouldBe([ownAction]);
                rule["override_action"].ShouldBeNull();
            }
        }
    }

    [Fact]
    public void The_rate_rule_limits_each_client_ip_on_the_api_paths_only()
    {
        var rate = Rule(Synth(Props()), "easypay-test-api-rate")["statement"]!["rate_based_statement"]!;
        // Provider schemas.go (rateBasedStatementSchema): aggregate_key_type enum (IP, FORWARDED_IP, CUSTOM_KEYS,
        // CONSTANT), evaluation_window_sec in 60/120/300/600; the limit minimum is 10 since provider 5.66.0.
        (rate.Str("limit"), rate.Str("aggregate_key_type"), rate.Str("evaluation_window_sec")).ShouldBe(("1500", "IP", "300"));
        var path = rate["scope_down_statement"]!["byte_match_statement"]!;
        (path.Str("positional_constraint"), path.Str("search_string")).ShouldBe(("STARTS_WITH", "/api/"));
        path["field_to_match"]!["uri_path"].ShouldNotBeNull();
        path.Str("text_transformation.type").ShouldBe("NONE");
    }

    [Fact]
    public void Api_bodies_larger_than_what_the_alb_lets_waf_inspect_are_stopped()
    {
        var and = Rule(Synth(Props()), "easypay-test-api-body-size")["statement"]!["and_statement"]!["statement"]!.AsArray();
        and[0]!["byte_match_statement"]!.Str("search_string").ShouldBe("/api/");
        var size = and[1]!["size_constraint_statement"]!;
        // An ALB forwards 8 KB (8,192 bytes) of a body to WAF, fixed (WAFV2 API, RequestBodyAssociatedResourceTypeConfig);
        // oversize_handling MATCH makes a longer body match (provider schemas.go: CONTINUE, MATCH, NO_MATCH).
        (size.Str("comparison_operator"), size.Str("size"), size.Str("field_to_match.body.oversize_handling")).ShouldBe(("GT", "8192", "MATCH"));
    }

    [Fact]
    public void Every_rule_and_the_acl_publish_metrics_under_their_own_names()
    {
        var json = Synth(Props());
        var acl = json.Single("aws_wafv2_web_acl");
        acl.Str("visibility_config.metric_name").ShouldBe(acl.Str("name"));
        foreach (var rule in Rules(json).Append(acl))
        {
            var v = rule["visibility_config"]!;
            (v.Str("cloudwatch_metrics_enabled"), v.Str("sampled_requests_enabled")).ShouldBe(("true", "true"));
            v.Str("metric_name").ShouldBe(rule.Str("name"));
            // VisibilityConfig.MetricName: letters, digits, - and _, 1-128 characters (WAFV2 API reference).
            v.Str("metric_name")!.ShouldMatch("^[A-Za-z0-9_-]{1,128}$");
        }
    }

    [Fact]
    public void Every_request_is_logged_to_an_encrypted_expiring_aws_waf_logs_group_without_credentials()
    {
        var json = Synth(Props());
        var group = json.Resources("aws_cloudwatch_log_group").ShouldHaveSingleItem();
        // AWS WAF developer guide: a CloudWatch Logs destination's name must start with aws-waf-logs-.
        group.Body.Str("name").ShouldBe("aws-waf-logs-easypay-test");
        group.Body.Str("retention_in_days").ShouldBe("30");
        group.Body.Str("kms_key_id")!.ShouldStartWith("${aws_kms_key.");
        var logging = json.Single("aws_wafv2_web_acl_logging_configuration");
        // The log group's arn attribute (not "...:*"): the provider strips the suffix, which WAF rejects.
        logging["log_destination_configs"].Strings().ShouldBe([$"${{aws_cloudwatch_log_group.{group.Name}.arn}}"]);
        logging.Str("resource_arn")!.ShouldStartWith("${aws_wafv2_web_acl.");
        logging["logging_filter"].ShouldBeNull(); // count-mode tuning needs every request's rule matches
        // The API returns header names in lower case (provider web_acl_logging_configuration.go, single_header.name).
        logging["redacted_fields"]!.AsArray().Select(f => f.Str("single_header.name")).ShouldBe(["authorization", "cookie"]);
    }

    [Fact]
    public void The_acl_is_associated_with_the_load_balancer()
    {
        var association = Synth(Props()).Single("aws_wafv2_web_acl_association");
        association.Str("resource_arn").ShouldBe(Alb);
        association.Str("web_acl_arn")!.ShouldStartWith("${aws_wafv2_web_acl.");
    }

    [Theory]
    [InlineData(9, 300, 8192, "/api/", "ApiRateLimit")]
    [InlineData(2000, 30, 8192, "/api/", "RateWindowSeconds")]
    [InlineData(2000, 300, 9000, "/api/", "ApiMaxBodyBytes")]
    [InlineData(2000, 300, 8192, "/api/*", "ApiPathPrefix")]
    public void Values_aws_waf_would_reject_fail_at_synth(int limit, int window, int body, string prefix, string field)
    {
        var props = Props() with { ApiRateLimit = limit, RateWindowSeconds = window, ApiMaxBodyBytes = body, ApiPathPrefix = prefix };
        Should.Throw<ArgumentException>(() => Synth(props)).Message.ShouldContain(field);
    }

    [Fact]
    public void Only_an_application_load_balancer_can_be_protected()
    {
        Should.Throw<ArgumentException>(() => Synth(Props() with { ResourceArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123" }))
            .Message.ShouldContain("ResourceArn");
    }
}
