namespace EasyPay.Tf.Stacks;

/// <summary>What the database stack gives monitoring and platform.</summary>
public sealed record DatabaseOutputs
{
    /// <summary>Known at synth time: easypay-&lt;env&gt;.</summary>
    public required string ClusterIdentifier { get; init; }
    public required string WriterEndpoint { get; init; }
    public required string ReaderEndpoint { get; init; }
    /// <summary>RDS Proxy read-write endpoint: what the application connects to.</summary>
    public required string ProxyEndpoint { get; init; }
    public required string ProxyReadOnlyEndpoint { get; init; }
    /// <summary>Known at synth time.</summary>
    public required int Port { get; init; }
    /// <summary>Known at synth time.</summary>
    public required string DatabaseName { get; init; }
    /// <summary>ARN of the RDS-managed master secret in Secrets Manager.</summary>
    public required string SecretArn { get; init; }
    public required string KmsKeyArn { get; init; }
    public required string SecurityGroupId { get; init; }
    /// <summary>Known at synth time: writer first, then readers.</summary>
    public required IReadOnlyList<string> InstanceIdentifiers { get; init; }
    /// <summary>Known at synth time: max_connections of the instance class (alarm threshold base).</summary>
    public required int MaxConnections { get; init; }
}
