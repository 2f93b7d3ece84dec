using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cache;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cache;

public class ValkeyReplicationGroupTests
{
    private static readonly string[] Azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    internal static ValkeyReplicationGroupProps Props(int replicas = 2) => new()
    {
        Name = "easypay-test",
        EngineVersion = "8.1",
        NodeType = "cache.r7g.large",
        ReplicaCount = replicas,
        AvailabilityZones = Azs,
        VpcId = "vpc-0test",
        SubnetIds = ["subnet-a", "subnet-b", "subnet-c"],
        ApplicationUserId = "easypay-test-app",
    };

    private static JsonObject Synth(ValkeyReplicationGroupProps props, Action<ValkeyReplicationGroup>? use = null) =>
        ConstructSynth.Stack((stack, _) =>
        {
            var cache = new ValkeyReplicationGroup(stack, "cache", props);
            use?.Invoke(cache);
        });

    [Fact]
    public void Replicas_spread_over_the_azs_with_multi_az_automatic_failover()
    {
        var group = Synth(Props(replicas: 2)).Single("aws_elasticache_replication_group");
        group.Str("engine").ShouldBe("valkey"); // provider: engine "redis" | "valkey", lower-case (replication_group.go)
        group.Str("num_cache_clusters").ShouldBe("3");
        // The first AZ gets the primary (provider docs, preferred_cache_cluster_azs).
        group["preferred_cache_cluster_azs"].Strings().ShouldBe(Azs);
        // The provider rejects multi_az_enabled without automatic_failover_enabled (replication_group.go CustomizeDiff).
        group.Str("automatic_failover_enabled").ShouldBe("true");
        group.Str("multi_az_enabled").ShouldBe("true");
        group["cluster_mode"].ShouldBeNull(); // cluster mode disabled: primary and reader endpoints
    }

    [Fact]
    public void More_replicas_than_azs_go_round_the_azs_and_a_single_node_has_no_failover()
    {
        Synth(Props(replicas: 4)).Single("aws_elasticache_replication_group")["preferred_cache_cluster_azs"].Strings()
            .ShouldBe(["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b"]);
        var single = Synth(Props(replicas: 0)).Single("aws_elasticache_replication_group");
        single.Str("num_cache_clusters").ShouldBe("1");
        single.Str("automatic_failover_enabled").ShouldBe("false");
        single.Str("multi_az_enabled").ShouldBe("false");
    }

    [Fact]
    public void Data_is_encrypted_at_rest_with_its_own_key_and_tls_is_required()
    {
        var json = Synth(Props());
        var group = json.Single("aws_elasticache_replication_group");
        var key = json.Resources("aws_kms_key").ShouldHaveSingleItem();
        group.Str("at_rest_encryption_enabled").ShouldBe("true");
        group.Str("kms_key_id").ShouldBe($"${{aws_kms_key.{key.Name}.arn}}"); // an ARN: the provider compares it with the API's KmsKeyId
        // transit_encryption_enabled must be set: the provider sends false when it is absent (replication_group.go).
        group.Str("transit_encryption_enabled").ShouldBe("true");
        group.Str("transit_encryption_mode").ShouldBe("required"); // provider: "preferred" | "required"
        key.Body.Str("enable_key_rotation").ShouldBe("true");
    }

    [Fact]
    public void The_application_authenticates_with_iam_and_the_default_user_is_switched_off()
    {
        var json = Synth(Props());
        var users = json.Resources("aws_elasticache_user").ToDictionary(u => u.Body.Str("user_name")!, u => u.Body);
        // IAM authentication: user id = user name (ElastiCache user guide, "Authenticating with IAM").
        users["easypay-test-app"].Str("user_id").ShouldBe("easypay-test-app");
        users["easypay-test-app"].Str("authentication_mode.type").ShouldBe("iam");
        users["easypay-test-app"].Str("access_string").ShouldBe("on ~* +@all -@dangerous +info");
        // A user group must hold a user named default (ElastiCache RBAC); "off" cannot authenticate.
        users["default"].Str("user_id").ShouldBe("easypay-test-default");
        users["default"].Str("access_string").ShouldStartWith("off ");
        users["default"].Str("authentication_mode.type").ShouldBe("no-password-required");
        users.Values.ShouldAllBe(u => u["passwords"] == null);
        // REDIS user groups admit a no-password user and serve Valkey clusters (ElastiCache RBAC); VALKEY groups do not.
        users.Values.ShouldAllBe(u => u.Str("engine") == "redis");
        var userGroup = json.Single("aws_elasticache_user_group");
        userGroup.Str("engine").ShouldBe("redis");
        userGroup["user_ids"].Strings().Count.ShouldBe(2);
        var group = json.Single("aws_elasticache_replication_group");
        group["user_group_ids"].Strings().ShouldHaveSingleItem().ShouldStartWith("${aws_elasticache_user_group.");
        group["auth_token"].ShouldBeNull();
    }

    [Fact]
    public void Grant_connect_allows_elasticache_connect_on_the_group_and_the_user_only()
    {
        var json = Synth(Props(), c => c.GrantConnect("backend", new IamRoleName("easypay-test-backend"), "easypay-test-backend-cache"));
        var policy = json.Single("aws_iam_role_policy");
        policy.Str("role").ShouldBe("easypay-test-backend");
        var statement = JsonNode.Parse(policy.Str("policy")!)!["Statement"]![0]!;
        statement.Str("Action").ShouldBe("elasticache:Connect");
        var group = json.Resources("aws_elasticache_replication_group").Single().Name;
        var user = json.Resources("aws_elasticache_user").Single(u => u.Body.Str("user_name") == "easypay-test-app").Name;
        statement["Resource"].Strings().ShouldBe([$"${{aws_elasticache_replication_group.{group}.arn}}", $"${{aws_elasticache_user.{user}.arn}}"]);
    }

    [Fact]
    public void Only_named_security_groups_reach_the_port()
    {
        var json = Synth(Props(), c => c.AllowClientsFrom("from-nodes", new SecurityGroupId("sg-0nodes"), "Valkey from the nodes"));
        var rule = json.Single("aws_vpc_security_group_ingress_rule");
        rule.Str("from_port").ShouldBe("6379");
        rule.Str("to_port").ShouldBe("6379");
        rule.Str("referenced_security_group_id").ShouldBe("sg-0nodes");
        rule["cidr_ipv4"].ShouldBeNull();
        json.Resources("aws_vpc_security_group_egress_rule").ShouldBeEmpty();
    }

    [Fact]
    public void Slow_and_engine_logs_go_to_encrypted_expiring_log_groups_created_first()
    {
        var json = Synth(Props() with { LogRetentionDays = 400 });
        var group = json.Single("aws_elasticache_replication_group");
        // Provider: log_type slow-log | engine-log, destination_type cloudwatch-logs, log_format text | json.
        var deliveries = group["log_delivery_configuration"]!.AsArray().Select(d => (d.Str("log_type"), d.Str("destination_type"), d.Str("log_format"))).ToList();
        deliveries.ShouldBe([("slow-log", "cloudwatch-logs", "json"), ("engine-log", "cloudwatch-logs", "json")]);
        var logGroups = json.Resources("aws_cloudwatch_log_group").ToList();
        logGroups.Select(g => g.Body.Str("name")).ShouldBe(["/aws/vendedlogs/elasticache/easypay-test/slow-log", "/aws/vendedlogs/elasticache/easypay-test/engine-log"], ignoreOrder: true);
        logGroups.ShouldAllBe(g => g.Body.Str("retention_in_days") == "400" && g.Body.Str("kms_key_id")!.StartsWith("${aws_kms_key.", StringComparison.Ordinal));
        group["depends_on"].Strings().Count(d => d.StartsWith("aws_cloudwatch_log_group.", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void Snapshots_windows_eviction_and_the_pinned_version_are_set()
    {
        var json = Synth(Props() with { SnapshotRetentionDays = 14, SnapshotWindow = "03:00-04:00", MaintenanceWindow = "sun:05:00-sun:06:00" });
        var group = json.Single("aws_elasticache_replication_group");
        group.Str("snapshot_retention_limit").ShouldBe("14");
        group.Str("snapshot_window").ShouldBe("03:00-04:00");
        group.Str("maintenance_window").ShouldBe("sun:05:00-sun:06:00");
        group.Str("engine_version").ShouldBe("8.1");
        group.Str("auto_minor_version_upgrade").ShouldBe("false");
        var parameters = json.Single("aws_elasticache_parameter_group");
        // valkey8 is the family of Valkey 8.0-8.2 (ElastiCache user guide, "Engine specific parameters").
        parameters.Str("family").ShouldBe("valkey8");
        parameters["parameter"]!.AsArray().Select(p => (p.Str("name"), p.Str("value"))).ShouldBe([("maxmemory-policy", "volatile-lru")]);
        // name, family and description force a new group and there is no name_prefix (parameter_group.go): the name
        // changes with the family and the description, so create_before_destroy never collides with the old group.
        parameters.Str("name")!.ShouldMatch("^easypay-test-valkey8-[0-9a-f]{6}$");
        parameters.Str("lifecycle.create_before_destroy").ShouldBe("true");
        ValkeyReplicationGroup.ParameterGroupName("g", "valkey8", "a").ShouldNotBe(ValkeyReplicationGroup.ParameterGroupName("g", "valkey8", "b"));
        group.Str("parameter_group_name").ShouldBe($"${{aws_elasticache_parameter_group.{json.Resources("aws_elasticache_parameter_group").Single().Name}.name}}");
    }

    [Fact]
    public void Deletion_protection_keeps_a_final_snapshot_and_the_key()
    {
        var protectedJson = Synth(Props());
        protectedJson.Single("aws_elasticache_replication_group").Str("final_snapshot_identifier").ShouldBe("easypay-test-final");
        protectedJson.Single("aws_elasticache_replication_group").Str("lifecycle.prevent_destroy").ShouldBe("true");
        protectedJson.Single("aws_kms_key").Str("lifecycle.prevent_destroy").ShouldBe("true");
        var dev = Synth(Props() with { DeletionProtection = false, KeyDeletionWindowInDays = 7 });
        dev.Single("aws_elasticache_replication_group")["final_snapshot_identifier"].ShouldBeNull();
        dev.Single("aws_elasticache_replication_group")["lifecycle"].ShouldBeNull();
        dev.Single("aws_kms_key").Str("deletion_window_in_days").ShouldBe("7");
    }

    [Fact]
    public void Member_clusters_are_named_as_elasticache_names_them()
    {
        ValkeyReplicationGroup? cache = null;
        Synth(Props(replicas: 2), c => cache = c);
        // Provider docs: member cluster ids are "<replication_group_id>-00#"; the provider snapshots "<id>-001".
        cache!.MemberClusterIds.ShouldBe(["easypay-test-001", "easypay-test-002", "easypay-test-003"]);
        cache.MultiAz.ShouldBeTrue();
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(Props() with
        {
            Name = "Easypay--test",
            EngineVersion = "7.2",
            NodeType = "r7g.large",
            ReplicaCount = 6,
            AvailabilityZones = ["eu-west-1a"],
            SubnetIds = ["subnet-a"],
            ApplicationUserId = "default",
            SnapshotRetentionDays = 0,
            SnapshotWindow = "3-4",
            MaintenanceWindow = "sunday",
            MaxMemoryPolicy = "lru",
            ApplicationAccessString = "off ~* +@all",
            LogRetentionDays = 2,
        })).Message;
        message.ShouldContain("ValkeyReplicationGroupProps.Name: 'Easypay--test' is not a replication group id");
        message.ShouldContain("ValkeyReplicationGroupProps.EngineVersion: '7.2' is not a Valkey version this construct supports; use one of 8.0, 8.1, 8.2");
        message.ShouldContain("ValkeyReplicationGroupProps.NodeType: 'r7g.large' is not a node type");
        message.ShouldContain("ValkeyReplicationGroupProps.ReplicaCount: 6 is outside 0-5 replicas");
        message.ShouldContain("ValkeyReplicationGroupProps.AvailabilityZones: needs at least 2 distinct AZs");
        message.ShouldContain("ValkeyReplicationGroupProps.SubnetIds:");
        message.ShouldContain("ValkeyReplicationGroupProps.ApplicationUserId: 'default' is not an IAM-authenticated user id");
        message.ShouldContain("ValkeyReplicationGroupProps.SnapshotRetentionDays: 0 is outside ElastiCache's 1-35 days");
        message.ShouldContain("ValkeyReplicationGroupProps.SnapshotWindow: '3-4' is not a UTC window");
        message.ShouldContain("ValkeyReplicationGroupProps.MaintenanceWindow: 'sunday' is not a UTC window");
        message.ShouldContain("ValkeyReplicationGroupProps.MaxMemoryPolicy: 'lru' is not a maxmemory-policy");
        message.ShouldContain("ValkeyReplicationGroupProps.ApplicationAccessString: 'off ~* +@all' must start with 'on'");
        message.ShouldContain("ValkeyReplicationGroupProps.LogRetentionDays: 2 is not a CloudWatch Logs retention period");
    }
}
