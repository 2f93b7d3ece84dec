using System.Text.RegularExpressions;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>EDG: what the internet reaches first — the web ACL in front of every internet-facing ALB, TLS 1.3 on
/// every HTTPS listener, and HTTP that only redirects where HTTPS exists.</summary>
public static partial class EdgeRules
{
    /// <summary>AWS WAF delivers to CloudWatch Logs only into groups named aws-waf-logs-... (AWS WAF developer guide).</summary>
    private const string WafLogGroupPrefix = "aws-waf-logs-";

    public static readonly StackRule WebAcl = new("EDG-001",
        "Every internet-facing application load balancer is associated with an AWS WAF web ACL that logs to an aws-waf-logs- CloudWatch log group",
        Severity.High, Applicability.AllEnvironments,
        "The payment API is on the internet: injection, known exploits, bad-reputation sources and floods must meet managed rules first, and an incident review needs the log of what was blocked or let through.",
        WebAclProblems)
    {
        Subjects = ["aws_lb", "aws_alb"],
    };

    public static readonly StackRule Tls13 = new("EDG-002",
        "HTTPS listeners pin a TLS 1.3 security policy whose TLS 1.2 ciphers are restricted (ELBSecurityPolicy-TLS13-1-2-Res-*, -TLS13-1-3-*)",
        Severity.High, Applicability.AllEnvironments,
        "Without ssl_policy the API applies ELBSecurityPolicy-2016-08 (TLS 1.0 and CBC ciphers); a restricted TLS 1.3 policy keeps card and wallet traffic on forward-secret AEAD ciphers.",
        ctx => ctx.Resources("aws_lb_listener", "aws_alb_listener")
            .Where(l => TfValue.Text(l["protocol"]) == "HTTPS")
            .Select(l => (Listener: l, Policy: TfValue.Text(l["ssl_policy"])))
            .Where(x => x.Policy is null || !RestrictedTls13().IsMatch(x.Policy))
            .Select(x => ctx.Violation(x.Listener, x.Policy is null
                ? "ssl_policy is not set: the ELB API then applies ELBSecurityPolicy-2016-08 (TLS 1.0-1.2); pin ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
                : $"ssl_policy {x.Policy} is not a TLS 1.3 policy with restricted TLS 1.2 ciphers; use ELBSecurityPolicy-TLS13-1-2-Res-2021-06")))
    {
        Subjects = ["aws_lb_listener"],
    };

    public static readonly StackRule HttpRedirects = new("EDG-003",
        "HTTP listeners only redirect to HTTPS (HTTP_301) where their load balancer has an HTTPS listener, and in production everywhere",
        Severity.High, Applicability.AllEnvironments,
        "An HTTP listener that forwards beside an HTTPS one serves the same payments unencrypted to any client that asks; production has no plain-HTTP path at all.",
        HttpProblems)
    {
        Subjects = ["aws_lb_listener"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [WebAcl, Tls13, HttpRedirects];

    /// <summary>TLS 1.3 policies that accept at most TLS 1.2 with restricted (AEAD, forward-secret) ciphers, in the
    /// ELB user guide's naming: ELBSecurityPolicy-TLS13-1-2-Res-2021-06, -TLS13-1-2-Res-PQ-2025-09, -TLS13-1-3-...</summary>
    [GeneratedRegex("^ELBSecurityPolicy-TLS13-1-(2-Res|3)(-FIPS)?(-PQ)?-20[0-9]{2}-[0-9]{2}$")]
    private static partial Regex RestrictedTls13();

    private static IEnumerable<Violation> WebAclProblems(PolicyContext ctx)
    {
        foreach (var lb in AwsFacts.ApplicationLoadBalancers(ctx).Where(lb => !TfValue.IsTrue(lb["internal"])))
        {
            var acls = ctx.Resources("aws_wafv2_web_acl_association").Where(a => ctx.RefersTo(a["resource_arn"], lb))
                .SelectMany(a => ctx.References(a["web_acl_arn"])).Where(r => r.Type == "aws_wafv2_web_acl").Distinct().ToList();
            if (acls.Count == 0)
            {
                yield return ctx.Violation(lb, "no aws_wafv2_web_acl_association names this internet-facing ALB: associate a web ACL of the stack");
                continue;
            }
            foreach (var acl in acls)
            {
                var logging = ctx.Resources("aws_wafv2_web_acl_logging_configuration").Where(l => ctx.RefersTo(l["resource_arn"], acl)).ToList();
                if (logging.Count == 0)
                {
                    yield return ctx.Violation(lb, $"its web ACL {acl.Address} has no aws_wafv2_web_acl_logging_configuration: nothing records what it blocked or allowed");
                    continue;
                }
                var destinations = logging.SelectMany(l => ctx.References(l["log_destination_configs"])).ToList();
                var groups = destinations.Where(d => d.Type == "aws_cloudwatch_log_group").ToList();
                if (groups.Count == 0 || groups.Any(g => !(TfValue.Text(g["name"]) ?? "").StartsWith(WafLogGroupPrefix, StringComparison.Ordinal)))
                {
                    yield return ctx.Violation(lb, $"its web ACL {acl.Address} does not log to a CloudWatch log group of the stack named {WafLogGroupPrefix}... (the only groups WAF delivers to; ENC-004 and OBS-003 then cover its key and retention)");
                }
            }
        }
    }

    private static IEnumerable<Violation> HttpProblems(PolicyContext ctx)
    {
        var listeners = ctx.Resources("aws_lb_listener", "aws_alb_listener").ToList();
        foreach (var http in listeners.Where(l => (TfValue.Text(l["protocol"]) ?? "HTTP") == "HTTP"))
        {
            var lbs = ctx.References(http["load_balancer_arn"]);
            var hasHttps = listeners.Any(l => l != http && TfValue.Text(l["protocol"]) == "HTTPS" && ctx.References(l["load_balancer_arn"]).Intersect(lbs).Any());
            if (!hasHttps && !ctx.Production)
            {
                continue; // plain HTTP by the environment's explicit choice (cluster.ingress.httpReason)
            }
            var actions = TfValue.Blocks(http["default_action"]).ToList();
            var redirects = actions.Count == 1 && TfValue.Text(actions[0]["type"]) == "redirect"
                && TfValue.Block(actions[0]["redirect"]) is { } r && TfValue.Text(r["protocol"]) == "HTTPS" && TfValue.Text(r["status_code"]) == "HTTP_301";
            var why = hasHttps ? "its load balancer has an HTTPS listener" : "production serves payments over HTTPS only";
            if (!redirects)
            {
                yield return ctx.Violation(http, $"{why}, but the HTTP listener's default action is not a single HTTP_301 redirect to HTTPS");
            }
            foreach (var rule in ctx.Resources("aws_lb_listener_rule", "aws_alb_listener_rule").Where(r => ctx.RefersTo(r["listener_arn"], http)))
            {
                yield return ctx.Violation(rule, $"{why}: no rule may serve requests on the HTTP listener {http.Address}; attach it to the HTTPS listener");
            }
        }
    }
}
