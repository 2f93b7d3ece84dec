using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Services, TargetGroupBindings to the Terraform-owned ALB, the optional Ingress and the helm test.</summary>
public class EasypayChartTrafficTests
{
    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Services_are_cluster_ip_and_select_their_component(string environment)
    {
        var render = EasypayChart.Render(environment);
        foreach (var component in new[] { "frontend", "backend" })
        {
            var service = render.Single("Service", $"easypay-{component}");
            service.Text("spec.type").ShouldBe("ClusterIP");
            service.StringMap("spec.selector").ShouldBe(EasypayChartWorkloadTests.SelectorLabels(component), ignoreOrder: true);
            var port = service.Nodes("spec.ports").ShouldHaveSingleItem();
            port.Number("port").ShouldBe(80);
            port.Text("targetPort").ShouldBe("http");
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.CiEnvironments), MemberType = typeof(EasypayChart))]
    public void Both_target_groups_bind_the_frontend_service_and_nothing_binds_the_backend(string environment)
    {
        var render = EasypayChart.Render(environment);
        var values = EasypayChart.Values(environment);
        render.OfKind("TargetGroupBinding").Count.ShouldBe(2);
        foreach (var (key, name, group) in new[] { ("targetGroupArn", "easypay-frontend", "frontend"), ("apiTargetGroupArn", "easypay-frontend-api", "api") })
        {
            var arn = values.Text($"frontend.{key}");
            arn.ShouldStartWith($"arn:aws:elasticloadbalancing:eu-west-1:{EasypayChartAccessTests.AccountOf(environment)}:targetgroup/easypay-{environment}-{group}/");

            var binding = render.Single("TargetGroupBinding", name);
            binding.ApiVersion.ShouldBe("elbv2.k8s.aws/v1beta1");
            binding.Text("spec.targetGroupARN").ShouldBe(arn);
            binding.Text("spec.targetType").ShouldBe("ip");
            var service = render.Single("Service", binding.Text("spec.serviceRef.name")!);
            service.Name.ShouldBe("easypay-frontend");
            binding.Number("spec.serviceRef.port").ShouldBe(service.Number("spec.ports[0].port"));
            binding.Has("spec.networking").ShouldBeFalse(); // no ALB security group given: Terraform owns the rules
        }
        render.OfKind("Ingress").ShouldBeEmpty();
    }

    [ToolFact(Tool.Helm)]
    public void Target_group_bindings_open_the_pod_port_to_the_alb_security_group_when_given()
    {
        var render = EasypayChart.Render(EasypayChart.Args("prod", set: ["alb.securityGroupId=sg-0123456789abcdef0"]));
        foreach (var binding in render.OfKind("TargetGroupBinding"))
        {
            var rule = binding.Nodes("spec.networking.ingress").ShouldHaveSingleItem();
            rule.Nodes("from").ShouldHaveSingleItem().Text("securityGroup.groupID").ShouldBe("sg-0123456789abcdef0");
            var port = rule.Nodes("ports").ShouldHaveSingleItem();
            port.Number("port").ShouldBe(8080);
            port.Text("protocol").ShouldBe("TCP");
        }
    }

    [ToolFact(Tool.Helm)]
    public void Chart_defaults_expose_nothing_until_a_target_group_or_the_ingress_is_configured()
    {
        var render = EasypayChart.Render("default");
        render.OfKind("TargetGroupBinding").ShouldBeEmpty();
        render.OfKind("Ingress").ShouldBeEmpty();
    }

    [ToolFact(Tool.Helm)]
    public void Ingress_sends_every_path_to_the_frontend()
    {
        var render = EasypayChart.Render(EasypayChart.Args("default", set: ["ingress.enabled=true", "ingress.host=pay.example.com"]));
        var ingress = render.OfKind("Ingress").ShouldHaveSingleItem();
        ingress.Text("spec.ingressClassName").ShouldBe("alb");
        ingress.Annotations["alb.ingress.kubernetes.io/target-type"].ShouldBe("ip");
        var rule = ingress.Nodes("spec.rules").ShouldHaveSingleItem();
        rule.Text("host").ShouldBe("pay.example.com");
        rule.Nodes("http.paths").Select(p => $"{p.Text("path")} {p.Text("pathType")} -> {p.Text("backend.service.name")}:{p.Text("backend.service.port.name")}")
            .ShouldBe(["/ Prefix -> easypay-frontend:http"]); // nginx proxies /api/ to the backend: never exposed
        render.OfKind("TargetGroupBinding").ShouldBeEmpty();
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.EnvironmentsWithHelmTest), MemberType = typeof(EasypayChart))]
    public void Helm_test_calls_the_backend_health_endpoint_through_its_service(string environment)
    {
        var pod = EasypayChart.Render(environment).TestPod;
        pod.Annotations["helm.sh/hook"].ShouldBe("test");
        pod.Text("spec.restartPolicy").ShouldBe("Never");
        var container = pod.Node("spec.containers[0]");
        // The chart's default is Docker Hub's copy; the platform's is the same manifest list through the account's
        // cache of quay.io (curl-container build_latest_release_multi.yml pushes one list to both), which the
        // namespace's admission policy admits.
        container.Text("image").ShouldBe(environment == "default" ? "curlimages/curl:8.11.1"
            : $"{UpstreamOutputs.Account(TestEnvironments.Repository(environment)).ImageRegistry}/quay/curl/curl:8.11.1");
        container.Texts("command").ShouldBe(["curl"]);
        container.Texts("args").ShouldContain("--fail");
        container.Texts("args")[^1].ShouldBe("http://easypay-backend.easypay.svc.cluster.local:80/health");
    }

    /// <summary>Production requires digests (the pod admission policy): without application.testImageDigest there is no
    /// test pod to be refused, nor its NetworkPolicy; with it the pod runs the cached image by that digest.</summary>
    [ToolFact(Tool.Helm)]
    public void Production_renders_the_helm_test_only_with_the_cached_images_digest()
    {
        var render = EasypayChart.Render("prod");
        render.OfKind("Pod").ShouldBeEmpty();
        render.OfKind("NetworkPolicy").ShouldNotContain(p => p.Name == "easypay-test");

        const string digest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        var env = TestEnvironments.Repository("prod") with { Application = TestEnvironments.Repository("prod").Application with { TestImageDigest = digest } };
        var values = HelmValues.ToYaml(PlatformStack.ApplicationValues(env, UpstreamOutputs.Account(env), UpstreamOutputs.Network(env), UpstreamOutputs.Cluster(env), UpstreamOutputs.Database(env)));
        var pod = EasypayChart.Render(new HelmArgs { Release = EasypayChart.Release, Namespace = EasypayChart.Namespace, ValuesFiles = [HelmCli.TempValuesFile(values)] }).TestPod;
        pod.Node("spec.containers[0]").Text("image").ShouldBe($"{UpstreamOutputs.Account(env).ImageRegistry}/quay/curl/curl@{digest}");
    }
}
