using System.Text.Json;
using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>The chart's ValidatingAdmissionPolicies, evaluated: the CEL of the rendered policies runs (through
/// admission/admission-eval.mjs, @marcbachmann/cel-js, installed by build/bootstrap.sh) against the requests a developer, the ReplicaSet controller and a
/// kubectl exec send, so a typo or a wrong field path in an expression fails here rather than on the cluster.</summary>
public class EasypayChartAdmissionTests
{
    private const string Developer = "arn:aws:sts::333344445555:assumed-role/easypay-prod-developer/alice";
    /// <summary>How kube-controller-manager's ReplicaSet controller appears in EKS audit logs (EKS Best Practices Guide,
    /// scalability/kcp_monitoring, the per-controller Logs Insights query).</summary>
    private const string ReplicaSetController = "system:serviceaccount:kube-system:replicaset-controller";

    private static JsonObject Pod(string serviceAccount, string image, bool deprecatedField = false)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "api", ["image"] = image }) };
        spec[deprecatedField ? "serviceAccount" : "serviceAccountName"] = serviceAccount;
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = "p" }, ["spec"] = spec };
    }

    private static JsonObject Request(string operation, string user, string name = "p", string subResource = "") => new()
    {
        ["operation"] = operation,
        ["name"] = name,
        ["subResource"] = subResource,
        ["userInfo"] = new JsonObject { ["username"] = user },
    };

    private static readonly (string Name, string Operation, string Resource, JsonObject? Object, JsonObject? OldObject, JsonObject Request, bool Admitted)[] Cases =
    [
        ("developer creates a pod as the backend", "CREATE", "pods", Pod("easypay-backend", "evil:1"), null, Request("CREATE", Developer), false),
        ("developer names the backend in the deprecated serviceAccount field", "CREATE", "pods", Pod("easypay-backend", "evil:1", deprecatedField: true), null, Request("CREATE", Developer), false),
        ("the ReplicaSet controller creates a backend pod", "CREATE", "pods", Pod("easypay-backend", "api:1"), null, Request("CREATE", ReplicaSetController), true),
        ("developer creates a debug pod as the default account", "CREATE", "pods", Pod("default", "busybox:1"), null, Request("CREATE", Developer), true),
        ("developer swaps the image of a backend pod", "UPDATE", "pods", Pod("easypay-backend", "evil:1"), Pod("easypay-backend", "api:1"), Request("UPDATE", Developer), false),
        ("developer relabels a backend pod", "UPDATE", "pods", Pod("easypay-backend", "api:1"), Pod("easypay-backend", "api:1"), Request("UPDATE", Developer), true),
        ("a debug container joins a backend pod", "UPDATE", "pods/ephemeralcontainers", Pod("easypay-backend", "api:1"), Pod("easypay-backend", "api:1"), Request("UPDATE", Developer, subResource: "ephemeralcontainers"), false),
        ("developer changes the image of their own debug pod", "UPDATE", "pods", Pod("default", "busybox:2"), Pod("default", "busybox:1"), Request("UPDATE", Developer), true),
        ("developer execs into a backend pod", "CONNECT", "pods/exec", new JsonObject { ["command"] = new JsonArray("sh") }, null, Request("CONNECT", Developer, "easypay-backend-7d9f8c6b5-x2k4q", "exec"), false),
        ("developer attaches to a backend pod", "CONNECT", "pods/attach", new JsonObject(), null, Request("CONNECT", Developer, "easypay-backend-7d9f8c6b5-x2k4q", "attach"), false),
        ("developer execs into a frontend pod", "CONNECT", "pods/exec", new JsonObject { ["command"] = new JsonArray("sh") }, null, Request("CONNECT", Developer, "easypay-frontend-5c4b3a291-abcde", "exec"), true),
    ];

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.CiEnvironments), MemberType = typeof(EasypayChart))]
    public void The_workload_identity_policies_admit_the_controllers_and_deny_developers(string environment)
    {
        var render = EasypayChart.Render(environment);
        var policies = render.OfKind("ValidatingAdmissionPolicy").ToList();
        policies.Count.ShouldBe(2);
        // Every policy is enforced: a Deny binding in the app namespace, failing closed.
        foreach (var policy in policies)
        {
            policy.Text("spec.failurePolicy").ShouldBe("Fail");
            var binding = render.OfKind("ValidatingAdmissionPolicyBinding").Single(b => b.Text("spec.policyName") == policy.Name);
            binding.Texts("spec.validationActions").ShouldBe(["Deny"]);
            binding.StringMap("spec.matchResources.namespaceSelector.matchLabels")["kubernetes.io/metadata.name"].ShouldBe(EasypayChart.Namespace);
        }

        var input = new JsonObject
        {
            ["policies"] = new JsonArray([.. policies.Select(p => (JsonNode)new JsonObject
            {
                ["variables"] = new JsonArray([.. p.Nodes("spec.variables").Select(v => (JsonNode)new JsonObject { ["name"] = v.Text("name"), ["expression"] = v.Text("expression") })]),
                ["validations"] = new JsonArray([.. p.Nodes("spec.validations").Select(v => (JsonNode)JsonValue.Create(v.Text("expression"))!)]),
            })]),
            ["requests"] = new JsonArray([.. Cases.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["object"] = c.Object?.DeepClone(),
                ["oldObject"] = c.OldObject?.DeepClone(),
                ["request"] = c.Request.DeepClone(),
                // The policies whose match rules select this request, as the API server picks them.
                ["policies"] = new JsonArray([.. policies.Select((p, i) => (p, i)).Where(x => Matches(x.p, c.Operation, c.Resource)).Select(x => (JsonNode)x.i)]),
            })]),
        };
        var script = Path.Combine(RepoPaths.Root, "tests", "EasyPay.Tf.Tests", "Charts", "admission", "admission-eval.mjs");
        var result = ProcessRunner.Run("node", [script], input.ToJsonString(), TimeSpan.FromSeconds(60));
        result.ExitCode.ShouldBe(0, result.Output);
        var verdicts = JsonSerializer.Deserialize<Dictionary<string, string>>(result.StdOut)!;
        foreach (var c in Cases)
        {
            var verdict = verdicts[c.Name];
            (verdict == "admitted").ShouldBe(c.Admitted, $"{c.Name}: {verdict}");
            if (!c.Admitted)
            {
                verdict.ShouldNotContain("(error)", customMessage: $"{c.Name} must be denied by a validation, not by an evaluation error: {verdict}");
            }
        }
    }

    private static bool Matches(KubeManifest policy, string operation, string resource) =>
        policy.Nodes("spec.matchConstraints.resourceRules").Any(r => r.Texts("resources").Contains(resource) && r.Texts("operations").Contains(operation));
}
