using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Network;

public class MultiAzVpcTests
{
    private static readonly string[] Azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    private static MultiAzVpcProps Props(int azCount = 3) =>
        new("easypay-test", "10.40.0.0/16", Azs[..azCount]);

    private static JsonObject Synth(MultiAzVpcProps props) =>
        ConstructSynth.Stack((stack, _) => new MultiAzVpc(stack, "vpc", props));

    [Fact]
    public void Per_az_nat_puts_a_nat_gateway_in_every_az_and_routes_each_private_subnet_to_its_own()
    {
        var json = Synth(Props() with { NatGateways = NatGatewayMode.PerAz });
        var nats = json.Resources("aws_nat_gateway");
        nats.Count.ShouldBe(3);
        json.Resources("aws_eip").Count.ShouldBe(3);
        var privateRoutes = json.Resources("aws_route").Where(r => r.Body["nat_gateway_id"] is not null).ToList();
        privateRoutes.Count.ShouldBe(3);
        privateRoutes.Select(r => r.Body.Str("nat_gateway_id")).Distinct().Count().ShouldBe(3);
        // private route table i -> NAT i: the route of "private-1" points at "nat-1"
        privateRoutes.Single(r => r.Name.Contains("private-1", StringComparison.Ordinal)).Body.Str("nat_gateway_id")!
            .ShouldContain(nats.Single(n => n.Name.Contains("nat-1", StringComparison.Ordinal)).Name);
    }

    [Fact]
    public void Single_nat_mode_shares_one_nat_gateway()
    {
        var json = Synth(Props() with { NatGateways = NatGatewayMode.Single });
        json.Resources("aws_nat_gateway").Count.ShouldBe(1);
        json.Resources("aws_eip").Count.ShouldBe(1);
        var targets = json.Resources("aws_route").Select(r => r.Body.Str("nat_gateway_id")).Where(t => t is not null).ToList();
        targets.Count.ShouldBe(3);
        targets.Distinct().Count().ShouldBe(1);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_tier_gets_one_subnet_per_az(int azCount)
    {
        var json = Synth(Props(azCount));
        var subnets = json.Resources("aws_subnet").Select(s => s.Body).ToList();
        subnets.Count.ShouldBe(3 * azCount);
        foreach (var tier in new[] { "public", "private", "data" })
        {
            subnets.Where(s => s.Str("tags.Tier") == tier).Select(s => s.Str("availability_zone")).ShouldBe(Azs[..azCount], ignoreOrder: true);
        }
        subnets.ShouldAllBe(s => s.Str("map_public_ip_on_launch") == "false");
    }

    [Fact]
    public void Data_subnets_have_no_route_to_the_internet()
    {
        var json = Synth(Props());
        var dataRt = json.Resources("aws_route_table").Single(r => r.Body.Str("tags.Name") == "easypay-test-data").Name;
        json.Resources("aws_route").ShouldNotContain(r => r.Body.Str("route_table_id")!.Contains(dataRt, StringComparison.Ordinal));
        var dataAssociations = json.Resources("aws_route_table_association").Where(a => a.Name.StartsWith("vpc_data-", StringComparison.Ordinal)).ToList();
        dataAssociations.Count.ShouldBe(3);
        dataAssociations.ShouldAllBe(a => a.Body.Str("route_table_id")!.Contains(dataRt, StringComparison.Ordinal));
    }

    [Fact]
    public void Subnets_carry_the_load_balancer_discovery_tags()
    {
        var json = Synth(Props() with { KubernetesClusterName = "easypay-test" });
        var subnets = json.Resources("aws_subnet").Select(s => s.Body).ToList();
        subnets.Where(s => s.Str("tags.Tier") == "public").ShouldAllBe(s => s["tags"]!["kubernetes.io/role/elb"]!.ToString() == "1");
        subnets.Where(s => s.Str("tags.Tier") == "private").ShouldAllBe(s => s["tags"]!["kubernetes.io/role/internal-elb"]!.ToString() == "1");
        subnets.Where(s => s.Str("tags.Tier") != "data").ShouldAllBe(s => s["tags"]!["kubernetes.io/cluster/easypay-test"]!.ToString() == "shared");
        subnets.Where(s => s.Str("tags.Tier") == "data").ShouldAllBe(s => s["tags"]!["kubernetes.io/cluster/easypay-test"] == null);
    }

    [Fact]
    public void Interface_endpoints_can_be_switched_off_but_the_s3_gateway_endpoint_stays()
    {
        var on = Synth(Props() with { InterfaceEndpoints = true });
        var onEndpoints = on.Resources("aws_vpc_endpoint").Select(e => e.Body).ToList();
        onEndpoints.Where(e => e.Str("vpc_endpoint_type") == "Interface").Select(e => e.Str("service_name"))
            .ShouldBe(MultiAzVpcProps.DefaultInterfaceEndpointServices.Select(s => $"com.amazonaws.eu-west-1.{s}"), ignoreOrder: true);
        onEndpoints.Where(e => e.Str("vpc_endpoint_type") == "Interface").ShouldAllBe(e => e.Str("private_dns_enabled") == "true");
        var https = on.Single("aws_vpc_security_group_ingress_rule");
        (https.Str("from_port"), https.Str("to_port"), https.Str("cidr_ipv4")).ShouldBe(("443", "443", "10.40.0.0/16"));

        var off = Synth(Props() with { InterfaceEndpoints = false });
        off.Resources("aws_vpc_endpoint").Select(e => e.Body.Str("vpc_endpoint_type")).ShouldBe(["Gateway"]);
        off.Resources("aws_security_group").ShouldBeEmpty();
    }

    [Fact]
    public void The_s3_gateway_endpoint_serves_private_and_data_route_tables()
    {
        var json = Synth(Props());
        var s3 = json.Resources("aws_vpc_endpoint").Single(e => e.Body.Str("vpc_endpoint_type") == "Gateway").Body;
        s3.Str("service_name").ShouldBe("com.amazonaws.eu-west-1.s3");
        s3["route_table_ids"].Strings().Count.ShouldBe(4); // 3 private + 1 data
    }

    [Fact]
    public void The_default_security_group_is_stripped_of_all_rules()
    {
        var sg = Synth(Props()).Single("aws_default_security_group");
        sg["ingress"].ShouldBeNull();
        sg["egress"].ShouldBeNull();
    }

    [Fact]
    public void Flow_logs_go_to_a_kms_encrypted_log_group_with_retention()
    {
        var json = Synth(Props() with { FlowLogRetentionDays = 90 });
        var group = json.Single("aws_cloudwatch_log_group");
        group.Str("name").ShouldBe("/aws/vpc/easypay-test/flow-logs");
        group.Str("retention_in_days").ShouldBe("90");
        group.Str("kms_key_id")!.ShouldStartWith("${aws_kms_key.");
        json.Single("aws_kms_key").Str("enable_key_rotation").ShouldBe("true");
        var flowLog = json.Single("aws_flow_log");
        flowLog.Str("traffic_type").ShouldBe("ALL");
        flowLog.Str("max_aggregation_interval").ShouldBe("60");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new MultiAzVpcProps("easypay-test", "10.40.0.0/24", ["eu-west-1a", "us-east-1b", "eu-west-1a", "eu-west-1c"])
        {
            FlowLogRetentionDays = 42,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("MultiAzVpcProps.Cidr: 10.40.0.0/24 must have a prefix between /16 and /20");
        message.ShouldContain("MultiAzVpcProps.AvailabilityZones: 4 given");
        message.ShouldContain("MultiAzVpcProps.AvailabilityZones: contains duplicates");
        message.ShouldContain("MultiAzVpcProps.AvailabilityZones: 'us-east-1b' is not in the stack's region eu-west-1");
        message.ShouldContain("MultiAzVpcProps.FlowLogRetentionDays: 42 is not a CloudWatch Logs retention period");
    }

    /// <summary>Statements of an endpoint's policy as (Sid, Action, Resource, conditions "key=value").</summary>
    private static List<(string? Sid, string Action, string Resource, string Conditions)> Policy(JsonObject endpoint)
    {
        var document = JsonNode.Parse(endpoint.Str("policy")!)!.AsObject();
        return [.. document["Statement"]!.AsArray().Select(s => s!.AsObject()).Select(s =>
        {
            s["Effect"]!.ToString().ShouldBe("Allow");
            s["Principal"]!.ToString().ShouldBe("*");
            var conditions = s["Condition"]?["StringEquals"]?.AsObject().Select(kv => $"{kv.Key}={kv.Value}") ?? [];
            return (s["Sid"]?.ToString(), s["Action"]!.ToJsonString(), s["Resource"]!.ToJsonString(), string.Join(",", conditions));
        })];
    }

    [Fact]
    public void The_s3_gateway_endpoint_admits_this_accounts_buckets_and_reads_of_the_image_layer_buckets_only()
    {
        var s3 = Synth(Props()).Resources("aws_vpc_endpoint").Single(e => e.Body.Str("vpc_endpoint_type") == "Gateway").Body;
        // ECR user guide, "Amazon ECR interface VPC endpoints": s3:GetObject on prod-REGION-starport-layer-bucket;
        // registry.k8s.io: cmd/archeio/internal/app/buckets.go maps eu-west-1 to prod-registry-k8s-io-eu-west-1.
        Policy(s3).ShouldBe(
            [
                ("OwnAccountBuckets", "\"*\"", "\"*\"", $"aws:PrincipalAccount={ConstructSynth.AccountId},aws:ResourceAccount={ConstructSynth.AccountId}"),
                ("EcrImageLayers", "\"s3:GetObject\"", "\"arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*\"", ""),
                ("KubernetesRegistryImageLayers", "\"s3:GetObject\"", "\"arn:aws:s3:::prod-registry-k8s-io-eu-west-1/*\"", ""),
            ]);
    }

    [Fact]
    public void Interface_endpoints_admit_this_accounts_principals_and_sts_also_web_identities_for_its_roles()
    {
        var interfaces = Synth(Props()).Resources("aws_vpc_endpoint").Select(e => e.Body).Where(e => e.Str("vpc_endpoint_type") == "Interface").ToList();
        interfaces.Count.ShouldBe(MultiAzVpcProps.DefaultInterfaceEndpointServices.Count);
        var own = ("OwnAccountPrincipals", "\"*\"", "\"*\"", $"aws:PrincipalAccount={ConstructSynth.AccountId}");
        foreach (var endpoint in interfaces.Where(e => e.Str("service_name") != "com.amazonaws.eu-west-1.sts"))
        {
            Policy(endpoint).ShouldBe([own], endpoint.Str("service_name"));
        }
        // IAM user guide, "Control access to AWS STS with VPC endpoint policies": AssumeRoleWithWebIdentity callers
        // carry no aws:PrincipalAccount, so they are admitted by the role they assume.
        Policy(interfaces.Single(e => e.Str("service_name") == "com.amazonaws.eu-west-1.sts")).ShouldBe(
            [own, ("WebIdentityToOwnRoles", "\"sts:AssumeRoleWithWebIdentity\"", $"\"arn:aws:iam::{ConstructSynth.AccountId}:role/*\"", "")]);
    }

    [Theory]
    [InlineData("eu-west-1", "prod-registry-k8s-io-eu-west-1")]
    [InlineData("eu-central-1", "prod-registry-k8s-io-eu-central-1")]
    [InlineData("eu-west-2", "767373bbdcb8270361b96548387bf2a9ad0d48758c35-eu-west-2")]
    public void The_kubernetes_registry_bucket_is_the_one_archeio_redirects_the_region_to(string region, string bucket) =>
        MultiAzVpc.KubernetesRegistryBucket(region).ShouldBe(bucket);
}
