using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.DbEventSubscription;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>Props of <see cref="DatabaseEvents"/>.</summary>
/// <param name="Name">Name prefix of the subscriptions, e.g. "easypay-prod-db".</param>
/// <param name="TopicArn">Topic the events are delivered to; its policy must let events.rds.amazonaws.com publish.</param>
/// <param name="ClusterIdentifier">The Aurora cluster.</param>
/// <param name="InstanceIdentifiers">Its instances (writer and readers).</param>
public sealed record DatabaseEventsProps(string Name, string TopicArn, string ClusterIdentifier, IReadOnlyList<string> InstanceIdentifiers)
{
    /// <summary>A failover, a failed cluster, and maintenance or notices that announce downtime.</summary>
    public IReadOnlyList<string> ClusterEventCategories { get; init; } = ["failover", "failure", "maintenance", "notification"];

    /// <summary>As for the cluster, plus availability: an instance shut down or restarted.</summary>
    public IReadOnlyList<string> InstanceEventCategories { get; init; } = ["availability", "failover", "failure", "maintenance", "notification"];
}

/// <summary>RDS event subscriptions that tell the on-call about failovers, failures and maintenance of the
/// Aurora cluster and its instances as they happen; metrics only show their consequences.</summary>
public sealed class DatabaseEvents : Construct
{
    public DatabaseEvents(Construct scope, string id, DatabaseEventsProps props) : base(scope, id)
    {
        new PropsValidator(nameof(DatabaseEventsProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.TopicArn, nameof(props.TopicArn))
            .CheckNotEmpty(props.ClusterIdentifier, nameof(props.ClusterIdentifier))
            .Check(props.InstanceIdentifiers.Count > 0, nameof(props.InstanceIdentifiers), "is empty: list the writer and the readers")
            .Check(props.ClusterEventCategories.Count > 0, nameof(props.ClusterEventCategories), "is empty: at least failover and failure")
            .Check(props.InstanceEventCategories.Count > 0, nameof(props.InstanceEventCategories), "is empty: at least failover and failure")
            .ThrowIfInvalid();

        new DbEventSubscription(this, "cluster", new DbEventSubscriptionConfig
        {
            Name = $"{props.Name}-cluster-events",
            SnsTopic = props.TopicArn,
            SourceType = "db-cluster",
            SourceIds = [props.ClusterIdentifier],
            EventCategories = [.. props.ClusterEventCategories],
            Enabled = true,
        });
        new DbEventSubscription(this, "instances", new DbEventSubscriptionConfig
        {
            Name = $"{props.Name}-instance-events",
            SnsTopic = props.TopicArn,
            SourceType = "db-instance",
            SourceIds = [.. props.InstanceIdentifiers],
            EventCategories = [.. props.InstanceEventCategories],
            Enabled = true,
        });
    }
}
