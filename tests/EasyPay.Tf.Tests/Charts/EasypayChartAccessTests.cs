using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Developer RBAC, what developers cannot reach (secrets, IAM roles), the application secret store and the optional Namespace.</summary>
public class EasypayChartAccessTests
{
    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Developer_role_grants_exactly_the_agreed_verbs(string environment)
    {
        var role = EasypayChart.Render(environment).Single("Role", "easypay-developer");
        var granted = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var rule in role.Nodes("rules"))
        {
            // Only Calico's tier pseudo resource is scoped by name (default.* = the default tier's policies).
            rule.Has("resourceNames").ShouldBe(rule.Texts("resources").SequenceEqual(["tier.networkpolicies"]));
            rule.Has("nonResourceURLs").ShouldBeFalse();
            foreach (var group in rule.Texts("apiGroups"))
            {
                foreach (var resource in rule.Texts("resources"))
                {
                    var key = $"{group}/{resource}";
                    granted.TryAdd(key, new SortedSet<string>(StringComparer.Ordinal));
                    granted[key].UnionWith(rule.Texts("verbs"));
                }
            }
        }

        string[] readOnly = ["get", "list", "watch"];
        // Production (and the chart default) is read-only plus logs; dev and staging also run and debug pods.
        var operate = Operates(environment);
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["/pods"] = operate ? ["create", "get", "list", "watch", "update", "patch", "delete"] : readOnly,
            ["/pods/log"] = ["get"],
            ["/services"] = readOnly,
            ["/endpoints"] = readOnly,
            ["/configmaps"] = readOnly,
            ["/events"] = readOnly,
            ["/serviceaccounts"] = readOnly,
            ["discovery.k8s.io/endpointslices"] = readOnly,
            ["apps/deployments"] = readOnly,
            ["apps/replicasets"] = readOnly,
            ["autoscaling/horizontalpodautoscalers"] = readOnly,
            // "read-only elsewhere" covers every kind the chart creates (but Secrets and RBAC itself).
            ["policy/poddisruptionbudgets"] = readOnly,
            ["networking.k8s.io/networkpolicies"] = readOnly,
            // Calico 3.30 "Configure RBAC for tiered policies": policies are read through tier.networkpolicies
            // (resourceNames <tier>.*), plus "get" on the tier, a cluster-scoped grant (asserted below).
            ["projectcalico.org/tier.networkpolicies"] = ["get", "list"],
            ["elbv2.k8s.aws/targetgroupbindings"] = readOnly,
            ["external-secrets.io/externalsecrets"] = readOnly,
        };
        if (operate)
        {
            // kubectl >= 1.30 execs over WebSocket, an HTTP GET authorized as "get"; the SPDY fallback is a POST,
            // "create" (KEP-4006; kubernetes/kubernetes#134577 makes 1.35 check create for both).
            expected["/pods/exec"] = ["get", "create"];
        }
        granted.Keys.ShouldBe(expected.Keys, ignoreOrder: true);
        foreach (var (resource, verbs) in expected)
        {
            granted[resource].ShouldBe(verbs, ignoreOrder: true, $"verbs on {resource}");
        }
        role.Nodes("rules").Single(r => r.Texts("resources").Contains("tier.networkpolicies")).Texts("resourceNames").ShouldBe(["default.*"]);

        // The one cluster-scoped grant: "get" on Calico's default tier, bound to the developer group only.
        var render = EasypayChart.Render(environment);
        var tierRole = render.OfKind("ClusterRole").ShouldHaveSingleItem();
        var tierRule = tierRole.Nodes("rules").ShouldHaveSingleItem();
        (string.Join(",", tierRule.Texts("apiGroups")), string.Join(",", tierRule.Texts("resources")), string.Join(",", tierRule.Texts("resourceNames")), string.Join(",", tierRule.Texts("verbs")))
            .ShouldBe(("projectcalico.org", "tiers", "default", "get"));
        var tierBinding = render.OfKind("ClusterRoleBinding").ShouldHaveSingleItem();
        tierBinding.Text("roleRef.name").ShouldBe(tierRole.Name);
        tierBinding.Nodes("subjects").ShouldHaveSingleItem().Text("name").ShouldBe(EasypayChart.Values(environment).Text("rbac.developerGroup"));
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Developer_role_has_no_access_to_secrets_and_no_wildcards(string environment)
    {
        var render = EasypayChart.Render(environment);
        // The only cluster-scoped grant is "get" on Calico's default tier (asserted in full above).
        render.OfKind("ClusterRole").ShouldAllBe(r => r.Nodes("rules").All(rule => rule.Texts("resources").SequenceEqual(new[] { "tiers" })));
        foreach (var rule in render.Single("Role", "easypay-developer").Nodes("rules").Concat(render.OfKind("ClusterRole").SelectMany(r => r.Nodes("rules"))))
        {
            rule.Texts("resources").ShouldNotContain("secrets");
            rule.Texts("resources").ShouldNotContain("*");
            rule.Texts("apiGroups").ShouldNotContain("*");
            rule.Texts("verbs").ShouldNotContain("*");
        }
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Developer_role_is_bound_to_the_developer_group_and_service_account(string environment)
    {
        var render = EasypayChart.Render(environment);
        var binding = render.Single("RoleBinding", "easypay-developer");
        binding.Text("roleRef.kind").ShouldBe("Role");
        binding.Text("roleRef.name").ShouldBe("easypay-developer");
        var subjects = binding.Nodes("subjects").Select(s => $"{s.Text("kind")}:{s.Text("name")}");
        subjects.ShouldBe([$"Group:{EasypayChart.Values(environment).Text("rbac.developerGroup")}", "ServiceAccount:easypay-developer"], ignoreOrder: true);
        // The group the cluster stack's access entry grants (the stacks' and the chart's contract), not the
        // UpstreamOutputs literal the generated values were built from.
        EasypayChart.Values(environment).Text("rbac.developerGroup").ShouldBe(EasyPay.Tf.Stacks.PlatformContract.DeveloperGroup);
        render.Single("ServiceAccount", "easypay-developer").Flag("automountServiceAccountToken").ShouldBe(false);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void No_secret_and_no_database_credential_is_rendered(string environment)
    {
        var render = EasypayChart.Render(environment);
        render.OfKind("Secret").ShouldBeEmpty();
        render.OfKind("ExternalSecret").ShouldBeEmpty();
        render.All.ShouldAllBe(m => !m.Has("data.password") && !m.Has("stringData"));
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void The_application_secret_store_uses_the_controllers_identity_and_serves_only_this_namespace(string environment)
    {
        var render = EasypayChart.Render(environment);
        render.OfKind("ClusterSecretStore").ShouldBeEmpty(); // the scoped controller reconciles none
        var store = render.OfKind("SecretStore").ShouldHaveSingleItem();
        store.ApiVersion.ShouldBe("external-secrets.io/v1");
        store.TargetNamespace.ShouldBe(EasypayChart.Namespace);
        store.Text("spec.provider.aws.service").ShouldBe("SecretsManager");
        store.Text("spec.provider.aws.region").ShouldBe("eu-west-1");
        // No auth block: External Secrets 0.19.2 then calls AWS as its controller's pod identity (docs/snippets/
        // provider-aws-access.md, "Controller's Pod Identity"), whose IRSA role lives in the external-secrets namespace.
        store.Has("spec.provider.aws.auth").ShouldBeFalse();
        if (environment != "default")
        {
            // The prefix the cluster stack's External Secrets role may read (PlatformContract), for the store's users.
            store.Annotations["easypay.example/secret-name-prefix"].ShouldBe(
                EasyPay.Tf.Stacks.PlatformContract.ApplicationSecretsPrefix(TestEnvironments.Repository(environment)));
        }
    }

    /// <summary>Every way a pod creator obtains a service account's IAM credentials (run a pod as it, change the
    /// image of one of its pods, add a debug container, exec into one and read the projected token, request a token,
    /// have a workload controller create the pod) is either outside the developer Role or closed by an admission
    /// policy bound to the namespace (<see cref="Policy.Rules.WorkloadIdentityGuard"/>).</summary>
    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Developers_cannot_obtain_any_service_account_that_carries_an_iam_role(string environment)
    {
        var render = EasypayChart.Render(environment);
        var role = render.Single("Role", "easypay-developer");
        bool Grants(string group, string resource, params string[] verbs) => role.Nodes("rules").Any(r =>
            r.Texts("apiGroups").Contains(group) && r.Texts("resources").Contains(resource) && r.Texts("verbs").Intersect(verbs).Any());

        // Outside the Role: tokens, debug containers, attach, and every controller that creates pods for its creator.
        Grants("", "serviceaccounts/token", "create").ShouldBeFalse();
        Grants("", "pods/ephemeralcontainers", "update", "patch").ShouldBeFalse();
        Grants("", "pods/attach", "create", "get").ShouldBeFalse();
        foreach (var (group, resource) in new[] { ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"), ("", "replicationcontrollers") })
        {
            Grants(group, resource, "create", "update", "patch").ShouldBeFalse($"{group}/{resource}");
        }
        // Inside it where developers operate pods (dev, staging), so the admission policies must close them for each
        // account with a role; production grants neither.
        Grants("", "pods", "create").ShouldBe(Operates(environment));
        Grants("", "pods/exec", "create", "get").ShouldBe(Operates(environment));

        var withRoles = render.OfKind("ServiceAccount").Where(a => a.Annotations.ContainsKey("eks.amazonaws.com/role-arn")).Select(a => a.Name).ToList();
        withRoles.ShouldBe(["easypay-backend"]); // the backend's, for IAM auth to the database; nothing else carries a role
        var guard = Policy.Rules.WorkloadIdentityGuard.Of(render.All, EasypayChart.Namespace);
        foreach (var account in withRoles)
        {
            guard.GapsFor(account).ShouldBeEmpty(account);
            // The guarded account is the Deployment's, whose pods are named after it.
            render.Deployment("backend").Text("spec.template.spec.serviceAccountName").ShouldBe(account);
            render.Deployment("backend").Name.ShouldBe(account);
        }
    }

    [ToolFact(Tool.Helm)]
    public void Namespace_is_rendered_only_on_request_and_enforces_the_restricted_standard()
    {
        EasypayChart.Render("prod").OfKind("Namespace").ShouldBeEmpty();

        var ns = EasypayChart.Render(EasypayChart.Args("prod", set: ["namespace.create=true"])).OfKind("Namespace").ShouldHaveSingleItem();
        ns.Name.ShouldBe(EasypayChart.Namespace);
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            ns.Labels[$"pod-security.kubernetes.io/{mode}"].ShouldBe("restricted");
            ns.Labels[$"pod-security.kubernetes.io/{mode}-version"].ShouldBe("latest");
        }
        ns.Annotations["helm.sh/resource-policy"].ShouldBe("keep");
        // aws-load-balancer-controller v2.13.4 docs/deploy/pod_readiness_gate.md: the label that turns on readiness
        // gate injection for pods behind a TargetGroupBinding in the namespace.
        ns.Labels["elbv2.k8s.aws/pod-readiness-gate-inject"].ShouldBe("enabled");
        EasypayChart.Render(EasypayChart.Args("prod", set: ["namespace.create=true", "namespace.podReadinessGate=false"]))
            .OfKind("Namespace").ShouldHaveSingleItem().Labels.ContainsKey("elbv2.k8s.aws/pod-readiness-gate-inject").ShouldBeFalse();
    }

    /// <summary>The account the values point at: the environment's, or the documentation account of the chart defaults.</summary>
    internal static string AccountOf(string environment) => environment == "default" ? "123456789012" : TestEnvironments.Repository(environment).AccountId;

    /// <summary>Whether developers run and debug pods in the environment (rbac.developerAccess operate): not in
    /// production, nor with the chart defaults.</summary>
    private static bool Operates(string environment) => environment != "default" && !TestEnvironments.Repository(environment).Production;
}
