namespace EasyPay.Tf.Stacks;

/// <summary>What the monitoring stack exposes (to operators and the platform stack).</summary>
public sealed record MonitoringOutputs
{
    public required string AlarmTopicArn { get; init; }
    public required string DashboardName { get; init; }
    public required string DashboardUrl { get; init; }
    /// <summary>Null when the environment has no DNS zone.</summary>
    public string? HealthCheckId { get; init; }
    /// <summary>Null when the environment has no DNS zone.</summary>
    public string? MaintenanceBucketName { get; init; }
    /// <summary>Log group of the application's container logs.</summary>
    public required string ApplicationLogGroupName { get; init; }
}
