using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Database;

public class AuroraPostgresClusterTests
{
    private static readonly string[] Azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    internal static AuroraPostgresClusterProps Props(int readers = 2) =>
        new()
        {
            Name = "easypay-test",
            EngineVersion = "16.6",
            InstanceClass = "db.r6g.large",
            AvailabilityZones = Azs,
            VpcId = "vpc-0123",
            SubnetIds = ["subnet-a", "subnet-b", "subnet-c"],
            DatabaseName = "easypay",
            ReaderCount = readers,
        };

    private static JsonObject Synth(AuroraPostgresClusterProps props, Action<AuroraPostgresCluster>? use = null) =>
        ConstructSynth.Stack((stack, _) =>
        {
            var cluster = new AuroraPostgresCluster(stack, "db", props);
            use?.Invoke(cluster);
        });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void One_instance_per_az_writer_first_with_tiers_in_az_order(int readers)
    {
        AuroraPostgresCluster? cluster = null;
        var json = Synth(Props(readers), c => cluster = c);
        var instances = json.Resources("aws_rds_cluster_instance").Select(i => i.Body).OrderBy(i => i.Str("promotion_tier"), StringComparer.Ordinal).ToList();
        instances.Select(i => i.Str("availability_zone")).ShouldBe(Azs.Take(readers + 1));
        instances.Select(i => i.Str("identifier")).ShouldBe(Enumerable.Range(1, readers + 1).Select(i => $"easypay-test-{i}"));
        cluster!.InstanceIdentifiers.ShouldBe(instances.Select(i => i.Str("identifier")!));
        cluster.InstanceAvailabilityZones.ShouldBe(Azs.Take(readers + 1));
        cluster.MaxConnections.ShouldBe(AuroraInstanceClass.Parse("db.r6g.large").DefaultMaxConnections);
    }

    [Fact]
    public void The_security_group_has_no_rule_until_a_source_is_allowed()
    {
        var closed = Synth(Props());
        closed.Resources("aws_vpc_security_group_ingress_rule").ShouldBeEmpty();
        closed.Resources("aws_vpc_security_group_egress_rule").ShouldBeEmpty();

        var open = Synth(Props(), c => c.AllowPostgresFrom("from-app", new SecurityGroupId("sg-0app"), "PostgreSQL from the app"));
        var rule = open.Single("aws_vpc_security_group_ingress_rule");
        (rule.Str("referenced_security_group_id"), rule.Str("from_port"), rule.Str("to_port"), rule.Str("description"))
            .ShouldBe(("sg-0app", "5432", "5432", "PostgreSQL from the app"));
    }

    [Fact]
    public void Deletion_protection_covers_the_cluster_and_its_key_but_not_other_resources()
    {
        var json = Synth(Props() with { DeletionProtection = true });
        json.Single("aws_rds_cluster").Str("lifecycle.prevent_destroy").ShouldBe("true");
        json.Single("aws_kms_key").Str("lifecycle.prevent_destroy").ShouldBe("true");
        json.Single("aws_kms_alias")["lifecycle"].ShouldBeNull();
        json.Resources("aws_rds_cluster_instance").ShouldAllBe(i => i.Body["lifecycle"] == null);
    }

    [Fact]
    public void A_major_version_picks_the_matching_parameter_group_family()
    {
        var group = Synth(Props() with { EngineVersion = "17.4" }).Single("aws_rds_cluster_parameter_group");
        group.Str("family").ShouldBe("aurora-postgresql17");
        // name_prefix, not name: with create_before_destroy a fixed name collides with the group being replaced
        // (aws_rds_cluster_parameter_group: name and name_prefix are ForceNew and conflict; the prefix gets a unique suffix).
        group["name"].ShouldBeNull();
        group.Str("name_prefix").ShouldBe("easypay-test-aurora-postgresql17-");
        group.Str("lifecycle.create_before_destroy").ShouldBe("true");
    }

    [Fact]
    public void Enhanced_monitoring_off_creates_no_role()
    {
        var json = Synth(Props() with { MonitoringIntervalSeconds = 0 });
        json.Resources("aws_iam_role").ShouldBeEmpty();
        json.Resources("aws_rds_cluster_instance").ShouldAllBe(i => i.Body.Str("monitoring_interval") == "0" && i.Body["monitoring_role_arn"] == null);
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = Props(readers: 3) with
        {
            Name = "Easypay--test",
            EngineVersion = "16",
            InstanceClass = "db.m5.large",
            DatabaseName = "1db",
            SubnetIds = ["subnet-a"],
            BackupRetentionDays = 0,
            PreferredBackupWindow = "2:00-3:00",
            LogRetentionDays = 42,
            MonitoringIntervalSeconds = 20,
            PerformanceInsightsRetentionDays = 30,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("AuroraPostgresClusterProps.Name: 'Easypay--test' is not a cluster identifier");
        message.ShouldContain("AuroraPostgresClusterProps.EngineVersion: '16' is not a pinned Aurora PostgreSQL version");
        message.ShouldContain("AuroraPostgresClusterProps.InstanceClass: 'db.m5.large' is of an unknown instance class family 'db.m5'");
        message.ShouldContain("AuroraPostgresClusterProps.DatabaseName: '1db' is not a database name");
        message.ShouldContain("AuroraPostgresClusterProps.AvailabilityZones: 3 AZ(s) cannot hold the writer and 3 reader(s) one per AZ");
        message.ShouldContain("AuroraPostgresClusterProps.SubnetIds: a DB subnet group needs subnets in at least 2 AZs");
        message.ShouldContain("AuroraPostgresClusterProps.BackupRetentionDays: 0 is outside Aurora's 1-35 days");
        message.ShouldContain("AuroraPostgresClusterProps.PreferredBackupWindow: '2:00-3:00' is not a UTC window");
        message.ShouldContain("AuroraPostgresClusterProps.LogRetentionDays: 42 is not a CloudWatch Logs retention period");
        message.ShouldContain("AuroraPostgresClusterProps.MonitoringIntervalSeconds: 20 is not an enhanced monitoring interval");
        message.ShouldContain("AuroraPostgresClusterProps.PerformanceInsightsRetentionDays: 30 is not a Performance Insights retention");
    }

    [Fact]
    public void The_data_api_is_refused_on_burstable_classes()
    {
        // Aurora User Guide, "Data API limitations": Data API isn't supported on T DB instance classes.
        Should.Throw<ArgumentException>(() => Synth(Props() with { InstanceClass = "db.t4g.medium", EnableDataApi = true })).Message
            .ShouldContain("AuroraPostgresClusterProps.EnableDataApi: the Data API does not run on T instance classes (db.t4g.medium");
        Synth(Props() with { InstanceClass = "db.t4g.medium" }).Resources("aws_rds_cluster").ShouldHaveSingleItem();
    }
}
