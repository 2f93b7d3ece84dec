using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.AppautoscalingPolicy;
using HashiCorp.Cdktf.Providers.Aws.AppautoscalingTarget;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="ReaderAutoScaling"/>.</summary>
/// <param name="Cluster">The Aurora cluster whose Aurora Replicas are scaled; its Terraform-managed readers are
/// the floor (the target is registered after they exist, or Application Auto Scaling would add its own to reach it).</param>
/// <param name="MaxReaders">Ceiling; Aurora allows 15 replicas per cluster.</param>
public sealed record ReaderAutoScalingProps(AuroraPostgresCluster Cluster, int MaxReaders)
{
    /// <summary>Average reader CPU the policy holds. @default 60</summary>
    public double TargetCpuPercent { get; init; } = 60;

    /// <summary>Seconds after a scale-out before the next one (a new reader takes minutes to join). @default 300</summary>
    public int ScaleOutCooldownSeconds { get; init; } = 300;

    /// <summary>Seconds after a scale-in before the next. @default 600</summary>
    public int ScaleInCooldownSeconds { get; init; } = 600;
}

/// <summary>Aurora Auto Scaling: Application Auto Scaling adds Aurora Replicas when the readers' average CPU stays
/// above the target and removes the ones it added when it falls (it never removes the Terraform-managed readers).
/// The replicas it adds join the cluster's reader endpoint and the proxy's read-only endpoint; they are not in
/// Terraform state, so lower MaxReaders to MinReaders and let them scale in before destroying the cluster.</summary>
public sealed class ReaderAutoScaling : Construct
{
    /// <summary>Application Auto Scaling's dimension for Aurora (ScalableDimension API reference:
    /// "rds:cluster:ReadReplicaCount - The count of Aurora Replicas in an Aurora DB cluster").</summary>
    public const string ScalableDimension = "rds:cluster:ReadReplicaCount";

    /// <summary>PredefinedMetricSpecification.PredefinedMetricType valid value for Aurora reader CPU.</summary>
    public const string ReaderCpuMetric = "RDSReaderAverageCPUUtilization";

    public ReaderAutoScaling(Construct scope, string id, ReaderAutoScalingProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props?.Cluster);
        var minReaders = props.Cluster.InstanceIdentifiers.Count - 1;
        new PropsValidator(nameof(ReaderAutoScalingProps))
            .Check(minReaders >= 1, nameof(props.Cluster), $"{props.Cluster.ClusterIdentifier} has no reader: RDSReaderAverageCPUUtilization needs at least one")
            .Check(props.MaxReaders > minReaders && props.MaxReaders <= 15, nameof(props.MaxReaders),
                $"{props.MaxReaders} must be above the cluster's {minReaders} reader(s) and at most 15 (Aurora's replica limit)")
            .Check(props.TargetCpuPercent is > 10 and < 90, nameof(props.TargetCpuPercent), $"{props.TargetCpuPercent} must be between 10 and 90")
            .ThrowIfInvalid();

        var target = new AppautoscalingTarget(this, "target", new AppautoscalingTargetConfig
        {
            ServiceNamespace = "rds",
            ScalableDimension = ScalableDimension,
            ResourceId = $"cluster:{props.Cluster.ClusterIdentifier}",
            MinCapacity = minReaders,
            MaxCapacity = props.MaxReaders,
            // The identifier is a literal: without this the target could be registered before the cluster exists.
            DependsOn = [.. props.Cluster.Instances],
        });
        new AppautoscalingPolicy(this, "reader-cpu", new AppautoscalingPolicyConfig
        {
            Name = $"{props.Cluster.ClusterIdentifier}-reader-cpu",
            PolicyType = "TargetTrackingScaling",
            ServiceNamespace = target.ServiceNamespace,
            ScalableDimension = target.ScalableDimension,
            ResourceId = target.ResourceId,
            TargetTrackingScalingPolicyConfiguration = new AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration
            {
                TargetValue = props.TargetCpuPercent,
                ScaleOutCooldown = props.ScaleOutCooldownSeconds,
                ScaleInCooldown = props.ScaleInCooldownSeconds,
                PredefinedMetricSpecification = new AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification
                {
                    PredefinedMetricType = ReaderCpuMetric,
                },
            },
        });
    }
}
