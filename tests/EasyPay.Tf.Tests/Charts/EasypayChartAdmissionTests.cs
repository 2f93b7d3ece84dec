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
    /// <summary>Who runs `helm test` (the platform's deployer role, as EKS names an assumed role).</summary>
    private const string Deployer = "arn:aws:sts::333344445555:assumed-role/easypay-prod-platform-deployer/admin";

    private static JsonObject Pod(string serviceAccount, string image, bool deprecatedField = false, string? component = null, bool ownedByReplicaSet = false)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "api", ["image"] = image }) };
        spec[deprecatedField ? "serviceAccount" : "serviceAccountName"] = serviceAccount;
        var metadata = new JsonObject { ["name"] = "p" };
        if (component is not null)
        {
            metadata["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "easypay", ["app.kubernetes.io/instance"] = "easypay", ["app.kubernetes.io/component"] = component };
        }
        if (ownedByReplicaSet)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "easypay-backend-7d9f8c6b5", ["uid"] = "u", ["controller"] = true });
        }
        return new JsonObject { ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>An image the environment's admission policy admits: its ECR registry (UpstreamOutputs' account), by digest.</summary>
    private static string Ecr(string environment, string repository = "easypay/payment-api") =>
        $"{TestEnvironments.Repository(environment).AccountId}.dkr.ecr.eu-west-1.amazonaws.com/{repository}@sha256:{new string('a', 64)}";

    private static JsonObject Request(string operation, string user, string name = "p", string subResource = "") => new()
    {
        ["operation"] = operation,
        ["name"] = name,
        ["subResource"] = subResource,
        ["userInfo"] = new JsonObject { ["username"] = user },
    };

    private static (string Name, string Operation, string Resource, JsonObject? Object, JsonObject? OldObject, JsonObject Request, bool Admitted)[] Cases(string environment)
    {
        var ecr = Ecr(environment);
        var ecrTag = ecr[..ecr.IndexOf('@', StringComparison.Ordinal)] + ":1.4.2";
        var production = TestEnvironments.Repository(environment).Production;
        // The test pod's image as PlatformStack.ApplicationValues sets tests.image for the environment.
        var testImage = EasypayChart.GeneratedValues(environment).Tests.Image;
        var curl = $"{testImage.Repository}:{testImage.Tag}";
        return
        [
            ("developer creates a pod as the backend", "CREATE", "pods", Pod("easypay-backend", ecr), null, Request("CREATE", Developer), false),
            ("developer names the backend in the deprecated serviceAccount field", "CREATE", "pods", Pod("easypay-backend", ecr, deprecatedField: true), null, Request("CREATE", Developer), false),
            ("the ReplicaSet controller creates a backend pod", "CREATE", "pods", Pod("easypay-backend", ecr, component: "backend", ownedByReplicaSet: true), null, Request("CREATE", ReplicaSetController), true),
            ("developer creates a debug pod from the registry", "CREATE", "pods", Pod("default", ecr), null, Request("CREATE", Developer), true),
            ("developer swaps the image of a backend pod", "UPDATE", "pods", Pod("easypay-backend", ecr.Replace("aaaa", "bbbb", StringComparison.Ordinal)), Pod("easypay-backend", ecr), Request("UPDATE", Developer), false),
            ("developer relabels a backend pod", "UPDATE", "pods", Pod("easypay-backend", ecr, component: "backend"), Pod("easypay-backend", ecr, component: "backend"), Request("UPDATE", Developer), true),
            ("a debug container joins a backend pod", "UPDATE", "pods/ephemeralcontainers", Pod("easypay-backend", ecr), Pod("easypay-backend", ecr), Request("UPDATE", Developer, subResource: "ephemeralcontainers"), false),
            ("developer changes the image of their own debug pod within the registry", "UPDATE", "pods", Pod("default", ecr.Replace("aaaa", "bbbb", StringComparison.Ordinal)), Pod("default", ecr), Request("UPDATE", Developer), true),
            ("developer execs into a backend pod", "CONNECT", "pods/exec", new JsonObject { ["command"] = new JsonArray("sh") }, null, Request("CONNECT", Developer, "easypay-backend-7d9f8c6b5-x2k4q", "exec"), false),
            ("developer attaches to a backend pod", "CONNECT", "pods/attach", new JsonObject(), null, Request("CONNECT", Developer, "easypay-backend-7d9f8c6b5-x2k4q", "attach"), false),
            ("developer execs into a frontend pod", "CONNECT", "pods/exec", new JsonObject { ["command"] = new JsonArray("sh") }, null, Request("CONNECT", Developer, "easypay-frontend-5c4b3a291-abcde", "exec"), true),
            // The pod admission policy (pod-admission-policy.yaml).
            ("developer creates a bare pod with the backend's labels", "CREATE", "pods", Pod("default", ecr, component: "backend"), null, Request("CREATE", Developer), false),
            ("developer creates a bare pod with the frontend's labels", "CREATE", "pods", Pod("default", ecr, component: "frontend"), null, Request("CREATE", Developer), false),
            ("developer fakes a ReplicaSet owner on a bare backend pod", "CREATE", "pods", Pod("default", ecr, component: "backend", ownedByReplicaSet: true), null, Request("CREATE", Developer), false),
            ("developer runs a pod as the frontend's account", "CREATE", "pods", Pod("easypay-frontend", ecr), null, Request("CREATE", Developer), false),
            ("developer relabels a debug pod into the backend", "UPDATE", "pods", Pod("default", ecr, component: "backend"), Pod("default", ecr), Request("UPDATE", Developer), false),
            ("developer swaps the image of a frontend pod", "UPDATE", "pods", Pod("easypay-frontend", ecr.Replace("aaaa", "bbbb", StringComparison.Ordinal), component: "frontend"), Pod("easypay-frontend", ecr, component: "frontend"), Request("UPDATE", Developer), false),
            ("developer runs a debug pod from Docker Hub", "CREATE", "pods", Pod("default", "busybox:1.36"), null, Request("CREATE", Developer), false),
            ("developer runs an image of another account's registry", "CREATE", "pods", Pod("default", "999988887777.dkr.ecr.eu-west-1.amazonaws.com/easypay/payment-api@sha256:" + new string('a', 64)), null, Request("CREATE", Developer), false),
            ("a debug pod from the registry by tag", "CREATE", "pods", Pod("default", ecrTag), null, Request("CREATE", Developer), !production),
            ("the ReplicaSet controller creates a backend pod by tag", "CREATE", "pods", Pod("easypay-backend", ecrTag, component: "backend", ownedByReplicaSet: true), null, Request("CREATE", ReplicaSetController), !production),
            // The helm test pod as the platform renders it: curl through the account's pull-through cache, by tag (so
            // production, which requires digests, renders it only with application.testImageDigest).
            ("helm creates the test pod from the account's cache", "CREATE", "pods", Pod("default", curl, component: "test"), null, Request("CREATE", Deployer), !production),
            ("helm creates the test pod from the account's cache by digest", "CREATE", "pods", Pod("default", $"{curl[..curl.LastIndexOf(':')]}@sha256:{new string('c', 64)}", component: "test"), null, Request("CREATE", Deployer), true),
            ("helm creates the test pod with the chart's default curl", "CREATE", "pods", Pod("default", "curlimages/curl:8.11.1", component: "test"), null, Request("CREATE", Deployer), false),
        ];
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.CiEnvironments), MemberType = typeof(EasypayChart))]
    public void The_workload_identity_policies_admit_the_controllers_and_deny_developers(string environment)
    {
        var render = EasypayChart.Render(environment);
        var policies = render.OfKind("ValidatingAdmissionPolicy").ToList();
        policies.Count.ShouldBe(3);
        var cases = Cases(environment);
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
            ["requests"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
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
        foreach (var c in cases)
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
