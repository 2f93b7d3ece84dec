using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>&lt;env&gt;-monitoring composed with the real network stack and literal cluster/database outputs.</summary>
public class MonitoringStackTests
{
    private sealed record Synthesized(EnvironmentConfig Env, JsonObject Json, MonitoringOutputs Outputs);

    // One synthesis per environment for the whole class (jsii and synthesis dominate the run time).
    private static readonly Dictionary<string, Lazy<Synthesized>> Cache = new[] { "dev", "staging", "prod" }.ToDictionary(
        e => e, e => new Lazy<Synthesized>(() =>
        {
            var env = TestEnvironments.Repository(e);
            var stacks = MonitoringTestInputs.Synth(env, out var outputs);
            return new Synthesized(env, stacks[$"{e}-monitoring"], outputs);
        }));

    private static Synthesized Of(string env) => Cache[env].Value;

    public static TheoryData<string> Environments() => new(["dev", "staging", "prod"]);

    private static string RegionalTopic(JsonObject json) =>
        $"${{aws_sns_topic_policy.{json.Resources("aws_sns_topic_policy").Single(p => p.Body["region"] is null).Name}.arn}}";

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_alarm_evaluates_60_second_periods_and_notifies_the_topic_on_alarm_and_ok(string env)
    {
        var json = Of(env).Json;
        var alarms = json.Resources("aws_cloudwatch_metric_alarm");
        alarms.ShouldNotBeEmpty();
        foreach (var (name, alarm) in alarms)
        {
            var periods = alarm["metric_query"] is JsonArray queries
                ? queries.Where(q => q!["metric"] is not null).Select(q => int.Parse(q.Str("metric.period")!, System.Globalization.CultureInfo.InvariantCulture))
                : [int.Parse(alarm.Str("period")!, System.Globalization.CultureInfo.InvariantCulture)];
            periods.ShouldAllBe(p => p <= 60, name);
            var topic = alarm.Str("region") == MonitoringStack.Route53MetricsRegion
                ? $"${{aws_sns_topic_policy.{json.Resources("aws_sns_topic_policy").Single(p => p.Body.Str("region") == "us-east-1").Name}.arn}}"
                : RegionalTopic(json);
            alarm["alarm_actions"].Strings().ShouldBe([topic], name);
            alarm["ok_actions"].Strings().ShouldBe([topic], name);
            if (alarm.Str("tags.Severity") == "Critical")
            {
                alarm.Str("datapoints_to_alarm").ShouldBe("1", name);
            }
            alarm.Str("alarm_name")!.ShouldStartWith($"easypay-{env}-");
            alarm["treat_missing_data"].ShouldNotBeNull(name);
        }
        var composite = json.Single("aws_cloudwatch_composite_alarm");
        composite.Str("alarm_name").ShouldBe($"easypay-{env}-database-degraded");
        composite["alarm_actions"].Strings().ShouldBe([RegionalTopic(json)]);
        composite["ok_actions"].Strings().ShouldBe([RegionalTopic(json)]);
    }

    [Fact]
    public void The_payment_failure_slo_alarm_is_metric_math_over_the_api_target_group()
    {
        var slo = Of("prod").Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == "easypay-prod-payment-failure-slo").Body;
        var queries = slo["metric_query"]!.AsArray();
        queries.Single(q => q.Str("return_data") == "true").Str("expression").ShouldBe("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)");
        queries.Where(q => q!["metric"] is not null).ShouldAllBe(q => q.Str("metric.dimensions.TargetGroup") == UpstreamOutputs.Cluster(Of("prod").Env).ApiTargetGroupArnSuffix);
        slo.Str("threshold").ShouldBe("0.5");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Thresholds_derive_from_the_environment_and_the_upstream_outputs(string env)
    {
        var s = Of(env);
        string Threshold(string suffix) => s.Json.Resources("aws_cloudwatch_metric_alarm")
            .Single(a => a.Body.Str("alarm_name") == $"easypay-{env}-{suffix}").Body.Str("threshold")!;
        var instanceClass = AuroraInstanceClass.Parse(s.Env.Database.InstanceClass);
        double.Parse(Threshold("db-writer-connections"), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(Math.Floor(UpstreamOutputs.Database(s.Env).MaxConnections * 0.8));
        double.Parse(Threshold("db-writer-freeable-memory"), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(Math.Round(instanceClass.MemoryGiB * 0.1 * 1024 * 1024 * 1024));
        // One node group per AZ, each with minSizePerAz nodes.
        Threshold("eks-node-count").ShouldBe((s.Env.Cluster.NodeGroup.MinSizePerAz * s.Env.AvailabilityZones.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hasReaders = s.Env.Database.ReaderCount > 0;
        s.Json.Resources("aws_cloudwatch_metric_alarm").Any(a => a.Body.Str("alarm_name") == $"easypay-{env}-db-replica-lag").ShouldBe(hasReaders);
    }

    [Fact]
    public void Nat_alarm_reads_every_nat_gateway_of_the_network_stack()
    {
        var prod = Of("prod");
        var nat = prod.Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == "easypay-prod-nat-port-allocation-errors").Body;
        var ids = nat["metric_query"]!.AsArray().Where(q => q!["metric"] is not null).Select(q => q.Str("metric.dimensions.NatGatewayId")!).ToList();
        ids.Count.ShouldBe(3); // perAz in prod
        ids.ShouldAllBe(id => id.StartsWith("${data.terraform_remote_state.", StringComparison.Ordinal));
        Of("dev").Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == "easypay-dev-nat-port-allocation-errors")
            .Body["metric_query"]!.AsArray().Count(q => q!["metric"] is not null).ShouldBe(1); // single NAT
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_alarm_topic_is_kms_encrypted_and_subscribes_the_configured_recipients(string env)
    {
        var s = Of(env);
        var topic = s.Json.Resources("aws_sns_topic").Single(t => t.Body["region"] is null).Body;
        topic.Str("name").ShouldBe($"easypay-{env}-alarms");
        topic.Str("kms_master_key_id")!.ShouldStartWith("${aws_kms_key.");
        var emails = s.Json.Resources("aws_sns_topic_subscription")
            .Where(x => x.Body["region"] is null && x.Body.Str("protocol") == "email").Select(x => x.Body.Str("endpoint")).ToList();
        emails.ShouldBe(s.Env.Monitoring.AlarmEmails, ignoreOrder: true);
        s.Json.Resources("aws_kms_key").ShouldAllBe(k => k.Body.Str("deletion_window_in_days") == (s.Env.Production ? "30" : "7"));
        // The exported ARN is the topic the alarms notify (through its policy, so subscribers wait for it).
        s.Json["output"]!["alarm_topic_arn"]!.Str("value").ShouldBe(RegionalTopic(s.Json));
    }

    [Fact]
    public void Rds_events_of_the_cluster_and_its_instances_go_to_the_topic()
    {
        var prod = Of("prod");
        var subscriptions = prod.Json.Resources("aws_db_event_subscription").Select(x => x.Body).ToList();
        subscriptions.ShouldAllBe(x => x.Str("sns_topic") == RegionalTopic(prod.Json));
        subscriptions.Single(x => x.Str("source_type") == "db-cluster")["source_ids"].Strings().ShouldBe(["easypay-prod"]);
        subscriptions.Single(x => x.Str("source_type") == "db-instance")["source_ids"].Strings()
            .ShouldBe(UpstreamOutputs.Database(prod.Env).InstanceIdentifiers);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_monitoring_stack_owns_no_log_group(string env)
    {
        // The Container Insights groups belong to the cluster stack, which creates them before the add-on
        // writes; a second owner here failed the apply with ResourceAlreadyExistsException.
        Of(env).Json.Resources("aws_cloudwatch_log_group").ShouldBeEmpty();
        // ... and so no logs key either: its only keys encrypt its topics and the maintenance page's bucket.
        Of(env).Json.Resources("aws_kms_key").Count.ShouldBe(Of(env).Json.Resources("aws_sns_topic").Count + Of(env).Json.Resources("aws_s3_bucket").Count);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_dashboard_is_named_after_the_environment_and_linked_from_the_outputs(string env)
    {
        var s = Of(env);
        var dashboard = s.Json.Single("aws_cloudwatch_dashboard");
        dashboard.Str("dashboard_name").ShouldBe($"easypay-{env}");
        var widgets = JsonNode.Parse(dashboard.Str("dashboard_body")!)!["widgets"]!.AsArray();
        widgets[0].Str("type").ShouldBe("alarm");
        widgets[0]!["properties"]!["alarms"].Strings().Count
            .ShouldBe(s.Json.Resources("aws_cloudwatch_metric_alarm").Count(a => a.Body["region"] is null) + 1); // + database-degraded
        s.Outputs.DashboardName.ShouldBe($"easypay-{env}");
        s.Outputs.DashboardUrl.ShouldBe($"https://{s.Env.Region}.console.aws.amazon.com/cloudwatch/home?region={s.Env.Region}#dashboards:name=easypay-{env}");
        s.Json["output"]!["dashboard_url"]!.Str("value").ShouldBe(s.Outputs.DashboardUrl);
    }

    [Fact]
    public void With_a_dns_zone_the_record_fails_over_to_the_maintenance_page_and_the_health_check_is_alarmed_in_us_east_1()
    {
        var prod = Of("prod");
        var dns = prod.Env.Monitoring.Dns.ShouldNotBeNull();
        var check = prod.Json.Single("aws_route53_health_check");
        (check.Str("fqdn"), check.Str("type"), check.Str("resource_path"), check.Str("request_interval"))
            .ShouldBe((UpstreamOutputs.Cluster(prod.Env).AlbDnsName, "HTTPS", "/health/deep", "10"));
        // The path the platform stack has nginx serve (frontend → backend → database), not nginx's own /health.
        check.Str("resource_path").ShouldBe(EasyPay.Tf.Modules.Platform.EasypayDeepHealthCheckValues.DefaultPath);
        var records = prod.Json.Resources("aws_route53_record").Select(r => r.Body).ToList();
        records.Select(r => r.Str("failover_routing_policy.type")).ShouldBe(["PRIMARY", "SECONDARY"], ignoreOrder: true);
        records.ShouldAllBe(r => r.Str("name") == dns.RecordName && r.Str("zone_id") == dns.HostedZoneId);
        // The page's bucket waits in the DR region; CloudFront serves the record name with the us-east-1 certificate.
        prod.Json.Single("aws_s3_bucket").Str("bucket").ShouldBe("easypay-prod-maintenance-333344445555");
        prod.Json.Single("aws_s3_bucket").Str("region").ShouldBe(prod.Env.DisasterRecovery!.Region);
        prod.Json.Single("aws_s3_bucket").Str("force_destroy").ShouldBe("false");
        var distribution = prod.Json.Single("aws_cloudfront_distribution");
        distribution["aliases"].Strings().ShouldBe([dns.RecordName]);
        distribution.Str("viewer_certificate.acm_certificate_arn").ShouldBe(UpstreamOutputs.Account(prod.Env).MaintenanceCertificateArn);
        prod.Json.Single("aws_s3_object").Str("content")
            .ShouldBe(File.ReadAllText(Path.Combine(RepoPaths.Root, MonitoringStack.MaintenancePagePath)));

        var alarm = prod.Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == "easypay-prod-dns-health-check").Body;
        alarm.Str("region").ShouldBe("us-east-1");
        alarm.Str("dimensions.HealthCheckId")!.ShouldStartWith("${aws_route53_health_check.");
        var usTopic = prod.Json.Resources("aws_sns_topic").Single(t => t.Body.Str("region") == "us-east-1").Body;
        usTopic.Str("name").ShouldBe("easypay-prod-dns-alarms");
        prod.Json.Resources("aws_kms_key").Count(k => k.Body.Str("region") == "us-east-1").ShouldBe(1);
        prod.Outputs.HealthCheckId.ShouldNotBeNull();
        prod.Outputs.MaintenanceBucketName.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("dev")]
    public void Without_a_dns_zone_no_dns_resources_exist(string env)
    {
        var s = Of(env);
        s.Env.Monitoring.Dns.ShouldBeNull();
        s.Json.AllResources().Select(r => r.Type).ShouldAllBe(t => !t.StartsWith("aws_route53", StringComparison.Ordinal) && !t.StartsWith("aws_s3", StringComparison.Ordinal));
        s.Json.Resources("aws_cloudwatch_metric_alarm").ShouldAllBe(a => a.Body["region"] == null);
        s.Outputs.HealthCheckId.ShouldBeNull();
        s.Outputs.MaintenanceBucketName.ShouldBeNull();
    }

    [Fact]
    public void A_dev_zone_gets_the_account_stacks_certificate_so_checks_go_over_https_and_the_bucket_can_be_destroyed()
    {
        var env = TestEnvironments.Repository("dev") with
        {
            Monitoring = new MonitoringConfig { AlarmEmails = [], Dns = new DnsConfig { HostedZoneId = "Z0123456789DEVZONE", RecordName = "pay.dev.easypay.example" } },
        };
        var json = MonitoringTestInputs.Synth(env)["dev-monitoring"];
        json.Single("aws_route53_health_check").Str("type").ShouldBe("HTTPS");
        json.Single("aws_s3_bucket").Str("force_destroy").ShouldBe("true");
    }

    [Fact]
    public void No_machine_specific_path_reaches_the_synthesized_json()
    {
        foreach (var env in new[] { "dev", "prod" })
        {
            var text = Of(env).Json.ToJsonString();
            text.ShouldNotContain(RepoPaths.Root);
            text.ShouldNotContain(Path.GetTempPath());
        }
    }

    [Fact]
    public void Every_environment_has_its_monitoring_stack()
    {
        foreach (var env in new[] { "dev", "staging", "prod" })
        {
            SynthesizedApp.Repository.StackIds.ShouldContain($"{env}-monitoring");
            Of(env).Json["provider"]!["aws"]![0]!["default_tags"]![0]!["tags"]!.Str("Stack").ShouldBe(MonitoringStack.Name);
        }
    }

    [Theory]
    [InlineData("dev", "CountedRequests")]
    [InlineData("prod", "BlockedRequests")]
    public void Waf_alarms_read_the_web_acl_from_the_cluster_stack_and_watch_its_mode(string env, string metric)
    {
        var s = Of(env);
        var spike = s.Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == $"easypay-{env}-waf-blocked-spike").Body;
        var inputs = spike["metric_query"]!.AsArray().Where(q => q!["metric"] is not null).Select(q => q!["metric"]!).ToList();
        inputs.Select(m => m.Str("dimensions.Rule")).ShouldBe(UpstreamOutputs.Cluster(s.Env).WafRuleMetricNames, ignoreOrder: true);
        inputs.ShouldAllBe(m => m.Str("metric_name") == metric && m.Str("namespace") == "AWS/WAFV2" && m.Str("dimensions.Region") == "eu-west-1");
        var rate = s.Json.Resources("aws_cloudwatch_metric_alarm").Single(a => a.Body.Str("alarm_name") == $"easypay-{env}-waf-api-rate-limited").Body;
        (rate.Str("metric_name"), rate.Str("dimensions.Rule"), rate.Str("period"), rate.Str("evaluation_periods")).ShouldBe((metric, $"easypay-{env}-api-rate", "60", "1"));
    }
}
