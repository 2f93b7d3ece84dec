using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Edge;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Edge;

public class DnsFailoverTests
{
    private const string Page = "<!DOCTYPE html><html><body><h1>Payments are briefly unavailable</h1></body></html>";

    private static DnsFailoverProps Props() => new("easypay-test", "Z0123456789ABCDEFGHIJ", "pay.easypay.example",
        "easypay-test-alb-1.eu-west-1.elb.amazonaws.com", "Z32O12XQLNTSW2", Page);

    private static JsonObject Synth(DnsFailoverProps props) =>
        ConstructSynth.Stack((stack, _) => new DnsFailover(stack, "dns", props));

    [Fact]
    public void The_health_check_probes_the_load_balancer_every_10_seconds_and_needs_three_failures()
    {
        var check = Synth(Props() with { HealthCheckPath = "/health/deep" }).Single("aws_route53_health_check");
        check.Str("fqdn").ShouldBe("easypay-test-alb-1.eu-west-1.elb.amazonaws.com");
        (check.Str("type"), check.Str("port"), check.Str("enable_sni")).ShouldBe(("HTTPS", "443", "true"));
        check.Str("resource_path").ShouldBe("/health/deep");
        // Route 53 accepts request_interval 10 or 30 and failure_threshold 1-10 (provider route53 health check
        // validation; Route 53 developer guide). Three consecutive failures: one slow answer never flaps DNS.
        check.Str("request_interval").ShouldBe("10");
        check.Str("failure_threshold").ShouldBe("3");
        check.Str("tags.Name").ShouldBe("easypay-test-alb-health");
    }

    [Fact]
    public void The_maintenance_page_can_live_in_the_disaster_recovery_region()
    {
        var json = Synth(Props() with { MaintenanceRegion = "eu-central-1" });
        // Every resource of the website (bucket and its settings, policy, page) in eu-central-1 through provider
        // 6's per-resource region; the records and the health check are global (Route 53).
        var s3 = json.AllResources().Where(r => r.Type.StartsWith("aws_s3_", StringComparison.Ordinal)).ToList();
        s3.Count.ShouldBeGreaterThanOrEqualTo(6);
        s3.ShouldAllBe(r => r.Body.Str("region") == "eu-central-1");
        json.AllResources().Where(r => r.Type.StartsWith("aws_route53_", StringComparison.Ordinal)).ShouldAllBe(r => r.Body["region"] == null);
        // The alias follows the bucket: its website domain and hosted zone id are those of the bucket's region.
        var secondary = json.Resources("aws_route53_record").Single(r => r.Body.Str("failover_routing_policy.type") == "SECONDARY").Body;
        secondary.Str("alias.zone_id")!.ShouldContain("aws_s3_bucket.");
        secondary.Str("alias.zone_id")!.ShouldEndWith(".hosted_zone_id}");
    }

    [Fact]
    public void Without_a_certificate_the_health_check_uses_http()
    {
        var check = Synth(Props() with { Https = false }).Single("aws_route53_health_check");
        (check.Str("type"), check.Str("port")).ShouldBe(("HTTP", "80"));
        check["enable_sni"].ShouldBeNull();
    }

    [Fact]
    public void The_primary_record_aliases_the_load_balancer_and_the_secondary_the_maintenance_website()
    {
        var json = Synth(Props());
        var records = json.Resources("aws_route53_record").Select(r => r.Body).ToList();
        records.ShouldAllBe(r => r.Str("name") == "pay.easypay.example" && r.Str("type") == "A" && r.Str("zone_id") == "Z0123456789ABCDEFGHIJ");
        var primary = records.Single(r => r.Str("failover_routing_policy.type") == "PRIMARY");
        primary.Str("alias.name").ShouldBe("easypay-test-alb-1.eu-west-1.elb.amazonaws.com");
        primary.Str("alias.zone_id").ShouldBe("Z32O12XQLNTSW2");
        primary.Str("alias.evaluate_target_health").ShouldBe("true");
        primary.Str("health_check_id")!.ShouldStartWith("${aws_route53_health_check.");
        var secondary = records.Single(r => r.Str("failover_routing_policy.type") == "SECONDARY");
        secondary.Str("alias.name")!.ShouldContain("aws_s3_bucket_website_configuration.");
        secondary.Str("alias.name")!.ShouldEndWith(".website_domain}");
        secondary.Str("alias.zone_id")!.ShouldEndWith(".hosted_zone_id}");
        secondary["health_check_id"].ShouldBeNull();
    }

    [Fact]
    public void The_maintenance_bucket_is_named_after_the_record_and_serves_the_page_from_the_repository()
    {
        var json = Synth(Props());
        json.Single("aws_s3_bucket").Str("bucket").ShouldBe("pay.easypay.example");
        var website = json.Single("aws_s3_bucket_website_configuration");
        (website.Str("index_document.suffix"), website.Str("error_document.key")).ShouldBe(("index.html", "index.html"));
        var page = json.Single("aws_s3_object");
        (page.Str("key"), page.Str("content"), page.Str("content_type")).ShouldBe(("index.html", Page, "text/html; charset=utf-8"));
        page.Str("cache_control").ShouldBe("no-store");
    }

    [Fact]
    public void Only_the_page_is_public_acls_stay_blocked_and_writes_need_tls()
    {
        var json = Synth(Props());
        var block = json.Single("aws_s3_bucket_public_access_block");
        (block.Str("block_public_acls"), block.Str("ignore_public_acls")).ShouldBe(("true", "true"));
        json.Single("aws_s3_bucket_ownership_controls").Str("rule.object_ownership").ShouldBe("BucketOwnerEnforced");
        var bucketPolicy = json.Single("aws_s3_bucket_policy");
        bucketPolicy["depends_on"].Strings().ShouldHaveSingleItem().ShouldStartWith("aws_s3_bucket_public_access_block.");
        var statements = JsonNode.Parse(bucketPolicy.Str("policy")!)!["Statement"]!.AsArray();
        var read = statements.Single(s => s.Str("Effect") == "Allow")!;
        read.Str("Action").ShouldBe("s3:GetObject");
        read.Str("Resource")!.ShouldEndWith(".arn}/index.html");
        var deny = statements.Single(s => s.Str("Effect") == "Deny")!;
        deny.Str("Condition.Bool.aws:SecureTransport").ShouldBe("false");
        deny["Action"].Strings().ShouldNotContain("s3:GetObject");
        json.Single("aws_s3_bucket_versioning").Str("versioning_configuration.status").ShouldBe("Enabled");
        json.Single("aws_s3_bucket_server_side_encryption_configuration").Str("rule.0.apply_server_side_encryption_by_default.sse_algorithm").ShouldBe("AES256");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Force_destroy_follows_the_props(bool forceDestroy)
    {
        Synth(Props() with { ForceDestroyMaintenanceBucket = forceDestroy }).Single("aws_s3_bucket").Str("force_destroy").ShouldBe(forceDestroy ? "true" : "false");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(Props() with
        {
            RecordName = "Pay.Example",
            HealthCheckPath = "health",
            RequestIntervalSeconds = 5,
            FailureThreshold = 0,
            AlbDnsName = "",
        })).Message;
        message.ShouldContain("DnsFailoverProps.RecordName: 'Pay.Example' must be a lower-case DNS name");
        message.ShouldContain("DnsFailoverProps.HealthCheckPath: 'health' must start with '/'");
        message.ShouldContain("DnsFailoverProps.RequestIntervalSeconds: 5 must be 10 or 30");
        message.ShouldContain("DnsFailoverProps.FailureThreshold: 0 must be 1-10");
        message.ShouldContain("DnsFailoverProps.AlbDnsName: is required");
    }

    [Fact]
    public void A_page_with_terraform_template_syntax_is_refused()
    {
        Should.Throw<ArgumentException>(() => Synth(Props() with { MaintenancePageHtml = "<p>${oops}</p>" }))
            .Message.ShouldContain("MaintenanceSiteProps.IndexHtml: contains '${' or '%{'");
    }
}
