using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Ingress;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Ingress;

public class PublicLoadBalancerTests
{
    private const string Certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

    private static PublicLoadBalancerProps Props(string? certificate = Certificate) =>
        new("easypay-test", "vpc-1", ["subnet-a", "subnet-b"],
            [new LoadBalancerTarget("frontend", 8080), new LoadBalancerTarget("backend", 8080) { PathPatterns = ["/api/*"] }])
        {
            CertificateArn = certificate,
        };

    private static JsonObject Synth(PublicLoadBalancerProps props) => ConstructSynth.Stack((stack, _) => new PublicLoadBalancer(stack, "alb", props));

    private static JsonObject TargetGroup(JsonObject json, string name) =>
        json.Resources("aws_lb_target_group").Single(t => t.Body.Str("name") == name).Body;

    [Fact]
    public void Target_groups_register_pod_ips_and_check_health_on_health_every_5_seconds()
    {
        var json = Synth(Props());
        foreach (var name in new[] { "easypay-test-frontend", "easypay-test-backend" })
        {
            var tg = TargetGroup(json, name);
            tg.Str("target_type").ShouldBe("ip");
            tg.Str("port").ShouldBe("8080");
            tg.Str("deregistration_delay").ShouldBe("30");
            var hc = tg["health_check"]!;
            (hc.Str("path"), hc.Str("interval"), hc.Str("healthy_threshold"), hc.Str("unhealthy_threshold")).ShouldBe(("/health", "5", "2", "2"));
            int.Parse(hc.Str("timeout")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThan(5);
            hc.Str("matcher").ShouldBe("200");
        }
    }

    [Fact]
    public void With_a_certificate_https_serves_and_http_redirects()
    {
        var json = Synth(Props());
        var listeners = json.Resources("aws_lb_listener").Select(l => l.Body).ToList();
        listeners.Count.ShouldBe(2);
        var https = listeners.Single(l => l.Str("port") == "443");
        https.Str("protocol").ShouldBe("HTTPS");
        https.Str("certificate_arn").ShouldBe(Certificate);
        https.Str("ssl_policy")!.ShouldStartWith("ELBSecurityPolicy-TLS13");
        https.Str("default_action.0.target_group_arn")!.ShouldContain("tg-frontend");
        var http = listeners.Single(l => l.Str("port") == "80");
        (http.Str("default_action.0.type"), http.Str("default_action.0.redirect.protocol"), http.Str("default_action.0.redirect.status_code"))
            .ShouldBe(("redirect", "HTTPS", "HTTP_301"));
        var rule = json.Single("aws_lb_listener_rule");
        rule.Str("listener_arn")!.ShouldContain(json.Resources("aws_lb_listener").Single(l => l.Body.Str("port") == "443").Name);
        rule["condition"]![0]!["path_pattern"]!["values"].Strings().ShouldBe(["/api/*"]);
        rule.Str("action.0.target_group_arn")!.ShouldContain("tg-backend");
        json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body.Str("from_port")).ShouldBe(["80", "443"], ignoreOrder: true);
    }

    [Fact]
    public void Without_a_certificate_only_http_is_served()
    {
        var json = Synth(Props(certificate: null));
        var listener = json.Single("aws_lb_listener");
        (listener.Str("port"), listener.Str("protocol"), listener.Str("default_action.0.type")).ShouldBe(("80", "HTTP", "forward"));
        json.Single("aws_lb_listener_rule").Str("listener_arn")!.ShouldContain(json.Resources("aws_lb_listener")[0].Name);
        var ingress = json.Single("aws_vpc_security_group_ingress_rule");
        (ingress.Str("from_port"), ingress.Str("cidr_ipv4")).ShouldBe(("80", "0.0.0.0/0"));
    }

    [Fact]
    public void The_alb_is_internet_facing_drops_invalid_headers_and_logs_to_a_private_bucket()
    {
        var json = Synth(Props() with { DeletionProtection = true, AccessLogRetentionDays = 90 });
        var alb = json.Single("aws_lb");
        alb.Str("internal").ShouldBe("false");
        alb.Str("load_balancer_type").ShouldBe("application");
        alb.Str("drop_invalid_header_fields").ShouldBe("true");
        alb.Str("enable_deletion_protection").ShouldBe("true");
        alb["subnets"].Strings().ShouldBe(["subnet-a", "subnet-b"]);
        alb.Str("access_logs.enabled").ShouldBe("true");
        alb["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_s3_bucket_policy.", StringComparison.Ordinal));
        json.Single("aws_s3_bucket").Str("bucket").ShouldBe("easypay-test-alb-logs-123456789012");
        // ALB log delivery cannot write SSE-KMS objects: SSE-S3 is the documented exception
        json.Single("aws_s3_bucket_server_side_encryption_configuration").Str("rule.0.apply_server_side_encryption_by_default.sse_algorithm").ShouldBe("AES256");
        json.Single("aws_s3_bucket_lifecycle_configuration").Str("rule.0.expiration.0.days").ShouldBe("90");
        // A noncurrent version only exists because a log was deleted: it stays recoverable as long as the logs (AUD-003).
        json.Single("aws_s3_bucket_lifecycle_configuration").Str("rule.0.noncurrent_version_expiration.0.noncurrent_days").ShouldBe("90");
        var statements = JsonNode.Parse(json.Single("aws_s3_bucket_policy").Str("policy")!)!["Statement"]!.AsArray();
        statements.Where(s => s!.Str("Effect") == "Allow").ShouldAllBe(s =>
            s!.Str("Action") == "s3:PutObject" && s.Str("Resource") == "arn:aws:s3:::easypay-test-alb-logs-123456789012/alb/AWSLogs/123456789012/*");
    }

    [Fact]
    public void The_alb_security_group_has_no_egress_of_its_own()
    {
        Synth(Props()).Resources("aws_vpc_security_group_egress_rule").ShouldBeEmpty(); // NodeSecurityGroup opens it to the pods only
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new PublicLoadBalancerProps("easypay-much-too-long-environment", "vpc-1", ["subnet-a"],
            [new LoadBalancerTarget("frontend", 8080), new LoadBalancerTarget("frontend", 70000) { PathPatterns = ["/x"], HealthCheckPath = "health" }])
        {
            CertificateArn = "arn:aws:iam::123456789012:server-certificate/x",
            HealthCheckIntervalSeconds = 2,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("PublicLoadBalancerProps.Name: 'easypay-much-too-long-environment' must be lowercase letters, digits and '-', at most 28");
        message.ShouldContain("PublicLoadBalancerProps.SubnetIds: an ALB needs public subnets in at least two AZs");
        message.ShouldContain("PublicLoadBalancerProps.Targets: has duplicate keys");
        message.ShouldContain("PublicLoadBalancerProps.Targets: target 'frontend': port 70000 is not 1-65535");
        message.ShouldContain("PublicLoadBalancerProps.Targets: target 'frontend': health check path 'health' must start with /");
        message.ShouldContain("PublicLoadBalancerProps.CertificateArn: 'arn:aws:iam::123456789012:server-certificate/x' is not an ACM certificate ARN");
        message.ShouldContain("PublicLoadBalancerProps.HealthCheckIntervalSeconds: must be 5-300 seconds");
    }

    [Fact]
    public void Exactly_one_default_target_is_required()
    {
        var props = Props() with { Targets = [new LoadBalancerTarget("backend", 8080) { PathPatterns = ["/api/*"] }] };
        Should.Throw<ArgumentException>(() => Synth(props)).Message
            .ShouldContain("PublicLoadBalancerProps.Targets: needs exactly one default target");
    }
}
