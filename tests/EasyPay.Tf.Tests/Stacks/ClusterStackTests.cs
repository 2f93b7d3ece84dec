using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>&lt;env&gt;-cluster of every environment composed with its real network stack: dev (cheap, local
/// state, HTTP only), staging and prod (protected, Terraform Cloud, HTTPS). Synthesized once for the class.</summary>
public class ClusterStackTests
{
    private static readonly Lazy<(IReadOnlyDictionary<string, JsonObject> Json, IReadOnlyDictionary<string, ClusterOutputs> Outputs)> Synthesized = new(() =>
    {
        var outputs = new Dictionary<string, ClusterOutputs>();
        var json = AppSynth.Run(app =>
        {
            foreach (var env in TestEnvironments.All)
            {
                var network = new NetworkStack(app, env);
                outputs[env.Name] = new ClusterStack(app, env, UpstreamOutputs.Account(env), network.Outputs).Outputs;
            }
        });
        return (json, outputs);
    });

    private static JsonObject Stack(string env) => (JsonObject)Synthesized.Value.Json[$"{env}-cluster"].DeepClone();

    private static EnvironmentConfig Env(string env) => TestEnvironments.Repository(env);

    private static JsonObject Named(JsonObject json, string type, string field, string value) =>
        json.Resources(type).Single(r => r.Body.Str(field) == value).Body;

    [Theory]
    [InlineData("dev", "local")]
    [InlineData("staging", "remote")]
    [InlineData("prod", "remote")]
    public void The_cluster_reads_the_network_through_remote_state(string env, string backend)
    {
        var json = Stack(env);
        var lookup = json.DataSources("terraform_remote_state").ShouldHaveSingleItem();
        lookup.Body.Str("backend").ShouldBe(backend);
        var prefix = $"${{data.terraform_remote_state.{lookup.Name}.outputs.";
        var cluster = json.Single("aws_eks_cluster");
        cluster["vpc_config"]!["subnet_ids"].Strings().Count.ShouldBe(Env(env).AvailabilityZones.Count);
        cluster["vpc_config"]!["subnet_ids"].Strings().ShouldAllBe(s => s.StartsWith(prefix, StringComparison.Ordinal));
        json.Single("aws_lb")["subnets"].Strings().ShouldAllBe(s => s.StartsWith(prefix, StringComparison.Ordinal));
        // One node group per AZ, each in that AZ's private subnet (the cluster's subnets, in AZ order).
        json.Resources("aws_eks_node_group").Select(g => g.Body["subnet_ids"].Strings().Single()).ShouldBe(cluster["vpc_config"]!["subnet_ids"].Strings());
        // The volume key names the Auto Scaling service-linked role the account stack creates first.
        var volumeKey = json.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("Root volumes", StringComparison.Ordinal)).Body;
        volumeKey.Str("policy")!.ShouldContain(UpstreamOutputs.Account(Env(env)).AutoScalingServiceLinkedRoleArn);
        // The network exports exactly the outputs the cluster reads through that lookup.
        var read = System.Text.RegularExpressions.Regex.Matches(json.ToJsonString(), $@"data\.terraform_remote_state\.{System.Text.RegularExpressions.Regex.Escape(lookup.Name)}\.outputs\.([A-Za-z0-9_-]+)")
            .Select(m => m.Groups[1].Value).Distinct();
        Synthesized.Value.Json[$"{env}-network"]["output"]!.AsObject().Select(o => o.Key).ShouldBe(read, ignoreOrder: true);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_cluster_runs_the_configured_versions_sizes_and_api_cidrs(string env)
    {
        var config = Env(env).Cluster;
        var json = Stack(env);
        var cluster = json.Single("aws_eks_cluster");
        cluster.Str("name").ShouldBe($"easypay-{env}");
        cluster.Str("version").ShouldBe(config.KubernetesVersion);
        cluster["vpc_config"]!["public_access_cidrs"].Strings().ShouldBe(config.PublicAccessCidrs);
        json.Resources("aws_eks_addon").Select(a => (a.Body.Str("addon_name"), a.Body.Str("addon_version"))).ShouldBe(
            [
                ("vpc-cni", config.Addons.VpcCni),
                ("kube-proxy", config.Addons.KubeProxy),
                ("coredns", config.Addons.CoreDns),
                ("aws-ebs-csi-driver", config.Addons.EbsCsiDriver),
                ("amazon-cloudwatch-observability", ClusterStack.CloudWatchObservabilityVersion),
            ],
            ignoreOrder: true);
        var groups = json.Resources("aws_eks_node_group").Select(g => g.Body).ToList();
        groups.Select(g => g.Str("node_group_name_prefix")).ShouldBe(Env(env).AvailabilityZones.Select(az => $"easypay-{env}-general-{az[^2..]}-"));
        foreach (var group in groups)
        {
            (group.Str("scaling_config.min_size"), group.Str("scaling_config.desired_size"), group.Str("scaling_config.max_size"))
                .ShouldBe((config.NodeGroup.MinSizePerAz.ToString(), config.NodeGroup.DesiredSizePerAz.ToString(), config.NodeGroup.MaxSizePerAz.ToString()));
            group["instance_types"].Strings().ShouldBe(config.NodeGroup.InstanceTypes);
            // The environment file's spelling is the EKS API's (CreateNodegroup capacityType: ON_DEMAND | SPOT).
            group.Str("capacity_type").ShouldBe(env == "dev" ? "SPOT" : "ON_DEMAND");
        }
        json.Single("aws_launch_template").Str("block_device_mappings.0.ebs.volume_size").ShouldBe(config.NodeGroup.DiskSizeGiB.ToString());
    }

    [Fact]
    public void Prod_keeps_the_old_auto_scaling_groups_capacity_spread_over_one_group_per_az()
    {
        var groups = Stack("prod").Resources("aws_eks_node_group").Select(g => g.Body).ToList();
        groups.Count.ShouldBe(3);
        groups.Sum(g => int.Parse(g.Str("scaling_config.min_size")!)).ShouldBe(3);
        groups.Sum(g => int.Parse(g.Str("scaling_config.max_size")!)).ShouldBe(9);
        Synthesized.Value.Outputs["prod"].NodeGroupMinSize.ShouldBe(3);
    }

    [Fact]
    public void Networking_addons_precede_the_nodes_and_the_rest_wait_for_them()
    {
        var json = Stack("prod");
        var groups = json.Resources("aws_eks_node_group");
        var addons = json.Resources("aws_eks_addon").ToDictionary(a => a.Body.Str("addon_name")!, a => a);
        foreach (var (early, group) in new[] { "vpc-cni", "kube-proxy" }.SelectMany(e => groups.Select(g => (e, g))))
        {
            group.Body["depends_on"].Strings().ShouldContain($"aws_eks_addon.{addons[early].Name}");
        }
        foreach (var (late, group) in new[] { "coredns", "aws-ebs-csi-driver", "amazon-cloudwatch-observability" }.SelectMany(l => groups.Select(g => (l, g))))
        {
            addons[late].Body["depends_on"].Strings().ShouldContain($"aws_eks_node_group.{group.Name}");
        }
        addons["aws-ebs-csi-driver"].Body.Str("service_account_role_arn").ShouldBe($"${{aws_iam_role.{Role(json, "ebs-csi-driver").Name}.arn}}");
    }

    private static (string Name, JsonObject Body) Role(JsonObject json, string suffix) =>
        json.Resources("aws_iam_role").Single(r => r.Body.Str("name")!.EndsWith("-" + suffix, StringComparison.Ordinal));

    public static TheoryData<string, string> ServiceAccounts() => new()
    {
        { "aws-load-balancer-controller", "system:serviceaccount:kube-system:aws-load-balancer-controller" },
        { "cluster-autoscaler", "system:serviceaccount:kube-system:cluster-autoscaler" },
        // The controller's own account in its namespace (chart 0.19.2 values.yaml serviceAccount.name), not one in
        // the app namespace where developers create pods.
        { "external-secrets", "system:serviceaccount:external-secrets:external-secrets" },
        { "backend", "system:serviceaccount:easypay:easypay-backend" },
        { "velero", "system:serviceaccount:velero:velero-server" },
        { "ebs-csi-driver", "system:serviceaccount:kube-system:ebs-csi-controller-sa" },
        { "cloudwatch-agent", "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent" },
    };

    [Theory]
    [MemberData(nameof(ServiceAccounts))]
    public void Each_irsa_role_trusts_exactly_the_service_account_its_chart_uses(string role, string subject)
    {
        var body = Role(Stack("prod"), role).Body;
        body.Str("name").ShouldBe($"easypay-prod-{role}");
        var condition = JsonNode.Parse(body.Str("assume_role_policy")!)!["Statement"]![0]!["Condition"]!["StringEquals"]!.AsObject();
        condition.Single(kv => kv.Key.EndsWith(":sub", StringComparison.Ordinal)).Value!.ToString().ShouldBe(subject);
        condition.Single(kv => kv.Key.EndsWith(":aud", StringComparison.Ordinal)).Value!.ToString().ShouldBe("sts.amazonaws.com");
    }

    /// <summary>Developers may create pods only in the app namespace (the chart's Role; the cluster stack grants them no
    /// other Kubernetes rights), so every IRSA role but the admission-guarded backend's trusts a service account elsewhere.</summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void No_irsa_role_but_the_guarded_backends_trusts_a_service_account_in_the_app_namespace(string env)
    {
        var subjects = Stack(env).Resources("aws_iam_role")
            .Select(r => JsonNode.Parse(r.Body.Str("assume_role_policy")!)!["Statement"]![0]!)
            .Where(s => s.Str("Action") == "sts:AssumeRoleWithWebIdentity" && s.Str("Principal.Federated")!.Contains("aws_iam_openid_connect_provider", StringComparison.Ordinal))
            .Select(s => s["Condition"]!["StringEquals"]!.AsObject().Single(kv => kv.Key.EndsWith(":sub", StringComparison.Ordinal)).Value!.ToString())
            .ToList();
        subjects.Count.ShouldBeGreaterThan(5);
        subjects.Where(s => s.StartsWith($"system:serviceaccount:{PlatformContract.AppNamespace}:", StringComparison.Ordinal))
            .ShouldBe([$"system:serviceaccount:{PlatformContract.BackendAccount.Namespace}:{PlatformContract.BackendAccount.Name}"]);
    }

    [Fact]
    public void External_secrets_reads_only_the_applications_own_secrets_and_the_backend_role_gets_its_permission_from_the_database_stack()
    {
        var json = Stack("prod");
        var policy = JsonNode.Parse(json.Resources("aws_iam_role_policy").Single(p => p.Body.Str("name") == "easypay-prod-external-secrets").Body.Str("policy")!)!;
        var statements = policy["Statement"]!.AsArray();
        statements[0]!["Action"].Strings().ShouldBe(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        statements[0]!.Str("Resource").ShouldBe("arn:aws:secretsmanager:eu-west-1:333344445555:secret:easypay-prod/app/*");
        statements[1]!.Str("Condition.StringEquals.kms:ViaService").ShouldBe("secretsmanager.eu-west-1.amazonaws.com");
        statements[1]!.Str("Condition.ArnLike.kms:EncryptionContext:SecretARN").ShouldBe("arn:aws:secretsmanager:eu-west-1:333344445555:secret:easypay-prod/app/*");
        json.ToJsonString().ShouldNotContain("rds!");

        var backend = Role(json, "backend").Name;
        json.Resources("aws_iam_role_policy").ShouldNotContain(p => p.Body.Str("role")!.Contains(backend, StringComparison.Ordinal));
        json.Resources("aws_iam_role_policy_attachment").ShouldNotContain(p => p.Body.Str("role")!.Contains(backend, StringComparison.Ordinal));
        json["output"]!["backend_role_name"]!.Str("value").ShouldBe($"${{aws_iam_role.{backend}.name}}");
    }

    [Fact]
    public void The_load_balancer_controller_may_register_only_into_this_environments_target_groups()
    {
        var json = Stack("prod");
        var policy = JsonNode.Parse(json.Resources("aws_iam_role_policy").Single(p => p.Body.Str("name") == "easypay-prod-aws-load-balancer-controller").Body.Str("policy")!)!;
        var register = policy["Statement"]!.AsArray().Single(s => s!.Str("Sid") == "RegisterPodsInOwnTargetGroups")!;
        register["Resource"].Strings().ShouldBe(
            json.Resources("aws_lb_target_group").Select(t => $"${{aws_lb_target_group.{t.Name}.arn}}"), ignoreOrder: true);
    }

    [Fact]
    public void Admins_and_the_platform_deployer_get_cluster_admin_and_developers_only_their_kubernetes_group()
    {
        var config = UpstreamOutputs.Account(Env("prod"));
        var json = Stack("prod");
        Named(json, "aws_eks_access_entry", "principal_arn", config.DeveloperRoleArn)["kubernetes_groups"].Strings().ShouldBe(["easypay-developers"]);
        var associations = json.Resources("aws_eks_access_policy_association").Select(a => a.Body).ToList();
        // arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy (EKS user guide, access-policy-reference).
        associations.ShouldAllBe(a => a.Str("policy_arn") == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && a.Str("access_scope.type") == "cluster");
        // bootstrap_cluster_creator_admin_permissions is false: whoever applies <env>-platform needs its own entry.
        foreach (var principal in new[] { config.AdminRoleArn, config.DeployerRoleArn })
        {
            var entry = json.Resources("aws_eks_access_entry").Single(e => e.Body.Str("principal_arn") == principal).Name;
            associations.ShouldContain(a => a.Str("principal_arn")!.Contains(entry, StringComparison.Ordinal));
        }
        associations.Count.ShouldBe(2);
        Synthesized.Value.Outputs["prod"].DeveloperGroup.ShouldBe("easypay-developers");
    }

    [Fact]
    public void Prod_is_protected_and_serves_https()
    {
        var json = Stack("prod");
        json.Single("aws_eks_cluster").Str("deletion_protection").ShouldBe("true");
        json.Single("aws_lb").Str("enable_deletion_protection").ShouldBe("true");
        var velero = Named(json, "aws_s3_bucket", "bucket", "easypay-prod-velero-333344445555");
        (velero.Str("force_destroy"), velero.Str("lifecycle.prevent_destroy")).ShouldBe(("false", "true"));
        json.Resources("aws_kms_key").ShouldAllBe(k => k.Body.Str("deletion_window_in_days") == "30" && k.Body.Str("enable_key_rotation") == "true");
        json.Resources("aws_lb_listener").Select(l => (l.Body.Str("port"), l.Body.Str("protocol"))).ShouldBe([("443", "HTTPS"), ("80", "HTTP")], ignoreOrder: true);
        json.Resources("aws_cloudwatch_log_group").ShouldAllBe(g => g.Body.Str("retention_in_days") == "365");
    }

    [Fact]
    public void Dev_is_cheap_to_destroy_and_serves_http_only()
    {
        var json = Stack("dev");
        json.Single("aws_eks_cluster").Str("deletion_protection").ShouldBe("false");
        json.Single("aws_lb").Str("enable_deletion_protection").ShouldBe("false");
        json.Resources("aws_s3_bucket").ShouldAllBe(b => b.Body.Str("force_destroy") == "true" && b.Body["lifecycle"] == null);
        json.Resources("aws_kms_key").ShouldAllBe(k => k.Body.Str("deletion_window_in_days") == "7");
        json.Single("aws_lb_listener").Str("protocol").ShouldBe("HTTP");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_resource_name_carries_the_environment_prefix(string env)
    {
        var json = Stack(env);
        var named = new[] { ("aws_iam_role", "name"), ("aws_security_group", "name"), ("aws_lb", "name"), ("aws_lb_target_group", "name"), ("aws_s3_bucket", "bucket"), ("aws_launch_template", "name"), ("aws_eks_node_group", "node_group_name_prefix"), ("aws_wafv2_web_acl", "name") };
        foreach (var (type, field) in named)
        {
            json.Resources(type).ShouldAllBe(r => r.Body.Str(field)!.StartsWith($"easypay-{env}-", StringComparison.Ordinal));
        }
        json.Resources("aws_kms_alias").ShouldAllBe(a => a.Body.Str("name")!.StartsWith($"alias/easypay-{env}-", StringComparison.Ordinal));
        // Every Container Insights group the add-on writes to is owned here (amazon-cloudwatch-observability
        // chart 4.5.0 values.yaml: Fluent Bit's application/dataplane/host outputs; the agent's performance EMF).
        json.Resources("aws_cloudwatch_log_group").Select(g => g.Body.Str("name")).ShouldBe(
            [$"/aws/eks/easypay-{env}/cluster", .. new[] { "application", "dataplane", "host", "performance" }.Select(t => $"/aws/containerinsights/easypay-{env}/{t}"),
             // With Terraform Cloud: the agents' log group and their ECS cluster's Container Insights group.
             .. Env(env).TerraformCloud is null ? Array.Empty<string>() : [$"/easypay/easypay-{env}-tfc-agent", $"/aws/ecs/containerinsights/easypay-{env}-tfc-agent/performance"],
             // WAF logs only to groups named aws-waf-logs-... (AWS WAF developer guide, CloudWatch Logs destinations).
             $"aws-waf-logs-easypay-{env}"],
            ignoreOrder: true);
    }

    [Fact]
    public void Only_the_alb_accepts_traffic_from_the_internet_and_only_on_80_and_443()
    {
        var json = Stack("prod");
        var albSg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == "easypay-prod-alb").Name;
        var open = json.Resources("aws_vpc_security_group_ingress_rule").Where(r => r.Body.Str("cidr_ipv4") is not null).ToList();
        open.ShouldAllBe(r => r.Body.Str("cidr_ipv4") == "0.0.0.0/0" && r.Body.Str("security_group_id")!.Contains(albSg, StringComparison.Ordinal));
        open.Select(r => r.Body.Str("from_port")).ShouldBe(["80", "443"], ignoreOrder: true);
        json.Resources("aws_vpc_security_group_ingress_rule").Concat(json.Resources("aws_vpc_security_group_egress_rule"))
            .ShouldAllBe(r => !string.IsNullOrEmpty(r.Body.Str("description")));
    }

    [Fact]
    public void Every_cluster_output_is_exported()
    {
        var json = Stack("prod");
        var outputs = json["output"]!.AsObject();
        foreach (var name in new[]
        {
            "cluster_name", "cluster_endpoint", "cluster_certificate_authority_data", "oidc_provider_arn", "oidc_issuer",
            "node_security_group_id", "cluster_security_group_id", "alb_security_group_id", "load_balancer_controller_role_arn",
            "cluster_autoscaler_role_arn", "external_secrets_role_arn", "backend_role_arn", "backend_role_name", "velero_role_arn",
            "velero_bucket_name", "alb_arn", "alb_arn_suffix", "alb_dns_name", "alb_zone_id", "frontend_target_group_arn",
            "api_target_group_arn", "frontend_target_group_arn_suffix", "api_target_group_arn_suffix",
            "node_group_min_size", "developer_group", "application_log_group_name",
        })
        {
            outputs.ContainsKey(name).ShouldBeTrue(name);
        }
        outputs.Count.ShouldBe(typeof(ClusterOutputs).GetProperties().Length);
        var issuer = outputs["oidc_issuer"]!.Str("value")!;
        issuer.ShouldStartWith("${local.");
        json["locals"]![issuer[8..^1]]!.ToString().ShouldBe($"${{replace(aws_eks_cluster.{json.Resources("aws_eks_cluster")[0].Name}.identity[0].oidc[0].issuer, \"https://\", \"\")}}");
        outputs["alb_arn_suffix"]!.Str("value")!.ShouldEndWith(".arn_suffix}");
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Staging_and_prod_serve_https_only_with_the_pinned_tls_1_3_policy_and_redirect_http(string env)
    {
        var json = Stack(env);
        var listeners = json.Resources("aws_lb_listener").Select(l => l.Body).ToList();
        var https = listeners.Single(l => l.Str("protocol") == "HTTPS");
        // ELB user guide, "Security policies for your Application Load Balancer": TLS 1.3 + TLS 1.2 with restricted ciphers.
        https.Str("ssl_policy").ShouldBe("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
        https.Str("ssl_policy").ShouldBe(Env(env).Cluster.Ingress.SslPolicy);
        var http = listeners.Single(l => l.Str("protocol") == "HTTP");
        (http.Str("default_action.0.type"), http.Str("default_action.0.redirect.protocol"), http.Str("default_action.0.redirect.port"), http.Str("default_action.0.redirect.status_code"))
            .ShouldBe(("redirect", "HTTPS", "443", "HTTP_301"));
        listeners.Count.ShouldBe(2);
    }

    [Fact]
    public void Dev_serves_plain_http_as_its_file_says()
    {
        Env("dev").Cluster.Ingress.Protocol.ShouldBe(EasyPay.Tf.Stacks.Configuration.ListenerProtocol.Http);
        Stack("dev").Resources("aws_lb_listener").ShouldHaveSingleItem().Body.Str("protocol").ShouldBe("HTTP");
    }

    [Theory]
    [InlineData("dev", "count")]
    [InlineData("staging", "block")]
    [InlineData("prod", "block")]
    public void The_web_acl_guards_the_alb_in_the_environments_mode(string env, string ownAction)
    {
        var json = Stack(env);
        var alb = json.Resources("aws_lb").ShouldHaveSingleItem();
        var acl = json.Resources("aws_wafv2_web_acl").ShouldHaveSingleItem();
        var association = json.Single("aws_wafv2_web_acl_association");
        association.Str("resource_arn").ShouldBe($"${{aws_lb.{alb.Name}.arn}}");
        association.Str("web_acl_arn").ShouldBe($"${{aws_wafv2_web_acl.{acl.Name}.arn}}");
        json.Single("aws_wafv2_web_acl_logging_configuration").Str("resource_arn").ShouldBe($"${{aws_wafv2_web_acl.{acl.Name}.arn}}");
        var rate = acl.Body["rule"]!.AsArray().Single(r => r.Str("name") == $"easypay-{env}-api-rate")!;
        rate["action"]!.AsObject().Select(p => p.Key).ShouldBe([ownAction]);
        rate.Str("statement.rate_based_statement.limit").ShouldBe(Env(env).Cluster.Ingress.Waf.ApiRateLimitPer5Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
