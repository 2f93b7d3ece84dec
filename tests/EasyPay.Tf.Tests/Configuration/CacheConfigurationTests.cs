using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

/// <summary>The environment file's cache section: every bad input named with its file, field and fix.</summary>
public class CacheConfigurationTests
{
    private static IReadOnlyList<string> Problems(string env, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        using var files = new EnvironmentFiles();
        return files.Edit(env, edit).Problems();
    }

    [Fact]
    public void The_repository_environments_have_a_cache_each()
    {
        foreach (var name in new[] { "dev", "staging", "prod" })
        {
            var cache = TestEnvironments.Repository(name).Cache;
            cache.EngineVersion.ShouldBe("8.1");
            (cache.ReplicaCount >= 0).ShouldBeTrue();
        }
        // Prod: a replica in each AZ besides the primary's.
        TestEnvironments.Repository("prod").Cache.ReplicaCount.ShouldBe(TestEnvironments.Repository("prod").AvailabilityZones.Count - 1);
    }

    [Fact]
    public void A_missing_cache_section_is_reported()
    {
        Problems("dev", j => j.Remove("cache")).ShouldContain(p => p.StartsWith("environments/dev.json: cache: ", StringComparison.Ordinal) || p.Contains("\"cache\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_elasticache_rejects_are_reported_by_the_schema_all_at_once()
    {
        var problems = Problems("dev", j =>
        {
            var cache = j["cache"]!.AsObject();
            cache["engineVersion"] = "7.2"; // valkey7 family not offered by this platform
            cache["nodeType"] = "r7g.large";
            cache["replicaCount"] = 6;
            cache["snapshotRetentionDays"] = 0;
            cache["snapshotWindow"] = "3am";
            cache["maintenanceWindow"] = "sunday";
            cache["authToken"] = "x";
        });
        string[] fields = ["engineVersion", "nodeType", "replicaCount", "snapshotRetentionDays", "snapshotWindow", "maintenanceWindow"];
        foreach (var field in fields)
        {
            problems.ShouldContain(p => p.StartsWith($"environments/dev.json: cache.{field}: ", StringComparison.Ordinal), $"no problem for cache.{field} in: {string.Join(" | ", problems)}");
        }
        problems.ShouldContain(p => p.Contains("authToken", StringComparison.Ordinal));
    }

    [Fact]
    public void Windows_shorter_than_an_hour_or_overlapping_are_rejected()
    {
        Problems("dev", j =>
        {
            j["cache"]!["snapshotWindow"] = "05:30-06:00";
            j["cache"]!["maintenanceWindow"] = "sun:05:15-sun:05:45";
        }).ShouldBe(
            [
                "environments/dev.json: cache.snapshotWindow: \"05:30-06:00\" is 30 minutes; ElastiCache needs at least 60",
                "environments/dev.json: cache.maintenanceWindow: \"sun:05:15-sun:05:45\" overlaps the daily snapshot window \"05:30-06:00\"; AWS rejects overlapping windows",
                "environments/dev.json: cache.maintenanceWindow: \"sun:05:15-sun:05:45\" is 30 minutes; ElastiCache needs at least 60",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Production_needs_a_replica_a_week_of_snapshots_and_no_burstable_node()
    {
        Problems("prod", j =>
        {
            j["cache"]!["replicaCount"] = 0;
            j["cache"]!["snapshotRetentionDays"] = 3;
            j["cache"]!["nodeType"] = "cache.t4g.medium";
        }).ShouldBe(
            [
                "environments/prod.json: cache.replicaCount: production needs at least 1 replica in another AZ: with none there is no Multi-AZ failover and a node failure empties the cache",
                "environments/prod.json: cache.snapshotRetentionDays: 3 is below the production floor of 7 days",
                "environments/prod.json: cache.nodeType: cache.t4g.medium is burstable: its CPU credits run out under sustained load and the engine slows exactly at peak; use cache.r7g.large or larger (or cache.m7g)",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Development_may_run_a_single_burstable_node()
    {
        using var files = new EnvironmentFiles();
        var dev = files.Edit("dev", j =>
        {
            j["cache"]!["replicaCount"] = 0;
            j["cache"]!["nodeType"] = "cache.t4g.small";
        }).Load("dev").ShouldHaveSingleItem();
        (dev.Cache.ReplicaCount, dev.Cache.NodeType).ShouldBe((0, "cache.t4g.small"));
    }
}
