using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Tests.Modules.Platform;

public class PlatformAddonsTests
{
    private static readonly Dictionary<string, string> Roles = new()
    {
        ["aws-load-balancer-controller"] = "arn:aws:iam::123456789012:role/lbc",
        ["cluster-autoscaler"] = "arn:aws:iam::123456789012:role/ca",
        ["velero"] = "arn:aws:iam::123456789012:role/velero",
        ["external-secrets"] = "arn:aws:iam::123456789012:role/external-secrets",
    };

    private const string Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    private static System.Text.Json.Nodes.JsonObject Synth(PlatformAddonsProps props) => ConstructSynth.Stack((stack, _) =>
        new PlatformAddons(stack, "addons", props, new HelmProvider(stack, "helm", new HelmProviderConfig()),
            new KubernetesProvider(stack, "kubernetes", new KubernetesProviderConfig())));

    [Fact]
    public void Every_record_becomes_one_pinned_release_in_its_namespace_and_late_apis_get_a_wait()
    {
        var json = Synth(new PlatformAddonsProps("easypay-test", "vpc-1", Roles, "easypay-test-velero", Registry));
        var releases = json.Resources("helm_release").Select(r => r.Body).ToList();
        releases.Select(r => (r.Str("name"), r.Str("namespace"), r.Str("version"))).ShouldBe(
            HelmAddons.All.Select(a => ((string?)a.Name, (string?)a.Namespace, (string?)a.Version)), ignoreOrder: true);
        // Calico's operator registers projectcalico.org/v3 after its release is "ready": one wait Job, after it.
        var job = json.Single("kubernetes_job_v1");
        job.Str("metadata.name").ShouldBe($"calico-api-available-{ChartVersions.TigeraOperator.Replace('.', '-')}");
        job["depends_on"].Strings().ShouldHaveSingleItem().ShouldStartWith("helm_release.addons_calico_release");
    }

    /// <summary>Every value naming an image (image.repository, image, registry; the keys each chart renders its images
    /// from at the pinned version: AddonImages) points at the account's registry, so nodes pull nothing from a public one.</summary>
    [Fact]
    public void Every_image_of_every_release_comes_from_the_accounts_registry()
    {
        var json = Synth(new PlatformAddonsProps("easypay-test", "vpc-1", Roles, "easypay-test-velero", Registry));
        foreach (var (_, release) in json.Resources("helm_release"))
        {
            var values = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(release.Str("values.0")!);
            var images = EasyPay.Tf.Tests.Policy.Rules.SupplyChainRules.ImageValues(values).ToList();
            images.ShouldNotBeEmpty(release.Str("name"));
            images.ShouldAllBe(i => i.Value.StartsWith(Registry + "/", StringComparison.Ordinal), release.Str("name"));
        }
        var tigera = json.Resources("helm_release").Single(r => r.Body.Str("name") == "tigera-operator").Body.Str("values.0")!;
        // The chart renders tigeraOperator REGISTRY/IMAGE:VERSION; the operator prefixes its operands with installation.registry.
        tigera.ShouldContain($"registry: \"{Registry}/quay/\"");
        tigera.ShouldContain($"registry: \"{Registry}/quay\"");
        json.Single("kubernetes_job_v1").Str("spec.template.spec.container.0.image").ShouldBe($"{Registry}/quay/curl/curl:8.11.1");
    }

    [Fact]
    public void A_release_gets_the_role_of_its_own_add_on()
    {
        var json = Synth(new PlatformAddonsProps("easypay-test", "vpc-1", Roles, "easypay-test-velero", Registry));
        var velero = json.Resources("helm_release").Single(r => r.Body.Str("name") == "velero").Body.Str("values.0")!;
        velero.ShouldContain("arn:aws:iam::123456789012:role/velero");
        velero.ShouldNotContain("role/lbc");
    }

    [Fact]
    public void Missing_unknown_and_duplicate_entries_are_reported_together()
    {
        var props = new PlatformAddonsProps("easypay-test", "vpc-1",
            new Dictionary<string, string> { ["cluster-autoscaler"] = "arn:aws:iam::123456789012:role/ca", ["metrics-server"] = "arn:x" }, "", "docker.io")
        {
            Addons = [.. HelmAddons.All, HelmAddons.MetricsServer],
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("PlatformAddonsProps.VeleroBucketName: is required");
        message.ShouldContain("PlatformAddonsProps.ImageRegistry: 'docker.io' is not an ECR registry host");
        message.ShouldContain("PlatformAddonsProps.Addons: add-on 'metrics-server' is listed twice");
        message.ShouldContain("PlatformAddonsProps.RoleArns: no role for add-on 'aws-load-balancer-controller'");
        message.ShouldContain("PlatformAddonsProps.RoleArns: no role for add-on 'velero'");
        message.ShouldContain("PlatformAddonsProps.RoleArns: 'metrics-server' is not an add-on with an IAM policy");
    }
}
