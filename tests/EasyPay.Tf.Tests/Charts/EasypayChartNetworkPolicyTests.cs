using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Kubernetes NetworkPolicies (enforced by Calico) and the Calico log-and-deny policy.</summary>
public class EasypayChartNetworkPolicyTests
{
    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Default_deny_covers_ingress_and_egress_of_every_pod(string environment)
    {
        var deny = EasypayChart.Render(environment).Single("NetworkPolicy", "easypay-default-deny");
        deny.ApiVersion.ShouldBe("networking.k8s.io/v1");
        deny.StringMap("spec.podSelector").ShouldBeEmpty();
        deny.Texts("spec.policyTypes").ShouldBe(["Ingress", "Egress"], ignoreOrder: true);
        deny.Has("spec.ingress").ShouldBeFalse();
        deny.Has("spec.egress").ShouldBeFalse();
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Every_pod_may_reach_kube_dns_on_port_53_only(string environment)
    {
        var dns = EasypayChart.Render(environment).Single("NetworkPolicy", "easypay-allow-dns");
        dns.StringMap("spec.podSelector").ShouldBeEmpty();
        dns.Texts("spec.policyTypes").ShouldBe(["Egress"]);
        var rule = dns.Nodes("spec.egress").ShouldHaveSingleItem();
        var peer = rule.Nodes("to").ShouldHaveSingleItem();
        peer.StringMap("namespaceSelector.matchLabels").ShouldBe(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" }, ignoreOrder: true);
        peer.StringMap("podSelector.matchLabels").ShouldBe(new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, ignoreOrder: true);
        Ports(rule).ShouldBe(["UDP/53", "TCP/53"], ignoreOrder: true);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Frontend_accepts_the_alb_subnets_and_may_call_only_the_backend(string environment)
    {
        var render = EasypayChart.Render(environment);
        var albCidrs = EasypayChart.Values(environment).Texts("network.albSourceCidrs");
        albCidrs.ShouldNotBeEmpty();
        var policy = render.Single("NetworkPolicy", "easypay-frontend");
        SelectsPodsOf(policy, render.Deployment("frontend"));
        policy.Texts("spec.policyTypes").ShouldBe(["Ingress", "Egress"], ignoreOrder: true);

        var ingress = policy.Nodes("spec.ingress").ShouldHaveSingleItem();
        Cidrs(ingress.Nodes("from")).ShouldBe(albCidrs);
        Ports(ingress).ShouldBe(["TCP/8080"]);

        var egress = policy.Nodes("spec.egress").ShouldHaveSingleItem();
        egress.Nodes("to").ShouldHaveSingleItem().StringMap("podSelector.matchLabels")
            .ShouldBe(EasypayChartWorkloadTests.SelectorLabels("backend"), ignoreOrder: true);
        Ports(egress).ShouldBe(["TCP/8080"]);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Backend_accepts_only_the_frontend_and_the_test_pod_on_8080(string environment)
    {
        var render = EasypayChart.Render(environment);
        var policy = render.Single("NetworkPolicy", "easypay-backend");
        SelectsPodsOf(policy, render.Deployment("backend"));

        var ingress = policy.Nodes("spec.ingress").ShouldHaveSingleItem();
        Ports(ingress).ShouldBe(["TCP/8080"]);
        var peers = ingress.Nodes("from");
        var helmTest = EasypayChart.HasHelmTest(environment);
        peers.Where(p => p.Has("podSelector")).Select(p => p.StringMap("podSelector.matchLabels")["app.kubernetes.io/component"])
            .ShouldBe(["frontend", .. helmTest ? ["test"] : Array.Empty<string>()], ignoreOrder: true);
        peers.Where(p => p.Has("podSelector")).ShouldAllBe(p => !p.Has("namespaceSelector")); // same namespace only
        // No ipBlock: the ALB reaches the frontend only, nginx proxies /api/ to the backend.
        peers.ShouldAllBe(p => !p.Has("ipBlock"));

        // the selectors match the pods they mean
        var frontendLabels = render.Deployment("frontend").StringMap("spec.template.metadata.labels");
        var frontendPeer = peers.Single(p => p.Has("podSelector") && p.StringMap("podSelector.matchLabels")["app.kubernetes.io/component"] == "frontend");
        frontendPeer.StringMap("podSelector.matchLabels").ShouldBeSubsetOf(frontendLabels);
        if (helmTest)
        {
            var testPeer = peers.Single(p => p.Has("podSelector") && p.StringMap("podSelector.matchLabels")["app.kubernetes.io/component"] == "test");
            testPeer.StringMap("podSelector.matchLabels").ShouldBeSubsetOf(render.TestPod.Labels);
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Backend_may_reach_the_database_and_cache_subnets_the_aws_endpoints_and_the_payment_providers_only(string environment)
    {
        var values = EasypayChart.Values(environment);
        var databaseCidrs = values.Texts("database.subnetCidrs");
        databaseCidrs.ShouldNotBeEmpty();
        var env = environment == "default" ? null : TestEnvironments.Repository(environment);
        var providers = env?.Application.PaymentProviders ?? [];
        var egress = EasypayChart.Render(environment).Single("NetworkPolicy", "easypay-backend").Nodes("spec.egress");
        egress.Count.ShouldBe(3 + providers.Count);

        var database = egress[0];
        Ports(database).ShouldBe(["TCP/5432"]);
        Cidrs(database.Nodes("to")).ShouldBe(databaseCidrs);
        database.Nodes("to").ShouldAllBe(p => !p.Has("ipBlock.except"));

        // The Valkey cache lives in the same data subnets (its subnet group is the database's), on its own port.
        var cache = egress[1];
        Ports(cache).ShouldBe(["TCP/6379"]);
        Cidrs(cache.Nodes("to")).ShouldBe(values.Texts("cache.subnetCidrs"));
        values.Texts("cache.subnetCidrs").ShouldBe(databaseCidrs);

        // AWS APIs (STS) only through the interface endpoints, which the network stack puts in the private
        // subnets of every environment (NetworkStackTests): never an address outside the VPC.
        var aws = egress[2];
        Ports(aws).ShouldBe(["TCP/443"]);
        Cidrs(aws.Nodes("to")).ShouldBe(values.Texts("network.awsEndpointCidrs"));
        if (env is not null)
        {
            var plan = SubnetPlan.Compute(Ipv4Cidr.Parse(env.Network.VpcCidr), env.AvailabilityZones);
            Cidrs(aws.Nodes("to")).ShouldBe(plan.Where(p => p.Tier == SubnetTier.Private).Select(p => p.Cidr.ToString()));
        }

        // One rule per provider of the environment file, on its ports only.
        for (var i = 0; i < providers.Count; i++)
        {
            var rule = egress[3 + i];
            Cidrs(rule.Nodes("to")).ShouldBe(providers[i].Cidrs);
            Ports(rule).ShouldBe(providers[i].Ports.Select(p => $"TCP/{p}"));
        }
        // Nothing is open to everywhere, in any environment.
        egress.SelectMany(r => r.Nodes("to")).ShouldAllBe(p => p.Text("ipBlock.cidr") != "0.0.0.0/0" && p.Text("ipBlock.cidr") != "::/0");
    }

    [ToolFact(Tool.Helm)]
    public void Pod_egress_has_the_same_shape_in_dev_staging_and_prod()
    {
        // Per policy and rule: the kind of each peer and the ports. Addresses (and how many subnets) may differ.
        // The helm test's own policy exists only where the test pod does (not in prod without a test image digest).
        string Shape(string environment) => string.Join("\n", EasypayChart.Render(environment).OfKind("NetworkPolicy")
            .Where(p => p.Name != "easypay-test")
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.ApiVersion} {p.Name}: " + string.Join(" | ", p.Nodes("spec.egress").Select(r =>
                (r.Text("action") is { } action ? $"{action} {r.Text("protocol")}/{string.Join(",", r.Texts("destination.ports"))}" // Calico
                    : string.Join(",", r.Nodes("to").Select(Peer).Distinct()) + " on " + string.Join(",", Ports(r)))))));
        static string Peer(KubeManifest p) => p.Has("ipBlock") ? "ipBlock"
            : string.Join("+", new[] { "namespaceSelector", "podSelector" }.Where(p.Has).Select(k => $"{k}{{{string.Join(",", p.StringMap($"{k}.matchLabels").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}}}"));

        var prod = Shape("prod");
        prod.ShouldContain("easypay-backend: ipBlock on TCP/5432 | ipBlock on TCP/6379 | ipBlock on TCP/443 | ipBlock on TCP/443 | ipBlock on TCP/443,TCP/8443");
        Shape("dev").ShouldBe(prod);
        Shape("staging").ShouldBe(prod);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.EnvironmentsWithHelmTest), MemberType = typeof(EasypayChart))]
    public void Helm_test_pod_may_call_the_backend(string environment)
    {
        var render = EasypayChart.Render(environment);
        var policy = render.Single("NetworkPolicy", "easypay-test");
        policy.StringMap("spec.podSelector.matchLabels").ShouldBeSubsetOf(render.TestPod.Labels);
        policy.Texts("spec.policyTypes").ShouldBe(["Egress"]);
        var egress = policy.Nodes("spec.egress").ShouldHaveSingleItem();
        egress.Nodes("to").ShouldHaveSingleItem().StringMap("podSelector.matchLabels")
            .ShouldBe(EasypayChartWorkloadTests.SelectorLabels("backend"), ignoreOrder: true);
        Ports(egress).ShouldBe(["TCP/8080"]);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Calico_logs_then_denies_database_and_cache_port_egress_from_every_pod_but_the_backend(string environment)
    {
        var policies = EasypayChart.Render(environment).OfKind("NetworkPolicy").Where(p => p.ApiVersion == "projectcalico.org/v3").ToList();
        var calico = policies.ShouldHaveSingleItem();
        calico.Name.ShouldBe("easypay-log-deny-database");
        calico.Number("spec.order").ShouldBeGreaterThan(1000); // after the Kubernetes policies' allow rules
        calico.Text("spec.selector").ShouldBe(
            "!(app.kubernetes.io/instance == 'easypay' && app.kubernetes.io/name == 'easypay' && app.kubernetes.io/component == 'backend')");
        calico.Texts("spec.types").ShouldBe(["Egress"]);
        var rules = calico.Nodes("spec.egress");
        rules.Select(r => r.Text("action")).ShouldBe(["Log", "Deny"]);
        foreach (var rule in rules)
        {
            rule.Text("protocol").ShouldBe("TCP");
            rule.Texts("destination.ports").ShouldBe(["5432", "6379"]);
        }
        calico.Has("spec.ingress").ShouldBeFalse();
    }

    [ToolFact(Tool.Helm)]
    public void Calico_policies_are_rendered_only_when_enabled()
    {
        var render = EasypayChart.Render(EasypayChart.Args("prod", set: ["network.calicoPolicy.enabled=false", "network.dataGuard.enabled=false"]));
        render.All.ShouldNotContain(m => m.ApiVersion == "projectcalico.org/v3");
        render.OfKind("NetworkPolicy").Count.ShouldBe(4); // default-deny, DNS, frontend, backend (no helm test in prod)
        EasypayChart.Render(EasypayChart.Args("prod", set: ["network.calicoPolicy.enabled=false"])).OfKind("GlobalNetworkPolicy").ShouldHaveSingleItem();
    }

    /// <summary>Calico v3.30.7: the adminnetworkpolicy tier exists once the API server serves projectcalico.org/v3
    /// (libcalico-go clientv3 EnsureInitialized, called by apiserver/pkg/storage/calico/resource.go before it serves;
    /// order 1000, defaultAction Pass), and a policy of a non-default tier is named TIER.NAME (libcalico-go
    /// lib/names/policy.go ValidateTieredPolicyName).</summary>
    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void A_cluster_wide_calico_policy_denies_the_data_ports_to_the_data_subnets_for_every_pod_but_the_backend(string environment)
    {
        var render = EasypayChart.Render(environment);
        var guard = render.OfKind("GlobalNetworkPolicy").ShouldHaveSingleItem();
        guard.ApiVersion.ShouldBe("projectcalico.org/v3");
        guard.Name.ShouldBe("adminnetworkpolicy.easypay-data-guard");
        guard.TargetNamespace.ShouldBeNull();
        guard.Text("spec.tier").ShouldBe("adminnetworkpolicy");
        guard.Number("spec.order").ShouldBe(10);
        // projectcalico.org/namespace: the namespace label Calico puts on every workload endpoint (api constants.go LabelNamespace).
        guard.Text("spec.selector").ShouldBe(
            "!(projectcalico.org/namespace == 'easypay' && app.kubernetes.io/instance == 'easypay' && app.kubernetes.io/name == 'easypay' && app.kubernetes.io/component == 'backend')");
        guard.Texts("spec.types").ShouldBe(["Egress"]);
        var rules = guard.Nodes("spec.egress");
        // No Pass at the end: the tier's default action passes what is not denied, and a Pass rule would skip its later policies.
        rules.Select(r => r.Text("action")).ShouldBe(["Log", "Deny"]);
        foreach (var rule in rules)
        {
            rule.Text("protocol").ShouldBe("TCP");
            rule.Texts("destination.nets").ShouldBe(EasypayChart.Values(environment).Texts("database.subnetCidrs"));
            rule.Texts("destination.ports").ShouldBe(["5432", "6379"]); // PlatformContract.DataPorts: Aurora (and its proxy), the Valkey cache
        }
        guard.Has("spec.ingress").ShouldBeFalse();
    }

    [ToolFact(Tool.Helm)]
    public void Another_data_service_is_one_more_port_of_the_cluster_wide_policy()
    {
        var guard = EasypayChart.Render(EasypayChart.Args("prod", set: ["network.dataGuard.ports={5432,6379}"])).OfKind("GlobalNetworkPolicy").ShouldHaveSingleItem();
        guard.Nodes("spec.egress").ShouldAllBe(r => r.Texts("destination.ports").SequenceEqual(new[] { "5432", "6379" }));
    }

    /// <summary>The ports of a rule as "PROTOCOL/port".</summary>
    private static List<string> Ports(KubeManifest rule) =>
        [.. rule.Nodes("ports").Select(p => $"{p.Text("protocol")}/{p.Text("port")}")];

    /// <summary>The ipBlock CIDRs of peers, in order.</summary>
    private static List<string> Cidrs(IEnumerable<KubeManifest> peers) => [.. peers.Select(p => p.Text("ipBlock.cidr") ?? "(no ipBlock)")];

    private static void SelectsPodsOf(KubeManifest policy, KubeManifest deployment)
    {
        var selector = policy.StringMap("spec.podSelector.matchLabels");
        selector.ShouldNotBeEmpty($"{policy} must not select every pod");
        selector.ShouldBeSubsetOf(deployment.StringMap("spec.template.metadata.labels"));
    }
}
