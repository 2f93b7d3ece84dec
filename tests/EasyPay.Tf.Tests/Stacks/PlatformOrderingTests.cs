using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Charts;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>First install and upgrade order of the platform stack: every release that registers admission
/// webhooks or aggregated APIs is ready before anything whose objects they intercept or serve. A fail-closed
/// webhook without endpoints rejects the object; an API that is not served yet fails the release that uses it.</summary>
public class PlatformOrderingTests
{
    /// <summary>What each add-on release registers, from its chart at the pinned version, as the API group/kind
    /// the registration intercepts or serves, with the readiness resource that proves it is up (the release
    /// itself when helm's wait covers the serving pods; a separate check when it does not).</summary>
    private static readonly (string Release, string Intercepts, string ReadyWhen)[] Registrations =
    [
        // aws-load-balancer-controller chart 1.13.4 templates/webhook.yaml: mtargetgroupbinding / vtargetgroupbinding
        // (failurePolicy Fail), mpod (Ignore, namespaces labelled elbv2.k8s.aws/pod-readiness-gate-inject);
        // mservice is off (enableServiceMutatorWebhook: false).
        ("aws-load-balancer-controller", "elbv2.k8s.aws/TargetGroupBinding", "release"),
        ("aws-load-balancer-controller", "Pod in a readiness-gate namespace", "release"),
        // external-secrets chart 0.19.2 templates/validatingwebhook.yaml: secretstore-validate (secretstores,
        // clustersecretstores), externalsecret-validate.
        ("external-secrets", "external-secrets.io/ExternalSecret", "release"),
        ("external-secrets", "external-secrets.io/SecretStore", "release"),
        ("external-secrets", "external-secrets.io/ClusterSecretStore", "release"),
        // tigera-operator v3.30.7: the operator registers APIService v3.projectcalico.org after rolling out
        // calico-apiserver (tigera/operator pkg/render/apiserver.go); helm's wait does not see it.
        ("tigera-operator", "projectcalico.org/NetworkPolicy", "kubernetes_job_v1"),
        // metrics-server chart 3.12.2 templates/apiservice.yaml: v1beta1.metrics.k8s.io (HPAs read it).
        ("metrics-server", "autoscaling/HorizontalPodAutoscaler", "release"),
    ];

    private static readonly Lazy<JsonObject> Prod = new(() => SynthesizedApp.Repository.Stack("prod-platform"));

    private static string ReleaseAddress(JsonObject json, string name) =>
        $"helm_release.{json.Resources("helm_release").Single(r => r.Body.Str("name") == name).Name}";

    /// <summary>Everything <paramref name="address"/> waits for, directly or through what it waits for.</summary>
    private static HashSet<string> WaitsFor(JsonObject json, string address)
    {
        var bodies = json.AllResources().ToDictionary(r => $"{r.Type}.{r.Name}", r => r.Body);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([address]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var dependency in bodies.GetValueOrDefault(current)?["depends_on"].Strings() ?? [])
            {
                if (seen.Add(dependency))
                {
                    queue.Enqueue(dependency);
                }
            }
        }
        return seen;
    }

    [ToolFact(Tool.Helm)]
    public void The_application_release_waits_for_every_webhook_and_api_its_objects_use()
    {
        var json = Prod.Value;
        // The kinds the app chart creates, rendered with the values the platform stack generates for prod.
        var render = EasypayChart.Render("prod");
        var kinds = render.All.Select(m => $"{m.ApiVersion.Split('/')[0]}/{m.Kind}").ToHashSet(StringComparer.Ordinal);
        kinds.Add("Pod in a readiness-gate namespace"); // its Deployments' pods, in the labelled namespace
        var waits = WaitsFor(json, ReleaseAddress(json, "easypay"));
        var used = Registrations.Where(r => kinds.Contains(r.Intercepts)).ToList();
        used.Select(r => r.Release).Distinct().Count().ShouldBe(4, "the app chart uses the webhooks/APIs of all four registering releases");
        foreach (var (release, intercepts, readyWhen) in used)
        {
            waits.ShouldContain(ReleaseAddress(json, release), $"easypay creates {intercepts} but does not wait for {release}");
            if (readyWhen != "release")
            {
                var check = json.Resources(readyWhen).ShouldHaveSingleItem();
                waits.ShouldContain($"{readyWhen}.{check.Name}", $"easypay creates {intercepts} but does not wait until {release} serves it");
                WaitsFor(json, $"{readyWhen}.{check.Name}").ShouldContain(ReleaseAddress(json, release));
            }
        }
    }

    [Fact]
    public void No_add_on_release_creates_objects_another_add_on_intercepts()
    {
        // With the load balancer controller's Service mutator off, its remaining fail-closed webhooks intercept
        // only TargetGroupBindings, Ingresses and IngressClassParams, which no add-on chart creates: the add-ons
        // install in parallel without racing its webhook (aws-load-balancer-controller#4140).
        var values = Prod.Value.Resources("helm_release").Single(r => r.Body.Str("name") == "aws-load-balancer-controller").Body["values"]![0]!.ToString();
        values.ShouldContain("enableServiceMutatorWebhook: false");
        values.ShouldContain("maxUnavailable: 1"); // PDB: one of two webhook replicas stays through a drain
    }

    [Fact]
    public void The_calico_api_check_runs_after_the_operator_and_polls_the_discovery_document_within_its_deadline()
    {
        var json = Prod.Value;
        var (_, job) = json.Resources("kubernetes_job_v1").ShouldHaveSingleItem();
        job["depends_on"].Strings().ShouldContain(ReleaseAddress(json, "tigera-operator"));
        job.Str("wait_for_completion").ShouldBe("true");
        // The job name carries the operator version, so an upgrade of Calico checks again.
        job.Str("metadata.name").ShouldBe($"calico-api-available-{EasyPay.Tf.Modules.Platform.Addons.ChartVersions.TigeraOperator.Replace('.', '-')}");
        var deadline = int.Parse(job.Str("spec.active_deadline_seconds")!, System.Globalization.CultureInfo.InvariantCulture);
        job.Str("timeouts.create").ShouldBe($"{deadline + 60}s");
        var pod = job["spec"]!["template"]!["spec"]!;
        var container = pod["container"]![0]!;
        container["env"]![0]!.Str("value").ShouldBe("projectcalico.org/v3");
        container["command"].Strings()[^1].ShouldContain("https://kubernetes.default.svc/apis/$GROUP_VERSION");
        // restricted Pod Security: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp
        pod.Str("security_context.run_as_non_root").ShouldBe("true");
        pod.Str("security_context.seccomp_profile.type").ShouldBe("RuntimeDefault");
        container.Str("security_context.allow_privilege_escalation").ShouldBe("false");
        container["security_context"]!["capabilities"]!["drop"].Strings().ShouldBe(["ALL"]);
    }
}
