namespace EasyPay.Tf.Modules.Platform;

// The values the platform sets on charts/easypay, typed and named exactly as the chart's values.yaml.
// Everything else keeps the chart's defaults. The chart's values.schema.json is the contract: the
// platform tests render the chart with what these serialize to.

public sealed record EasypayChartValues(
    string AwsRegion,
    EasypayComponentValues Frontend,
    EasypayComponentValues Backend,
    EasypayDatabaseValues Database,
    EasypayExternalSecretsValues ExternalSecrets,
    EasypayNetworkValues Network,
    EasypayRbacValues Rbac);

public sealed record EasypayComponentValues(EasypayImageValues Image, string TargetGroupArn, EasypayAutoscalingValues Autoscaling, EasypayPdbValues Pdb);

public sealed record EasypayImageValues(string Repository, string Tag)
{
    /// <summary>sha256:... — wins over the tag when set.</summary>
    public string? Digest { get; init; }
}

public sealed record EasypayAutoscalingValues(int MinReplicas, int MaxReplicas);

public sealed record EasypayPdbValues(int MinAvailable);

public sealed record EasypayDatabaseValues(string Host, string ReadOnlyHost, int Port, string Name, IReadOnlyList<string> SubnetCidrs, EasypayCredentialsValues Credentials);

public sealed record EasypayCredentialsValues(EasypayExternalSecretValues ExternalSecret);

public sealed record EasypayExternalSecretValues(bool Enabled, string SecretArn);

public sealed record EasypayExternalSecretsValues(string RoleArn);

public sealed record EasypayNetworkValues(IReadOnlyList<string> AlbSourceCidrs, IReadOnlyList<string> AwsApiEgressCidrs, EasypayCalicoPolicyValues CalicoPolicy);

public sealed record EasypayCalicoPolicyValues(bool Enabled);

public sealed record EasypayRbacValues(string DeveloperGroup);
