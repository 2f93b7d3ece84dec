using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The Valkey cache tier of the database stack, in every environment.</summary>
public class DatabaseStackCacheTests
{
    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_environment_gets_its_cache_with_the_nodes_and_failover_its_file_asks_for(string env)
    {
        var composed = DatabaseTestInputs.Synth(env);
        var config = composed.Env.Cache;
        var group = composed.Database.Single("aws_elasticache_replication_group");
        group.Str("replication_group_id").ShouldBe($"easypay-{env}");
        group.Str("engine_version").ShouldBe(config.EngineVersion);
        group.Str("node_type").ShouldBe(config.NodeType);
        group.Str("num_cache_clusters").ShouldBe((config.ReplicaCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        group.Str("multi_az_enabled").ShouldBe(config.ReplicaCount > 0 ? "true" : "false");
        group.Str("snapshot_retention_limit").ShouldBe(config.SnapshotRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // In the data subnets of the network stack, like the database.
        var subnetGroup = composed.Database.Single("aws_elasticache_subnet_group");
        subnetGroup["subnet_ids"].Strings().ShouldBe(composed.Database.Single("aws_db_subnet_group")["subnet_ids"].Strings());
        // Production waits for the maintenance window and keeps a final snapshot; the others destroy cleanly.
        var production = composed.Env.Production;
        group.Str("apply_immediately").ShouldBe(production ? "false" : "true");
        (group["final_snapshot_identifier"] is not null).ShouldBe(production);
        composed.Outputs.Cache.MultiAz.ShouldBe(config.ReplicaCount > 0);
        composed.Outputs.Cache.MemberClusterIds.Count.ShouldBe(config.ReplicaCount + 1);
    }

    [Fact]
    public void Production_applies_a_log_delivery_change_immediately_only_when_the_file_says_so()
    {
        // ElastiCache rejects a log delivery change without ApplyImmediately (user guide, "Log delivery").
        var prod = TestEnvironments.Repository("prod");
        var now = DatabaseTestInputs.Compose(prod with { Cache = prod.Cache with { ApplyImmediately = true } });
        now.Database.Single("aws_elasticache_replication_group").Str("apply_immediately").ShouldBe("true");
        DatabaseTestInputs.Synth("prod").Database.Single("aws_elasticache_replication_group").Str("apply_immediately").ShouldBe("false");
    }

    [Fact]
    public void Prod_runs_a_replica_in_every_other_az()
    {
        var composed = DatabaseTestInputs.Synth("prod");
        composed.Database.Single("aws_elasticache_replication_group")["preferred_cache_cluster_azs"].Strings()
            .ShouldBe(composed.Env.AvailabilityZones);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Only_the_node_security_group_reaches_the_cache_port(string env)
    {
        var json = DatabaseTestInputs.Synth(env).Database;
        var cacheSg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == $"easypay-{env}-cache").Name;
        var rules = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body)
            .Where(r => r.Str("security_group_id") == $"${{aws_security_group.{cacheSg}.id}}").ToList();
        var rule = rules.ShouldHaveSingleItem();
        (rule.Str("from_port"), rule.Str("to_port"), rule.Str("ip_protocol"), rule.Str("referenced_security_group_id"))
            .ShouldBe(("6379", "6379", "tcp", UpstreamOutputs.NodeSecurityGroupId));
        json.Resources("aws_vpc_security_group_egress_rule").ShouldAllBe(e => e.Body.Str("security_group_id") != $"${{aws_security_group.{cacheSg}.id}}");
    }

    [Fact]
    public void The_backend_may_connect_to_the_cache_as_its_user_and_nothing_else()
    {
        var json = DatabaseTestInputs.Synth("prod").Database;
        var backendRole = UpstreamOutputs.Cluster(TestEnvironments.Repository("prod")).BackendRoleName;
        var policy = json.Resources("aws_iam_role_policy").Select(p => p.Body).Single(p => p.Str("name") == "easypay-prod-backend-cache-connect");
        policy.Str("role").ShouldBe(backendRole);
        var statement = JsonNode.Parse(policy.Str("policy")!)!["Statement"]!.AsArray().ShouldHaveSingleItem()!;
        statement.Str("Action").ShouldBe("elasticache:Connect");
        var group = json.Resources("aws_elasticache_replication_group").Single().Name;
        var user = json.Resources("aws_elasticache_user").Single(u => u.Body.Str("user_name") == PlatformContract.CacheUser(TestEnvironments.Repository("prod"))).Name;
        statement["Resource"].Strings().ShouldBe([$"${{aws_elasticache_replication_group.{group}.arn}}", $"${{aws_elasticache_user.{user}.arn}}"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Cache_connection_details_are_published_in_ssm(string env)
    {
        DatabaseTestInputs.Synth(env).Database.Resources("aws_ssm_parameter").Select(p => p.Body.Str("name"))
            .Where(n => n!.StartsWith($"/easypay/{env}/cache/", StringComparison.Ordinal))
            .ShouldBe(new[] { "primary-endpoint", "reader-endpoint", "port", "user", "auth-mode", "tls" }.Select(n => $"/easypay/{env}/cache/{n}"), ignoreOrder: true);
    }

    [Fact]
    public void The_cache_has_its_own_key_for_data_snapshots_and_logs()
    {
        var json = DatabaseTestInputs.Synth("prod").Database;
        var key = json.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("ElastiCache", StringComparison.Ordinal));
        var arn = $"${{aws_kms_key.{key.Name}.arn}}";
        json.Single("aws_elasticache_replication_group").Str("kms_key_id").ShouldBe(arn);
        json.Resources("aws_cloudwatch_log_group").Where(g => g.Body.Str("name")!.StartsWith("/aws/vendedlogs/elasticache/", StringComparison.Ordinal))
            .ShouldAllBe(g => g.Body.Str("kms_key_id") == arn && g.Body.Str("retention_in_days") == "365");
        key.Body.Str("deletion_window_in_days").ShouldBe("30");
    }
}
