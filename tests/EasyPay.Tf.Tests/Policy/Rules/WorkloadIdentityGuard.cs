using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>What the ValidatingAdmissionPolicies bound (Deny) to one namespace do for a service account with an
/// IAM role: each way a pod creator could obtain its credentials, and whether a policy closes it. Reads the
/// policies' match rules and CEL text; the chart tests evaluate the CEL itself.</summary>
public sealed class WorkloadIdentityGuard
{
    private readonly IReadOnlyList<KubeManifest> _policies;

    private WorkloadIdentityGuard(IReadOnlyList<KubeManifest> policies) => _policies = policies;

    /// <summary>The policies that a Deny binding applies to <paramref name="ns"/> (by the namespace's name label).</summary>
    public static WorkloadIdentityGuard Of(IReadOnlyList<KubeManifest> manifests, string ns)
    {
        var bound = manifests.Where(m => m.Kind == "ValidatingAdmissionPolicyBinding"
                && m.Texts("spec.validationActions").Contains("Deny")
                && m.StringMap("spec.matchResources.namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == ns)
            .Select(b => b.Text("spec.policyName")).ToHashSet(StringComparer.Ordinal);
        return new([.. manifests.Where(m => m.Kind == "ValidatingAdmissionPolicy" && bound.Contains(m.Name) && m.Text("spec.failurePolicy") == "Fail")]);
    }

    /// <summary>The ways to the account's IAM role no policy closes, as "what is missing" sentences.</summary>
    public IEnumerable<string> GapsFor(string serviceAccount)
    {
        var quoted = $"\"{serviceAccount}\"";
        var pods = Matching("pods", "CREATE").Where(p => Cel(p).Contains(quoted, StringComparison.Ordinal)).ToList();
        if (!pods.Any(p => Cel(p).Contains("system:serviceaccount:kube-system:replicaset-controller", StringComparison.Ordinal)))
        {
            yield return "no admission policy restricts creating pods that run as it to the ReplicaSet controller";
        }
        if (!Matching("pods", "UPDATE").Any(p => Cel(p).Contains(quoted, StringComparison.Ordinal) && Cel(p).Contains("oldObject.spec.containers", StringComparison.Ordinal)))
        {
            yield return "no admission policy keeps the images of its pods from being changed";
        }
        if (!Matching("pods/ephemeralcontainers", "UPDATE").Any(p => Cel(p).Contains(quoted, StringComparison.Ordinal)))
        {
            yield return "no admission policy keeps debug (ephemeral) containers out of its pods";
        }
        var prefix = $"\"{serviceAccount}-\"";
        if (!Matching("pods/exec", "CONNECT").Any(p => Cel(p).Contains(prefix, StringComparison.Ordinal) && Cel(p).Contains("request.name.startsWith", StringComparison.Ordinal)))
        {
            yield return "no admission policy denies exec into its pods (which reads the projected token)";
        }
    }

    private IEnumerable<KubeManifest> Matching(string resource, string operation) =>
        _policies.Where(p => p.Nodes("spec.matchConstraints.resourceRules").Any(r =>
            r.Texts("apiGroups").Contains("") && r.Texts("resources").Contains(resource) && r.Texts("operations").Intersect([operation, "*"]).Any()));

    /// <summary>The policy's variables and validations, one CEL text (quotes as JSON writes them).</summary>
    public static string Cel(KubeManifest policy) => string.Join("\n",
        policy.Nodes("spec.variables").Select(v => v.Text("expression")).Concat(policy.Nodes("spec.validations").Select(v => v.Text("expression"))).OfType<string>());
}
