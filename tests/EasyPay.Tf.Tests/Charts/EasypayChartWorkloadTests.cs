using EasyPay.Tf.Tests.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Deployments, pods and their configuration.</summary>
public class EasypayChartWorkloadTests
{
    private static readonly string[] Components = ["frontend", "backend"];

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Deployments_leave_replicas_to_the_hpa_and_roll_without_losing_capacity(string environment)
    {
        var render = EasypayChart.Render(environment);
        foreach (var component in Components)
        {
            var deployment = render.Deployment(component);
            deployment.Has("spec.replicas").ShouldBeFalse($"{deployment}: replicas must be omitted while the HPA owns them");
            deployment.Text("spec.strategy.type").ShouldBe("RollingUpdate");
            deployment.Text("spec.strategy.rollingUpdate.maxUnavailable").ShouldBe("0");
            deployment.Text("spec.strategy.rollingUpdate.maxSurge").ShouldBe("25%");
            deployment.StringMap("spec.selector.matchLabels").ShouldBe(SelectorLabels(component), ignoreOrder: true);
            deployment.StringMap("spec.template.metadata.labels").ShouldContainKeyAndValue("app.kubernetes.io/component", component);
        }
    }

    [ToolFact(Tool.Helm)]
    public void Replicas_come_from_values_when_autoscaling_is_off()
    {
        var render = EasypayChart.Render(EasypayChart.Args("prod", set: ["frontend.autoscaling.enabled=false", "frontend.replicas=4"]));
        render.Deployment("frontend").Number("spec.replicas").ShouldBe(4);
        render.Find("HorizontalPodAutoscaler", "easypay-frontend").ShouldBeNull();
        render.Deployment("backend").Has("spec.replicas").ShouldBeFalse();
        render.Find("HorizontalPodAutoscaler", "easypay-backend").ShouldNotBeNull();
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Every_app_container_has_readiness_liveness_and_startup_probes_on_health(string environment)
    {
        var render = EasypayChart.Render(environment);
        foreach (var component in Components)
        {
            var container = render.Deployment(component).Node("spec.template.spec.containers[0]");
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                container.Text($"{probe}.httpGet.path").ShouldBe("/health", $"{component} {probe}");
                container.Text($"{probe}.httpGet.port").ShouldBe("http", $"{component} {probe}");
                container.Number($"{probe}.periodSeconds").ShouldBeGreaterThan(0);
                container.Number($"{probe}.failureThreshold").ShouldBeGreaterThan(0);
            }
            container.Nodes("ports").ShouldHaveSingleItem().Number("containerPort").ShouldBe(8080);
            // the start-up budget must cover a slow start without the liveness probe killing the pod
            (container.Number("startupProbe.periodSeconds") * container.Number("startupProbe.failureThreshold")).ShouldBeGreaterThanOrEqualTo(120);
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Every_pod_and_container_meets_the_restricted_pod_security_standard(string environment)
    {
        var specs = EasypayChart.Render(environment).PodSpecs;
        specs.Select(s => s.Owner.Name).ShouldBe(["easypay-backend", "easypay-frontend", .. EasypayChart.HasHelmTest(environment) ? ["easypay-test-backend-health"] : Array.Empty<string>()], ignoreOrder: true);
        foreach (var (owner, pod) in specs)
        {
            pod.Flag("securityContext.runAsNonRoot").ShouldBe(true, $"{owner}");
            pod.Number("securityContext.runAsUser").ShouldBeGreaterThan(0, $"{owner}");
            pod.Number("securityContext.runAsGroup").ShouldBeGreaterThan(0, $"{owner}");
            pod.Text("securityContext.seccompProfile.type").ShouldBe("RuntimeDefault", $"{owner}");
            pod.Flag("automountServiceAccountToken").ShouldBe(false, $"{owner}");
            pod.Has("hostNetwork").ShouldBeFalse();
            pod.Has("hostPID").ShouldBeFalse();
            pod.Has("initContainers").ShouldBeFalse($"{owner}: an init container would need the same checks");
            var containers = pod.Nodes("containers");
            containers.ShouldNotBeEmpty();
            foreach (var container in containers)
            {
                var what = $"{owner} container {container.Text("name")}";
                container.Flag("securityContext.allowPrivilegeEscalation").ShouldBe(false, what);
                container.Flag("securityContext.readOnlyRootFilesystem").ShouldBe(true, what);
                container.Flag("securityContext.runAsNonRoot").ShouldBe(true, what);
                container.Flag("securityContext.privileged").ShouldNotBe(true, what);
                container.Number("securityContext.runAsUser").ShouldBeGreaterThan(0, what);
                container.Number("securityContext.runAsGroup").ShouldBeGreaterThan(0, what);
                container.Texts("securityContext.capabilities.drop").ShouldBe(["ALL"], what);
                container.Has("securityContext.capabilities.add").ShouldBeFalse(what);
                container.Text("securityContext.seccompProfile.type").ShouldBe("RuntimeDefault", what);
                container.Has("resources.requests.cpu").ShouldBeTrue(what);
                container.Has("resources.requests.memory").ShouldBeTrue(what);
                container.Has("resources.limits.cpu").ShouldBeTrue(what);
                container.Has("resources.limits.memory").ShouldBeTrue(what);
                container.Text("image")!.EndsWith(":latest", StringComparison.Ordinal).ShouldBeFalse(what);
            }
        }
    }

    [ToolFact(Tool.Helm)]
    public void Nginx_writes_only_to_empty_dirs_and_reads_its_config_from_the_configmap()
    {
        var pod = EasypayChart.Render("prod").Deployment("frontend").Node("spec.template.spec");
        var volumes = pod.Nodes("volumes").ToDictionary(v => v.Text("name")!, StringComparer.Ordinal);
        var mounts = pod.Nodes("containers[0].volumeMounts").ToDictionary(m => m.Text("mountPath")!, StringComparer.Ordinal);
        foreach (var path in new[] { "/tmp", "/var/cache/nginx", "/var/run" })
        {
            mounts.ShouldContainKey(path);
            volumes[mounts[path].Text("name")!].Has("emptyDir").ShouldBeTrue($"{path} must be an emptyDir");
        }
        mounts["/etc/nginx/conf.d"].Flag("readOnly").ShouldBe(true);
        volumes[mounts["/etc/nginx/conf.d"].Text("name")!].Text("configMap.name").ShouldBe("easypay-frontend-nginx");
        pod.Number("securityContext.runAsUser").ShouldBe(101); // the nginx user of nginx-unprivileged
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("default", "DoNotSchedule")]
    [InlineData("dev", "DoNotSchedule")]
    [InlineData("staging", "DoNotSchedule")]
    [InlineData("prod", "DoNotSchedule")]
    public void Pods_spread_over_zones_then_nodes(string environment, string zoneRule)
    {
        var render = EasypayChart.Render(environment);
        foreach (var component in Components)
        {
            var constraints = render.Deployment(component).Nodes("spec.template.spec.topologySpreadConstraints")
                .ToDictionary(c => c.Text("topologyKey")!, StringComparer.Ordinal);
            constraints.Keys.ShouldBe(["topology.kubernetes.io/zone", "kubernetes.io/hostname"], ignoreOrder: true);
            var zone = constraints["topology.kubernetes.io/zone"];
            zone.Number("maxSkew").ShouldBe(1);
            zone.Text("whenUnsatisfiable").ShouldBe(zoneRule);
            // nodeTaintsPolicy (TopologySpreadConstraint, GA and locked on since Kubernetes 1.33): Honor drops a lost
            // AZ's nodes (node.kubernetes.io/unreachable:NoSchedule, which pods do not tolerate) from the spread.
            zone.Has("minDomains").ShouldBeFalse();
            zone.Text("nodeTaintsPolicy").ShouldBe("Honor");
            zone.StringMap("labelSelector.matchLabels").ShouldBe(SelectorLabels(component), ignoreOrder: true);
            var host = constraints["kubernetes.io/hostname"];
            host.Text("whenUnsatisfiable").ShouldBe("ScheduleAnyway");
            host.StringMap("labelSelector.matchLabels").ShouldBe(SelectorLabels(component), ignoreOrder: true);
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Shutdown_grace_outlasts_the_alb_deregistration_delay_plus_the_pre_stop_sleep(string environment)
    {
        const int albDeregistrationDelaySeconds = 30;
        var render = EasypayChart.Render(environment);
        foreach (var component in Components)
        {
            var pod = render.Deployment(component).Node("spec.template.spec");
            var preStop = pod.Number("containers[0].lifecycle.preStop.sleep.seconds"); // native sleep on the default 1.31
            preStop.ShouldBeGreaterThan(0, component);
            pod.Number("terminationGracePeriodSeconds").ShouldBeGreaterThan(albDeregistrationDelaySeconds + preStop, component);
        }
    }

    [ToolFact(Tool.Helm)]
    public void Clusters_older_than_kubernetes_1_30_are_refused()
    {
        // ValidatingAdmissionPolicy (v1) and the preStop sleep action need 1.30 (Chart.yaml kubeVersion).
        var result = HelmCli.Template(EasypayChart.Args("prod") with { ExtraArgs = ["--kube-version", "1.29.0"] });
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(">=1.30.0-0");
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("default", "100m", "250m")]
    [InlineData("dev", "100m", "250m")] // the platform sets no resources: every environment runs the chart's sizing
    [InlineData("prod", "100m", "250m")]
    public void Resource_requests_are_the_charts_in_every_environment(string environment, string frontendCpu, string backendCpu)
    {
        var render = EasypayChart.Render(environment);
        render.Deployment("frontend").Text("spec.template.spec.containers[0].resources.requests.cpu").ShouldBe(frontendCpu);
        render.Deployment("backend").Text("spec.template.spec.containers[0].resources.requests.cpu").ShouldBe(backendCpu);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Backend_gets_database_and_cache_settings_and_its_iam_role_and_no_credential(string environment)
    {
        var render = EasypayChart.Render(environment);
        var values = EasypayChart.Values(environment);
        var pod = render.Deployment("backend").Node("spec.template.spec");
        var container = pod.Node("containers[0]");

        var configMapName = container.Nodes("envFrom").ShouldHaveSingleItem().Text("configMapRef.name");
        var config = render.Single("ConfigMap", configMapName!).StringMap("data");
        config["DB_HOST"].ShouldBe(values.Text("database.host"));
        var readOnlyHost = values.Text("database.readOnlyHost");
        config["DB_READ_HOST"].ShouldBe(string.IsNullOrEmpty(readOnlyHost) ? values.Text("database.host") : readOnlyHost);
        config["DB_PORT"].ShouldBe("5432");
        config["DB_NAME"].ShouldBe("easypay");
        // The role the database stack creates and the proxy connects as (PlatformContract), not a literal of this test.
        config["DB_USER"].ShouldBe(EasyPay.Tf.Stacks.PlatformContract.DatabaseUser);
        config["DB_AUTH"].ShouldBe("iam");
        config["DB_REGION"].ShouldBe("eu-west-1");
        // RDS IAM auth tokens are valid for 15 minutes (RDS User Guide, "IAM database authentication").
        config["DB_IAM_TOKEN_LIFETIME_SECONDS"].ShouldBe("900");
        // verify-full: RDS Proxy presents an ACM certificate (RDS User Guide, "Using TLS/SSL with RDS Proxy"), checked
        // against the OS roots (libpq 16 sslrootcert=system) and the proxy's host name.
        config["DB_SSLMODE"].ShouldBe("verify-full");
        config["DB_SSLROOTCERT"].ShouldBe("system");
        config.Keys.ShouldNotContain(k => k.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase));

        // The cache: TLS and IAM auth tokens, as the database stack builds it (DatabaseOutputs.Cache) and the platform
        // stack passes it (the ci values are the generated ones).
        config["CACHE_HOST"].ShouldBe(values.Text("cache.host"));
        config["CACHE_READ_HOST"].ShouldBe(values.Text("cache.readerHost"));
        config["CACHE_PORT"].ShouldBe("6379");
        config["CACHE_TLS"].ShouldBe("true");
        config["CACHE_AUTH"].ShouldBe("iam");
        config["CACHE_USER"].ShouldBe(values.Text("cache.user"));
        config["CACHE_REPLICATION_GROUP_ID"].ShouldBe(values.Text("cache.replicationGroupId"));
        if (environment != "default")
        {
            var env = TestEnvironments.Repository(environment);
            config["CACHE_USER"].ShouldBe(EasyPay.Tf.Stacks.PlatformContract.CacheUser(env));
            config["CACHE_REPLICATION_GROUP_ID"].ShouldBe(env.ResourcePrefix);
        }
        // ElastiCache IAM auth tokens last 15 minutes; IAM-authenticated connections are closed after 12 hours
        // (ElastiCache user guide, "Authenticating with IAM", limitations): the pool recycles them before that.
        config["CACHE_IAM_TOKEN_LIFETIME_SECONDS"].ShouldBe("900");
        int.Parse(config["CACHE_MAX_CONNECTION_AGE_SECONDS"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThan(12 * 3600);

        // No credential in any form: no env from Secrets, no Secret volume.
        container.Has("env").ShouldBeFalse();
        pod.Nodes("volumes").ShouldAllBe(v => !v.Has("secret") && !v.Has("projected"));
        var account = render.Single("ServiceAccount", pod.Text("serviceAccountName")!);
        account.Annotations["eks.amazonaws.com/role-arn"].ShouldBe(values.Node("backend.serviceAccount").StringMap("annotations")["eks.amazonaws.com/role-arn"]);
        if (environment != "default")
        {
            account.Annotations["eks.amazonaws.com/role-arn"].ShouldBe(UpstreamOutputs.Cluster(TestEnvironments.Repository(environment)).BackendRoleArn);
        }
    }

    [ToolFact(Tool.Helm)]
    public void Config_changes_roll_only_the_pods_that_use_the_config()
    {
        var before = EasypayChart.Render("prod");
        var after = EasypayChart.Render(EasypayChart.Args("prod", set: ["frontend.nginx.clientMaxBodySize=2m"]));
        string Checksum(ChartRender r, string component, string key) =>
            r.Deployment(component).StringMap("spec.template.metadata.annotations")[key];

        Checksum(before, "frontend", "checksum/nginx-config").ShouldMatch("^[0-9a-f]{64}$");
        Checksum(after, "frontend", "checksum/nginx-config").ShouldNotBe(Checksum(before, "frontend", "checksum/nginx-config"));
        Checksum(after, "backend", "checksum/config").ShouldBe(Checksum(before, "backend", "checksum/config"));

        var dbMoved = EasypayChart.Render(EasypayChart.Args("prod", set: ["database.name=payments"]));
        Checksum(dbMoved, "backend", "checksum/config").ShouldNotBe(Checksum(before, "backend", "checksum/config"));
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("default", "nginxinc/nginx-unprivileged:1.27.4-alpine", "ghcr.io/easypay/payment-api:1.4.2")]
    // The account stack's repositories (easypay-<env>/...) with the environment file's tags.
    [InlineData("staging", "222233334444.dkr.ecr.eu-west-1.amazonaws.com/easypay-staging/frontend:1.4.2", "222233334444.dkr.ecr.eu-west-1.amazonaws.com/easypay-staging/payment-api:1.4.2")]
    // Production by digest (environments/prod.json): the digest wins over the tag.
    [InlineData("prod", "333344445555.dkr.ecr.eu-west-1.amazonaws.com/easypay-prod/frontend@sha256:e37684fdd752804eb6edb6dddf009e2a3be80bfff18755c0049c53556aeae63b", "333344445555.dkr.ecr.eu-west-1.amazonaws.com/easypay-prod/payment-api@sha256:3a7d95450fbe6625a49ac338f2aabd6fe41e61de3ed97c30458bb27590dc7562")]
    public void Images_come_from_the_environment_file(string environment, string frontendImage, string backendImage)
    {
        var render = EasypayChart.Render(environment);
        render.Deployment("frontend").Text("spec.template.spec.containers[0].image").ShouldBe(frontendImage);
        render.Deployment("backend").Text("spec.template.spec.containers[0].image").ShouldBe(backendImage);
        render.Deployment("backend").Text("spec.template.spec.containers[0].imagePullPolicy").ShouldBe("IfNotPresent");
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Each_component_runs_as_its_own_service_account_without_an_api_token(string environment)
    {
        var render = EasypayChart.Render(environment);
        foreach (var component in Components)
        {
            var name = render.Deployment(component).Text("spec.template.spec.serviceAccountName");
            name.ShouldBe($"easypay-{component}");
            render.Single("ServiceAccount", name!).Flag("automountServiceAccountToken").ShouldBe(false);
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Every_resource_carries_the_standard_labels(string environment)
    {
        foreach (var manifest in EasypayChart.Render(environment).All)
        {
            var labels = manifest.Labels;
            labels.ShouldContainKeyAndValue("helm.sh/chart", "easypay-2.1.1", $"{manifest}");
            labels.ShouldContainKeyAndValue("app.kubernetes.io/name", "easypay", $"{manifest}");
            labels.ShouldContainKeyAndValue("app.kubernetes.io/instance", EasypayChart.Release, $"{manifest}");
            labels.ShouldContainKeyAndValue("app.kubernetes.io/version", "1.4.2", $"{manifest}");
            labels.ShouldContainKeyAndValue("app.kubernetes.io/managed-by", "Helm", $"{manifest}");
            labels.ShouldContainKeyAndValue("app.kubernetes.io/part-of", "easypay", $"{manifest}");
            // Cluster-scoped kinds have no namespace (the Namespace itself, Calico's tier grant, the secret store, the admission
            // policies, the cluster-wide Calico data guard).
            manifest.TargetNamespace.ShouldBe(manifest.Kind is "Namespace" or "ClusterRole" or "ClusterRoleBinding" or "ClusterSecretStore" or "ValidatingAdmissionPolicy" or "ValidatingAdmissionPolicyBinding" or "GlobalNetworkPolicy" ? null : EasypayChart.Namespace, $"{manifest}");
        }
    }

    [ToolFact(Tool.Helm)]
    public void Frontend_pods_proxy_api_calls_to_the_backend_service()
    {
        var render = EasypayChart.Render("prod");
        var config = render.Single("ConfigMap", "easypay-frontend-nginx").StringMap("data")["default.conf"];
        config.ShouldContain("listen 8080;");
        config.ShouldContain("server easypay-backend.easypay.svc.cluster.local:80;");
        config.ShouldContain("location /api/ {");
        config.ShouldContain("proxy_pass http://easypay_backend;");
        config.ShouldContain("location = /health {");
    }

    internal static Dictionary<string, string> SelectorLabels(string component) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = "easypay",
        ["app.kubernetes.io/instance"] = EasypayChart.Release,
        ["app.kubernetes.io/component"] = component,
    };
}
