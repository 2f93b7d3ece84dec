using System.Globalization;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>Rules over the easypay chart as rendered with each environment's values.</summary>
public static class ChartRules
{
    public static readonly ChartRule DisruptionBudgets = new("AVL-007",
        "Autoscaled workloads: PDB minAvailable < HPA minReplicas <= maxReplicas; production minReplicas >= AZ count",
        Severity.High, Applicability.AllEnvironments,
        "A PDB at or above the replica floor blocks every node drain; fewer replicas than AZs leaves an AZ without pods.",
        Check)
    {
        Subjects = ["HorizontalPodAutoscaler"],
    };

    public static IReadOnlyList<ChartRule> All { get; } = [DisruptionBudgets];

    private static IEnumerable<Violation> Check(ChartContext ctx)
    {
        var budgets = ctx.OfKind("PodDisruptionBudget").ToList();
        foreach (var hpa in ctx.OfKind("HorizontalPodAutoscaler"))
        {
            var min = hpa.Text("spec.minReplicas") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : 1; // the API default
            var max = hpa.Number("spec.maxReplicas");
            if (min > max)
            {
                yield return ctx.Violation(hpa, $"minReplicas {min} exceeds maxReplicas {max}");
            }
            if (ctx.Production && min < ctx.AzCount)
            {
                yield return ctx.Violation(hpa, $"minReplicas {min} is below the {ctx.AzCount} AZs of production: some AZ runs no replica");
            }
            var target = ctx.OfKind(hpa.Text("spec.scaleTargetRef.kind") ?? "Deployment").FirstOrDefault(d => d.Name == hpa.Text("spec.scaleTargetRef.name"));
            if (target is null)
            {
                yield return ctx.Violation(hpa, $"scales {hpa.Text("spec.scaleTargetRef.kind")}/{hpa.Text("spec.scaleTargetRef.name")}, which the chart does not render");
                continue;
            }
            var podLabels = target.StringMap("spec.template.metadata.labels");
            var pdbs = budgets.Where(p => p.StringMap("spec.selector.matchLabels") is { Count: > 0 } sel && sel.All(kv => podLabels.GetValueOrDefault(kv.Key) == kv.Value)).ToList();
            if (pdbs.Count == 0)
            {
                yield return ctx.Violation(hpa, $"{ChartContext.Address(target)} has no PodDisruptionBudget: a drain may evict all its pods at once");
            }
            foreach (var pdb in pdbs)
            {
                var allowed = DisruptionsAllowed(pdb, min);
                if (allowed < 1)
                {
                    yield return ctx.Violation(pdb, $"allows no voluntary disruption at {min} replicas (HPA minReplicas): node drains and upgrades would block");
                }
            }
        }
    }

    /// <summary>Pods the budget lets go at <paramref name="replicas"/> replicas (minAvailable or maxUnavailable,
    /// integer or percentage, rounded as the disruption controller does).</summary>
    private static int DisruptionsAllowed(KubeManifest pdb, int replicas)
    {
        if (pdb.Text("spec.minAvailable") is { } minAvailable)
        {
            return replicas - Scale(minAvailable, replicas);
        }
        return pdb.Text("spec.maxUnavailable") is { } maxUnavailable ? Scale(maxUnavailable, replicas) : 0;
    }

    private static int Scale(string value, int replicas) =>
        value.EndsWith('%')
            ? (int)Math.Ceiling(replicas * double.Parse(value[..^1], CultureInfo.InvariantCulture) / 100)
            : int.Parse(value, CultureInfo.InvariantCulture);
}
