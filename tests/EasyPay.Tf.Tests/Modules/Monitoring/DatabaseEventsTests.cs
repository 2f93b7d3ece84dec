using EasyPay.Tf.Modules.Monitoring;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Monitoring;

public class DatabaseEventsTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:123456789012:easypay-test-alarms";

    [Fact]
    public void Cluster_and_instance_failovers_failures_and_maintenance_go_to_the_topic()
    {
        var json = ConstructSynth.Stack((stack, _) => new DatabaseEvents(stack, "events",
            new DatabaseEventsProps("easypay-test-db", Topic, "easypay-test", ["easypay-test-1", "easypay-test-2"])));
        var subscriptions = json.Resources("aws_db_event_subscription").Select(s => s.Body).ToList();
        var cluster = subscriptions.Single(s => s.Str("source_type") == "db-cluster");
        cluster.Str("name").ShouldBe("easypay-test-db-cluster-events");
        cluster["source_ids"].Strings().ShouldBe(["easypay-test"]);
        cluster["event_categories"].Strings().ShouldBe(["failover", "failure", "maintenance", "notification"]);
        var instances = subscriptions.Single(s => s.Str("source_type") == "db-instance");
        instances.Str("name").ShouldBe("easypay-test-db-instance-events");
        instances["source_ids"].Strings().ShouldBe(["easypay-test-1", "easypay-test-2"]);
        instances["event_categories"].Strings().ShouldContain("availability");
        subscriptions.ShouldAllBe(s => s.Str("sns_topic") == Topic && s.Str("enabled") == "true");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new DatabaseEvents(stack, "events",
            new DatabaseEventsProps("easypay-test-db", "", "", []) { ClusterEventCategories = [] }))).Message;
        message.ShouldContain("DatabaseEventsProps.TopicArn: is required");
        message.ShouldContain("DatabaseEventsProps.ClusterIdentifier: is required");
        message.ShouldContain("DatabaseEventsProps.InstanceIdentifiers: is empty");
        message.ShouldContain("DatabaseEventsProps.ClusterEventCategories: is empty");
    }
}
