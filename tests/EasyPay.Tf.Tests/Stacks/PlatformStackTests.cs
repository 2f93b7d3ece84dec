using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Charts;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

public class PlatformStackTests
{
    private static EnvironmentConfig Env(string name) => TestEnvironments.Repository(name);

    private static JsonObject Synth(EnvironmentConfig env) => AppSynth.Run(app =>
    {
        var network = new NetworkStack(app, env);
        _ = new PlatformStack(app, env, UpstreamOutputs.Account(env), network.Outputs, UpstreamOutputs.Cluster(env), UpstreamOutputs.Database(env), RepoPaths.App);
    })[$"{env.Name}-platform"];

    private static readonly Lazy<JsonObject> Prod = new(() => Synth(Env("prod")));

    private static string ValuesYaml(string env) => EasypayChart.GeneratedValuesYaml(env);

    [Fact]
    public void Providers_use_the_cluster_endpoint_and_an_eks_token_never_a_kubeconfig()
    {
        var json = Prod.Value;
        var kubernetes = json["provider"]!["kubernetes"]![0]!;
        var helm = json["provider"]!["helm"]![0]!["kubernetes"]!;
        foreach (var config in new[] { kubernetes, helm })
        {
            config["host"]!.ToString().ShouldStartWith("https://");
            config["token"]!.ToString().ShouldContain("ephemeral.aws_eks_cluster_auth.");
            config["cluster_ca_certificate"]!.ToString().ShouldContain("base64decode(");
        }
        json.ToJsonString().ShouldNotContain("config_path");
        json.ToJsonString().ShouldNotContain("\"exec\"");
        json["ephemeral"]!["aws_eks_cluster_auth"]!.AsObject().ShouldHaveSingleItem().Value.Str("name").ShouldBe("easypay-prod");
    }

    [Fact]
    public void Every_release_is_pinned_atomic_and_waits()
    {
        var releases = Prod.Value.Resources("helm_release").Select(r => r.Body).ToList();
        releases.Select(r => r.Str("name")).ShouldBe(
            ["tigera-operator", "metrics-server", "aws-load-balancer-controller", "cluster-autoscaler", "external-secrets", "velero", "easypay"], ignoreOrder: true);
        foreach (var r in releases)
        {
            r.Str("version")!.ShouldMatch(@"^v?\d+\.\d+\.\d+$", $"{r.Str("name")} is not pinned");
            r.Str("atomic").ShouldBe("true");
            r.Str("cleanup_on_fail").ShouldBe("true");
            r.Str("wait").ShouldBe("true");
            int.Parse(r.Str("timeout")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(840);
        }
    }

    [Fact]
    public void The_application_waits_for_its_namespace_and_the_addons_whose_crds_it_uses()
    {
        var json = Prod.Value;
        var releases = json.Resources("helm_release").ToDictionary(r => r.Body.Str("name")!, r => r.Name);
        var app = json.Resources("helm_release").Single(r => r.Body.Str("name") == "easypay").Body;
        var dependsOn = app["depends_on"].Strings();
        dependsOn.ShouldContain(d => d.StartsWith("kubernetes_namespace_v1.", StringComparison.Ordinal));
        foreach (var prerequisite in new[] { "tigera-operator", "metrics-server", "aws-load-balancer-controller", "external-secrets" })
        {
            dependsOn.ShouldContain($"helm_release.{releases[prerequisite]}");
        }
        app.Str("create_namespace").ShouldBe("false");
        var ns = json.Resources("kubernetes_namespace_v1").Single(n => n.Body["metadata"]!["name"]!.ToString() == "easypay").Body["metadata"]!;
        ns["name"]!.ToString().ShouldBe("easypay");
        ns["labels"]!["pod-security.kubernetes.io/enforce"]!.ToString().ShouldBe("restricted");
        // aws-load-balancer-controller v2.13.4 docs/deploy/pod_readiness_gate.md: the namespace label that makes the
        // controller inject a readiness gate into new pods behind a TargetGroupBinding (zero-downtime rollouts).
        ns["labels"]!["elbv2.k8s.aws/pod-readiness-gate-inject"]!.ToString().ShouldBe("enabled");
    }

    [Fact]
    public void The_chart_ships_inside_the_stack_with_a_relative_path_and_its_content_hash()
    {
        var app = Prod.Value.Resources("helm_release").Single(r => r.Body.Str("name") == "easypay").Body;
        app.Str("chart")!.ShouldStartWith("assets/");
        app.Str("description")!.ShouldBe($"easypay chart 2.1.1, content sha256:{EasyPay.Tf.Modules.Platform.EasypayApplication.ContentHash(RepoPaths.App.EasypayChart)}");
        Prod.Value.ToJsonString().ShouldNotContain(RepoPaths.Root);
    }

    [Fact]
    public void Calico_runs_in_policy_only_mode_beside_the_vpc_cni()
    {
        var calico = Prod.Value.Resources("helm_release").Single(r => r.Body.Str("name") == "tigera-operator").Body;
        // tigera-operator chart v3.30.7: the version keeps its "v" (helm package --version $(GIT_VERSION)); 3.30.x carries
        // the fix of projectcalico/calico#9437 (3.29.4 / 3.30.0) and is tested on Kubernetes 1.31-1.35.
        calico.Str("version").ShouldBe("v3.30.7");
        var values = YamlOf(calico);
        // values.yaml renders everything under installation (but "enabled") as the Installation spec; the CRD allows
        // cni.type AmazonVPC with kubernetesProvider EKS, as Calico's EKS guide installs it (calicoNetwork.bgp Disabled).
        (Get(values, "installation.kubernetesProvider"), Get(values, "installation.cni.type"), Get(values, "installation.calicoNetwork.bgp"))
            .ShouldBe(("EKS", "AmazonVPC", "Disabled"));
        Get(values, "apiServer.enabled").ShouldBe("true");
        // goldmane and whisker: new in 3.30 and enabled by default in the chart's values.yaml.
        (Get(values, "goldmane.enabled"), Get(values, "whisker.enabled")).ShouldBe(("false", "false"));
    }

    [Fact]
    public void Add_on_values_use_the_keys_their_charts_define_at_the_pinned_versions()
    {
        var releases = Prod.Value.Resources("helm_release").ToDictionary(r => r.Body.Str("name")!, r => YamlOf(r.Body));
        // metrics-server chart 3.12.2 appends args after defaultArgs without de-duplicating: the default list is
        // replaced whole (its defaults: --cert-dir=/tmp, --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname,
        // --kubelet-use-node-status-port, --metric-resolution=15s), with InternalIP only.
        var metrics = releases["metrics-server"];
        ((List<object>)metrics["defaultArgs"]!).Cast<string>().ShouldBe(
            ["--cert-dir=/tmp", "--kubelet-preferred-address-types=InternalIP", "--kubelet-use-node-status-port", "--metric-resolution=15s"]);
        metrics.ContainsKey("args").ShouldBeFalse();
        // external-secrets chart 0.19.2 values.yaml: leaderElect (default false), webhook.* and certController.* replicas
        // and PDBs; the cert-controller binary's --enable-leader-election (default false) only through extraArgs.
        var eso = releases["external-secrets"];
        (Get(eso, "replicaCount"), Get(eso, "leaderElect")).ShouldBe(("2", "true"));
        foreach (var component in new[] { "webhook", "certController" })
        {
            (Get(eso, $"{component}.replicaCount"), Get(eso, $"{component}.podDisruptionBudget.enabled"), Get(eso, $"{component}.podDisruptionBudget.minAvailable"))
                .ShouldBe(("2", "true", "1"), component);
        }
        Get(eso, "certController.extraArgs.enable-leader-election").ShouldBe("true");
        // aws-load-balancer-controller chart 1.13.4 values.yaml: region/vpcId become --aws-region/--aws-vpc-id (the
        // controller needs them with IMDS hop limit 1); podDisruptionBudget is inlined into the PDB spec.
        var lbc = releases["aws-load-balancer-controller"];
        (Get(lbc, "enableServiceMutatorWebhook"), Get(lbc, "podDisruptionBudget.maxUnavailable"), Get(lbc, "region")).ShouldBe(("false", "1", "eu-west-1"));
        Get(lbc, "vpcId").ShouldNotBeNullOrEmpty();
        // cluster-autoscaler chart 9.46.6: awsRegion becomes AWS_REGION (no IMDS lookup); one node group per AZ is
        // balanced by --balance-similar-node-groups.
        var autoscaler = releases["cluster-autoscaler"];
        (Get(autoscaler, "awsRegion"), Get(autoscaler, "extraArgs.balance-similar-node-groups")).ShouldBe(("eu-west-1", "true"));
        // --skip-nodes-with-local-storage defaults to true (cluster-autoscaler 1.35 config/flags/flags.go): the
        // app's emptyDir scratch volumes would keep every node it ever ran on.
        Get(autoscaler, "extraArgs.skip-nodes-with-local-storage").ShouldBe("false");
    }

    private static Dictionary<object, object?> YamlOf(JsonObject release) =>
        new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(release["values"]![0]!.ToString());

    private static string? Get(Dictionary<object, object?> values, string path)
    {
        object? node = values;
        foreach (var part in path.Split('.'))
        {
            node = node is Dictionary<object, object?> map && map.TryGetValue(part, out var next) ? next : null;
        }
        return node?.ToString()?.ToLowerInvariant() is "true" or "false" ? node.ToString()!.ToLowerInvariant() : node?.ToString();
    }

    [Fact]
    public void Velero_backs_up_every_six_hours_and_keeps_backups_seven_days()
    {
        var velero = Prod.Value.Resources("helm_release").Single(r => r.Body.Str("name") == "velero").Body["values"]![0]!.ToString();
        velero.ShouldContain("schedule: \"0 */6 * * *\"");
        velero.ShouldContain("ttl: \"168h0m0s\"");
        velero.ShouldContain("bucket: \"easypay-prod-velero-333344445555\"");
        velero.ShouldContain("useSecret: false");
    }

    [Fact]
    public void A_values_change_is_an_in_place_release_upgrade_showing_only_that_value()
    {
        var (beforeAddress, before) = Prod.Value.Resources("helm_release").Single(r => r.Body.Str("name") == "easypay");
        var newTag = Env("prod") with
        {
            Application = Env("prod").Application with { BackendImage = Env("prod").Application.BackendImage with { Tag = "1.4.3" } },
        };
        var (afterAddress, after) = Synth(newTag).Resources("helm_release").Single(r => r.Body.Str("name") == "easypay");
        var beforeLines = before["values"]![0]!.ToString().Split('\n');
        var afterLines = after["values"]![0]!.ToString().Split('\n');
        afterLines.Length.ShouldBe(beforeLines.Length);
        var changed = beforeLines.Zip(afterLines).Where(p => p.First != p.Second).ToList();
        changed.ShouldBe([("    tag: \"1.4.2\"", "    tag: \"1.4.3\"")]);
        // Same resource address, same chart: Terraform updates the release in place (helm upgrade), and the
        // chart's RollingUpdate (maxUnavailable 0) with atomic rollback makes it zero-downtime.
        afterAddress.ShouldBe(beforeAddress);
        after.Str("chart").ShouldBe(before.Str("chart"));
        after.Str("atomic").ShouldBe("true");
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_generated_application_values_pass_the_chart_schema_and_lint(string env)
    {
        var args = new HelmArgs { Release = EasypayChart.Release, Namespace = EasypayChart.Namespace, ValuesYaml = ValuesYaml(env) };
        var render = HelmCli.Template(args);
        render.Succeeded.ShouldBeTrue(render.Output);
        var lint = HelmCli.Lint(args);
        lint.Succeeded.ShouldBeTrue(lint.Output);
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_chart_renders_with_the_generated_values_as_the_stack_configures_it(string env)
    {
        var e = Env(env);
        var render = EasypayChart.Render(new HelmArgs { Release = EasypayChart.Release, Namespace = EasypayChart.Namespace, ValuesYaml = ValuesYaml(env) });
        var backend = render.All.Single(m => m.Kind == "HorizontalPodAutoscaler" && m.Name.EndsWith("backend", StringComparison.Ordinal));
        backend.Number("spec.minReplicas").ShouldBe(e.Application.BackendReplicas.Min);
        backend.Number("spec.maxReplicas").ShouldBe(e.Application.MaxReplicas(e.Application.BackendReplicas));
        // Both ALB target groups bind the frontend Service; nothing binds the backend (not reachable from the internet).
        var bindings = render.OfKind("TargetGroupBinding");
        bindings.Select(t => t.Text("spec.targetGroupARN"))
            .ShouldBe([UpstreamOutputs.Cluster(e).FrontendTargetGroupArn, UpstreamOutputs.Cluster(e).ApiTargetGroupArn], ignoreOrder: true);
        bindings.ShouldAllBe(t => t.Text("spec.serviceRef.name") == $"{EasypayChart.Release}-frontend");
        // No minDomains: with it (= AZ count) a lost AZ counts as an empty domain and, with DoNotSchedule and
        // maxSkew 1, no new pod fits anywhere until it is back (Kubernetes topology spread, "minDomains").
        foreach (var d in render.OfKind("Deployment"))
        {
            var zone = d.Nodes("spec.template.spec.topologySpreadConstraints").Single(c => c.Text("topologyKey") == "topology.kubernetes.io/zone");
            (zone.Has("minDomains"), zone.Text("whenUnsatisfiable"), zone.Text("nodeTaintsPolicy")).ShouldBe((false, "DoNotSchedule", "Honor"));
        }
        render.OfKind("Deployment").Single(d => d.Name.EndsWith("backend", StringComparison.Ordinal))
            .Nodes("spec.template.spec.containers")[0].Text("image")
            .ShouldBe(e.Application.BackendImage.Digest is { } digest
                ? $"{UpstreamOutputs.Account(e).BackendRepositoryUrl}@{digest}"
                : $"{UpstreamOutputs.Account(e).BackendRepositoryUrl}:{e.Application.BackendImage.Tag}");
    }

    [ToolTheory(Tool.Helm | Tool.KubeValidate)]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Manifests_rendered_with_the_generated_values_are_valid_kubernetes(string env)
    {
        var render = HelmCli.Template(new HelmArgs { Release = EasypayChart.Release, Namespace = EasypayChart.Namespace, ValuesYaml = ValuesYaml(env) });
        var result = KubeValidate.Run(render.StdOut);
        result.Invalid.ShouldBe(0, result.Cli.Output);
        result.Valid.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Every_addon_namespace_exists_with_pod_security_labels_before_its_release()
    {
        var json = Prod.Value;
        var namespaces = json.Resources("kubernetes_namespace_v1").ToDictionary(n => n.Body["metadata"]!["name"]!.ToString(), n => n);
        // What each add-on's pods satisfy: tigera-operator runs with hostNetwork (chart v3.30.7); External Secrets 0.19.2
        // and Velero (security contexts set here) satisfy restricted.
        var expected = new Dictionary<string, string> { ["tigera-operator"] = "privileged", ["external-secrets"] = "restricted", ["velero"] = "restricted" };
        foreach (var release in json.Resources("helm_release").Where(r => r.Body.Str("name") != "easypay"))
        {
            release.Body.Str("create_namespace").ShouldBe("false", release.Name);
            var ns = release.Body.Str("namespace")!;
            if (ns == "kube-system")
            {
                continue;
            }
            var labels = namespaces[ns].Body["metadata"]!["labels"]!;
            foreach (var mode in new[] { "enforce", "audit", "warn" })
            {
                labels[$"pod-security.kubernetes.io/{mode}"]!.ToString().ShouldBe(expected[ns], $"{ns} {mode}");
            }
            release.Body["depends_on"].Strings().ShouldContain($"kubernetes_namespace_v1.{namespaces[ns].Name}");
        }
        // External Secrets' Role goes into the app namespace: its release waits for it.
        var eso = json.Resources("helm_release").Single(r => r.Body.Str("name") == "external-secrets").Body;
        eso["depends_on"].Strings().ShouldContain($"kubernetes_namespace_v1.{namespaces["easypay"].Name}");
        // A new cluster creates them; an upgrade (cluster.adoptAddonNamespaces) imports them.
        json["import"].ShouldBeNull();
    }
}
