using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Edge;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Edge;

public class DnsFailoverTests
{
    private const string Page = "<!DOCTYPE html><html><body><h1>Payments are briefly unavailable</h1></body></html>";

    private static DnsFailoverProps Props() => new("easypay-test", "Z0123456789ABCDEFGHIJ", "pay.easypay.example",
        "easypay-test-alb-1.eu-west-1.elb.amazonaws.com", "Z32O12XQLNTSW2", Page, Certificate);

    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

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
        // Bucket, its settings, key and page in eu-central-1 through provider 6's per-resource region; CloudFront
        // and Route 53 are global and take no region.
        var regional = json.AllResources().Where(r => r.Type.StartsWith("aws_s3_", StringComparison.Ordinal) || r.Type.StartsWith("aws_kms_", StringComparison.Ordinal)).ToList();
        regional.Count.ShouldBeGreaterThanOrEqualTo(8);
        regional.ShouldAllBe(r => r.Body.Str("region") == "eu-central-1");
        json.AllResources().Where(r => r.Type.StartsWith("aws_route53_", StringComparison.Ordinal) || r.Type.StartsWith("aws_cloudfront_", StringComparison.Ordinal))
            .ShouldAllBe(r => r.Body["region"] == null);
        json.Single("aws_cloudfront_distribution").Str("origin.0.domain_name").ShouldBe("easypay-test-maintenance-123456789012.s3.eu-central-1.amazonaws.com");
    }

    [Fact]
    public void Without_a_certificate_the_health_check_uses_http()
    {
        var check = Synth(Props() with { Https = false }).Single("aws_route53_health_check");
        (check.Str("type"), check.Str("port")).ShouldBe(("HTTP", "80"));
        check["enable_sni"].ShouldBeNull();
    }

    [Fact]
    public void The_primary_record_aliases_the_load_balancer_and_the_secondary_the_maintenance_distribution()
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
        var distribution = json.Resources("aws_cloudfront_distribution").Single().Name;
        secondary.Str("alias.name").ShouldBe($"${{aws_cloudfront_distribution.{distribution}.domain_name}}");
        secondary.Str("alias.zone_id").ShouldBe($"${{aws_cloudfront_distribution.{distribution}.hosted_zone_id}}");
        secondary["health_check_id"].ShouldBeNull();
        // DNS switches only once the distribution can read the page (bucket policy, key, object).
        secondary["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_s3_bucket_policy.", StringComparison.Ordinal));
        secondary["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_s3_object.", StringComparison.Ordinal));
        secondary["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_kms_key.", StringComparison.Ordinal));
        // The page is uploaded after the bucket's KMS default encryption.
        json.Single("aws_s3_object")["depends_on"].Strings().ShouldContain(d => d.StartsWith("aws_s3_bucket_server_side_encryption_configuration.", StringComparison.Ordinal));
    }

    [Fact]
    public void Cloudfront_serves_the_page_over_https_for_the_record_name_on_every_path_uncached()
    {
        var json = Synth(Props());
        var d = json.Single("aws_cloudfront_distribution");
        d["aliases"].Strings().ShouldBe(["pay.easypay.example"]);
        // CloudFront takes ACM certificates from us-east-1 only and needs one for an alternate domain name.
        (d.Str("viewer_certificate.acm_certificate_arn"), d.Str("viewer_certificate.ssl_support_method"), d.Str("viewer_certificate.minimum_protocol_version"))
            .ShouldBe((Certificate, "sni-only", "TLSv1.2_2021"));
        d.Str("default_cache_behavior.viewer_protocol_policy").ShouldBe("redirect-to-https");
        d.Str("default_cache_behavior.cache_policy_id")!.ShouldContain("data.aws_cloudfront_cache_policy.");
        json["data"]!["aws_cloudfront_cache_policy"]!.AsObject().Single().Value!.Str("name").ShouldBe("Managed-CachingDisabled");
        // No default root object: "/" also gets the page as 503, like every other path.
        d["default_root_object"].ShouldBeNull();
        // Without s3:ListBucket a missing key is 403: both become the page, as 503.
        d["custom_error_response"]!.AsArray().Select(e => (e!.Str("error_code"), e.Str("response_code"), e.Str("response_page_path"))).ShouldBe(
            [("403", "503", "/index.html"), ("404", "503", "/index.html")]);
        var oac = json.Single("aws_cloudfront_origin_access_control");
        (oac.Str("origin_access_control_origin_type"), oac.Str("signing_behavior"), oac.Str("signing_protocol")).ShouldBe(("s3", "always", "sigv4"));
        d.Str("origin.0.origin_access_control_id")!.ShouldContain("aws_cloudfront_origin_access_control.");
        var page = json.Single("aws_s3_object");
        (page.Str("key"), page.Str("content"), page.Str("content_type"), page.Str("cache_control")).ShouldBe(("index.html", Page, "text/html; charset=utf-8", "no-store"));
    }

    [Fact]
    public void Only_this_distribution_reads_the_private_kms_encrypted_bucket()
    {
        var json = Synth(Props());
        var distributionArn = $"${{aws_cloudfront_distribution.{json.Resources("aws_cloudfront_distribution").Single().Name}.arn}}";
        var block = json.Single("aws_s3_bucket_public_access_block");
        (block.Str("block_public_acls"), block.Str("block_public_policy"), block.Str("ignore_public_acls"), block.Str("restrict_public_buckets")).ShouldBe(("true", "true", "true", "true"));
        var statements = JsonNode.Parse(json.Single("aws_s3_bucket_policy").Str("policy")!)!["Statement"]!.AsArray();
        var read = statements.Single(s => s!.Str("Effect") == "Allow")!;
        (read.Str("Principal.Service"), read.Str("Action"), read.Str("Condition.StringEquals.AWS:SourceArn")).ShouldBe(("cloudfront.amazonaws.com", "s3:GetObject", distributionArn));
        json.Single("aws_s3_bucket_server_side_encryption_configuration").Str("rule.0.apply_server_side_encryption_by_default.sse_algorithm").ShouldBe("aws:kms");
        var keyStatements = JsonNode.Parse(json.Single("aws_kms_key").Str("policy")!)!["Statement"]!.AsArray();
        keyStatements.ShouldContain(s => s!.Str("Principal.Service") == "cloudfront.amazonaws.com" && s.Str("Action") == "kms:Decrypt"
            && s.Str("Condition.StringEquals.AWS:SourceArn") == distributionArn);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Force_destroy_follows_the_props(bool forceDestroy)
    {
        Synth(Props() with { ForceDestroyMaintenanceBucket = forceDestroy }).Single("aws_s3_bucket").Str("force_destroy").ShouldBe(forceDestroy ? "true" : "false");
        Synth(Props()).Single("aws_s3_bucket").Str("bucket").ShouldBe("easypay-test-maintenance-123456789012");
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
