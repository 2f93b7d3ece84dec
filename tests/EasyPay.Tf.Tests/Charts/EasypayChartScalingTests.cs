using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>HorizontalPodAutoscalers and PodDisruptionBudgets.</summary>
public class EasypayChartScalingTests
{
    [ToolTheory(Tool.Helm)]
    [InlineData("default", "frontend", 3, 8, 2)]
    [InlineData("default", "backend", 3, 10, 2)]
    [InlineData("dev", "frontend", 2, 4, 1)]
    [InlineData("dev", "backend", 2, 4, 1)]
    // maxReplicas = min × application.peakTrafficFactor (dev 2, staging 3, prod 10).
    [InlineData("staging", "frontend", 3, 9, 2)]
    [InlineData("staging", "backend", 3, 9, 2)]
    [InlineData("prod", "frontend", 3, 30, 2)]
    [InlineData("prod", "backend", 3, 30, 2)]
    public void Hpa_and_pdb_bounds_are_consistent(string environment, string component, int minReplicas, int maxReplicas, int minAvailable)
    {
        var render = EasypayChart.Render(environment);
        var name = $"easypay-{component}";
        var hpa = render.Single("HorizontalPodAutoscaler", name);
        var pdb = render.Single("PodDisruptionBudget", name);

        hpa.Number("spec.minReplicas").ShouldBe(minReplicas);
        hpa.Number("spec.maxReplicas").ShouldBe(maxReplicas);
        pdb.Number("spec.minAvailable").ShouldBe(minAvailable);

        // a PDB that allows no disruption blocks every node drain
        pdb.Number("spec.minAvailable").ShouldBeLessThan(hpa.Number("spec.minReplicas"));
        hpa.Number("spec.minReplicas").ShouldBeLessThanOrEqualTo(hpa.Number("spec.maxReplicas"));

        hpa.Text("spec.scaleTargetRef.apiVersion").ShouldBe("apps/v1");
        hpa.Text("spec.scaleTargetRef.kind").ShouldBe("Deployment");
        hpa.Text("spec.scaleTargetRef.name").ShouldBe(render.Deployment(component).Name);
        pdb.StringMap("spec.selector.matchLabels").ShouldBe(render.Deployment(component).StringMap("spec.selector.matchLabels"), ignoreOrder: true);
        pdb.ApiVersion.ShouldBe("policy/v1");
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Hpas_scale_on_cpu_up_fast_and_down_slowly(string environment)
    {
        foreach (var hpa in EasypayChart.Render(environment).OfKind("HorizontalPodAutoscaler"))
        {
            hpa.ApiVersion.ShouldBe("autoscaling/v2");
            var targets = hpa.Nodes("spec.metrics").ToDictionary(m => m.Text("resource.name")!, StringComparer.Ordinal);
            // CPU only: baseline memory does not fall with more pods, so a memory target could pin a 30-pod ceiling.
            targets.Keys.ShouldBe(["cpu"]);
            foreach (var metric in targets.Values)
            {
                metric.Text("type").ShouldBe("Resource");
                metric.Text("resource.target.type").ShouldBe("Utilization");
                metric.Number("resource.target.averageUtilization").ShouldBe(50);
            }

            hpa.Number("spec.behavior.scaleUp.stabilizationWindowSeconds").ShouldBe(0);
            var up = hpa.Nodes("spec.behavior.scaleUp.policies").ShouldHaveSingleItem();
            up.Text("type").ShouldBe("Percent");
            up.Number("value").ShouldBe(100);
            up.Number("periodSeconds").ShouldBe(30);
            hpa.Number("spec.behavior.scaleDown.stabilizationWindowSeconds").ShouldBe(300);
        }
        EasypayChart.Render(environment).OfKind("HorizontalPodAutoscaler").Count.ShouldBe(2);
    }

    [ToolFact(Tool.Helm)]
    public void Without_an_hpa_the_pdb_is_checked_against_the_fixed_replica_count()
    {
        var render = EasypayChart.Render(EasypayChart.Args("prod", set: ["backend.autoscaling.enabled=false", "backend.replicas=3"]));
        render.Deployment("backend").Number("spec.replicas").ShouldBe(3);
        render.Single("PodDisruptionBudget", "easypay-backend").Number("spec.minAvailable").ShouldBe(2);
    }
}
