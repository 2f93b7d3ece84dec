using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Database;

public class ReaderAutoScalingTests
{
    [Fact]
    public void Readers_scale_on_their_average_cpu_between_the_managed_count_and_the_ceiling()
    {
        var json = ConstructSynth.Stack((stack, _) =>
            new ReaderAutoScaling(stack, "readers", new ReaderAutoScalingProps(new AuroraPostgresCluster(stack, "db", AuroraPostgresClusterTests.Props(2)), 5)));
        var target = json.Single("aws_appautoscaling_target");
        // Registered only after the Terraform-managed readers exist: earlier, Application Auto Scaling would add
        // its own readers to reach min_capacity, and Terraform would then add two more.
        target["depends_on"].Strings().Count(d => d.StartsWith("aws_rds_cluster_instance.", StringComparison.Ordinal)).ShouldBe(3);
        // Application Auto Scaling API: ServiceNamespace rds, ScalableDimension rds:cluster:ReadReplicaCount,
        // ResourceId cluster:<identifier> (RegisterScalableTarget reference, Aurora example).
        (target.Str("service_namespace"), target.Str("scalable_dimension"), target.Str("resource_id")).ShouldBe(("rds", "rds:cluster:ReadReplicaCount", "cluster:easypay-test"));
        (target.Str("min_capacity"), target.Str("max_capacity")).ShouldBe(("2", "5"));
        var policy = json.Single("aws_appautoscaling_policy");
        policy.Str("policy_type").ShouldBe("TargetTrackingScaling");
        // PredefinedMetricSpecification: RDSReaderAverageCPUUtilization is a valid PredefinedMetricType.
        policy.Str("target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type").ShouldBe("RDSReaderAverageCPUUtilization");
        policy.Str("target_tracking_scaling_policy_configuration.target_value").ShouldBe("60");
        policy.Str("resource_id").ShouldBe($"${{aws_appautoscaling_target.{json.Resources("aws_appautoscaling_target").Single().Name}.resource_id}}");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new ReaderAutoScaling(stack, "readers", new ReaderAutoScalingProps(new AuroraPostgresCluster(stack, "db", AuroraPostgresClusterTests.Props(0)), 16) { TargetCpuPercent = 95 }))).Message;
        message.ShouldContain("ReaderAutoScalingProps.Cluster: easypay-test has no reader");
        message.ShouldContain("ReaderAutoScalingProps.MaxReaders: 16 must be above the cluster's 0 reader(s) and at most 15");
        message.ShouldContain("ReaderAutoScalingProps.TargetCpuPercent: 95");
    }
}
