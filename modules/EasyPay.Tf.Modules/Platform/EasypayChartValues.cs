namespace EasyPay.Tf.Modules.Platform;

// The values the platform sets on charts/easypay, typed and named exactly as the chart's values.yaml.
// Everything else keeps the chart's defaults. The chart's values.schema.json is the contract: the
// platform tests render the chart with what these serialize to.

public sealed record EasypayChartValues(
    string AwsRegion,
    EasypayComponentValues Frontend,
    EasypayComponentValues Backend,
    EasypayDatabaseValues Database,
    EasypayCacheValues Cache,
    EasypayExternalSecretsValues ExternalSecrets,
    EasypayNetworkValues Network,
    EasypayRbacValues Rbac,
    EasypayDeepHealthCheckValues DeepHealthCheck,
    EasypayPodAdmissionValues PodAdmission,
    EasypayTestValues Tests);

/// <summary>The `helm test` pod (curl against the backend's health endpoint): rendered only where its image passes the
/// namespace's admission policy (from the account's registry, by digest where digests are required).</summary>
public sealed record EasypayTestValues(bool Enabled, EasypayImageValues Image);

/// <summary>The pod admission policy of the app namespace: app pods only from their Deployments, images only from
/// <paramref name="ImageRegistry"/> (ACCOUNT.dkr.ecr.REGION.amazonaws.com), by digest where <paramref name="RequireImageDigest"/>.</summary>
public sealed record EasypayPodAdmissionValues(bool Enabled, string ImageRegistry, bool RequireImageDigest);


/// <summary>The deep health endpoint (nginx → backend → database) that checks from outside the cluster probe.</summary>
public sealed record EasypayDeepHealthCheckValues(string Path, string BackendPath)
{
    /// <summary>The path the Route 53 health check requests through the ALB; the platform stack serves it.</summary>
    public const string DefaultPath = "/health/deep";

    public static EasypayDeepHealthCheckValues Default { get; } = new(DefaultPath, DefaultPath);
}

public sealed record EasypayComponentValues(EasypayImageValues Image, EasypayAutoscalingValues Autoscaling, EasypayPdbValues Pdb)
{
    /// <summary>Frontend only: the ALB target group of every path but /api/*. Null = the chart default (no binding).</summary>
    public string? TargetGroupArn { get; init; }

    /// <summary>Frontend only: the ALB target group of /api/* (also frontend pods; nginx proxies to the backend).</summary>
    public string? ApiTargetGroupArn { get; init; }

    /// <summary>Backend only: its service account's IRSA role. Null = the chart default (no annotation).</summary>
    public EasypayServiceAccountValues? ServiceAccount { get; init; }
}

/// <summary>serviceAccount of a component; only the annotations are set (automountToken keeps the chart's false).</summary>
public sealed record EasypayServiceAccountValues(IReadOnlyDictionary<string, string> Annotations)
{
    public static EasypayServiceAccountValues WithRole(string roleArn) =>
        new(new Dictionary<string, string> { [EasyPay.Tf.Modules.Cluster.KubernetesServiceAccount.RoleArnAnnotation] = roleArn });
}

public sealed record EasypayImageValues(string Repository, string Tag)
{
    /// <summary>sha256:... — wins over the tag when set.</summary>
    public string? Digest { get; init; }
}

public sealed record EasypayAutoscalingValues(int MinReplicas, int MaxReplicas);

public sealed record EasypayPdbValues(int MinAvailable);

/// <summary>Where and as whom the backend connects; it authenticates with IAM auth tokens (no credential values).</summary>
public sealed record EasypayDatabaseValues(string Host, string ReadOnlyHost, int Port, string Name, string User, IReadOnlyList<string> SubnetCidrs);

/// <summary>Where and as whom the backend reaches the cache: TLS, IAM auth tokens for <paramref name="User"/> signed for
/// <paramref name="ReplicationGroupId"/> (no credential values). Token lifetime and connection age keep the chart's
/// defaults (ElastiCache's fixed 15 minutes; recycled at 11 hours, before its 12-hour cut-off).</summary>
public sealed record EasypayCacheValues(string Host, string ReaderHost, int Port, string User, string ReplicationGroupId, IReadOnlyList<string> SubnetCidrs);

public sealed record EasypayExternalSecretsValues(EasypaySecretStoreValues SecretStore);

/// <summary>The store of the application's own secrets (a SecretStore in the app namespace): names under the prefix
/// the controller's role may read.</summary>
public sealed record EasypaySecretStoreValues(bool Enabled, string SecretNamePrefix);

/// <summary>AwsEndpointCidrs: the subnets of the interface VPC endpoints (443 only). PaymentProviders: the backend's
/// only egress beyond the VPC, one NetworkPolicy rule each.</summary>
public sealed record EasypayNetworkValues(IReadOnlyList<string> AlbSourceCidrs, IReadOnlyList<string> AwsEndpointCidrs,
    IReadOnlyList<EasypayPaymentProviderValues> PaymentProviders, EasypayCalicoPolicyValues CalicoPolicy, EasypayDataGuardValues DataGuard);

public sealed record EasypayPaymentProviderValues(string Name, IReadOnlyList<string> Cidrs, IReadOnlyList<int> Ports);

public sealed record EasypayCalicoPolicyValues(bool Enabled);

/// <summary>The cluster-wide Calico policy: only the backend's pods may open <paramref name="Ports"/> in the data subnets
/// (database.subnetCidrs). Tier and order stay the chart's (adminnetworkpolicy, 10).</summary>
public sealed record EasypayDataGuardValues(bool Enabled, IReadOnlyList<int> Ports);

/// <summary>DeveloperAccess: "operate" (create, change, delete, exec into pods) or "readOnly" (read and logs only).</summary>
public sealed record EasypayRbacValues(string DeveloperGroup, string DeveloperAccess)
{
    public const string Operate = "operate";
    public const string ReadOnly = "readOnly";
}
