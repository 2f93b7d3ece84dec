using System.Text.Json.Nodes;
using Constructs;
using EasyPay.Tf.Modules.Core;

namespace EasyPay.Tf.Modules.Monitoring;

/// <summary>Props of <see cref="CacheEvents"/>.</summary>
/// <param name="Name">Rule name, e.g. "easypay-prod-cache-events".</param>
/// <param name="TopicArn">Topic the events go to. Its policy must let events.amazonaws.com sns:Publish, and a
/// KMS-encrypted topic's key policy must let events.amazonaws.com use the key (<see cref="AlarmTopicProps.AllowEventRules"/>).</param>
public sealed record CacheEventsProps(string Name, string TopicArn)
{
    /// <summary>The ElastiCache service events that need a human: failures, deletions, updates, limits (which
    /// detail-type a failover arrives as is not documented; the cache-no-primary alarm does not depend on it). "Cache Created" and "Snapshot Created" are routine and left out.
    /// @default every other detail-type of <see cref="CacheEvents.ServiceEventTypes"/></summary>
    public IReadOnlyList<string> DetailTypes { get; init; } =
        [.. CacheEvents.ServiceEventTypes.Where(t => t is not "Cache Created" and not "Snapshot Created")];
}

/// <summary>An EventBridge rule on the default bus that sends ElastiCache's own events to the alarm topic. ElastiCache
/// cannot notify an encrypted SNS topic directly (its notification topic goes inactive; ElastiCache user guide, "Event
/// Notifications and Amazon SNS"), and the replication group lives upstream of the topic's stack, so the events take
/// EventBridge, where ElastiCache publishes them too. Each environment has an account of its own, so the account's
/// ElastiCache events are this environment's.</summary>
public sealed class CacheEvents : Construct
{
    /// <summary>The detail-types ElastiCache sends directly to EventBridge, source aws.elasticache (EventBridge events
    /// reference, "Amazon ElastiCache events").</summary>
    public static readonly IReadOnlyList<string> ServiceEventTypes =
    [
        "Cache Created", "Cache Creation Failed", "Cache Deleted", "Snapshot Created", "Snapshot Creation Failed",
        "Cache Update Failed", "Cache Updated", "Cache Limit Approaching", "Snapshot Export Failed", "Snapshot Copy Failed",
    ];

    public string RuleArn { get; }

    public CacheEvents(Construct scope, string id, CacheEventsProps props) : base(scope, id)
    {
        var v = new PropsValidator(nameof(CacheEventsProps))
            .CheckEventRuleName(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.TopicArn, nameof(props.TopicArn))
            .Check(props.DetailTypes.Count > 0, nameof(props.DetailTypes), "is empty: at least the failures");
        foreach (var unknown in props.DetailTypes.Except(ServiceEventTypes))
        {
            v.Check(false, nameof(props.DetailTypes), $"'{unknown}' is not an ElastiCache event detail-type; use one of {string.Join(", ", ServiceEventTypes)}");
        }
        v.ThrowIfInvalid();

        RuleArn = EventRoute.ToTopic(this, props.Name, "ElastiCache events that need a human (failures, deletions, updates, limits)", new JsonObject
        {
            ["source"] = new JsonArray("aws.elasticache"),
            ["detail-type"] = new JsonArray([.. props.DetailTypes.Select(t => (JsonNode)JsonValue.Create(t)!)]),
        }, props.TopicArn);
    }
}
