using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>Developer RBAC, database credentials (External Secrets or plain) and the optional Namespace.</summary>
public class EasypayChartAccessTests
{
    private const string PlainModeYaml = """
        database:
          credentials:
            externalSecret:
              enabled: false
            plain:
              enabled: true
              username: easypay_app
              password: local-only-password
        """;

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
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["/pods"] = ["create", "get", "list", "watch", "update", "patch", "delete"],
            ["/pods/log"] = ["get"],
            // kubectl >= 1.30 execs over WebSocket, an HTTP GET authorized as "get"; the SPDY fallback is a POST,
            // "create" (KEP-4006; kubernetes/kubernetes#134577 makes 1.35 check create for both).
            ["/pods/exec"] = ["get", "create"],
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
            ["external-secrets.io/secretstores"] = readOnly,
        };
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
    public void No_secret_with_data_is_rendered_while_external_secrets_deliver_the_credentials(string environment)
    {
        var render = EasypayChart.Render(environment);
        render.OfKind("Secret").ShouldBeEmpty();
        render.All.ShouldAllBe(m => !m.Has("data.password") && !m.Has("stringData"));
        render.OfKind("ExternalSecret").Count.ShouldBe(1);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void External_secret_copies_username_and_password_from_the_secret_arn_in_values(string environment)
    {
        var render = EasypayChart.Render(environment);
        var values = EasypayChart.Values(environment);
        var secretArn = values.Text("database.credentials.externalSecret.secretArn");
        secretArn.ShouldStartWith($"arn:aws:secretsmanager:eu-west-1:{AccountOf(environment)}:secret:");

        var externalSecret = render.Single("ExternalSecret", "easypay-db-credentials");
        externalSecret.ApiVersion.ShouldBe("external-secrets.io/v1");
        externalSecret.Text("spec.target.name").ShouldBe("easypay-db-credentials"); // the Secret the backend reads
        externalSecret.Text("spec.target.creationPolicy").ShouldBe("Owner");
        var data = externalSecret.Nodes("spec.data");
        data.Select(d => $"{d.Text("secretKey")}<-{d.Text("remoteRef.key")}#{d.Text("remoteRef.property")}")
            .ShouldBe([$"username<-{secretArn}#username", $"password<-{secretArn}#password"], ignoreOrder: true);

        externalSecret.Text("spec.secretStoreRef.kind").ShouldBe("SecretStore");
        var store = render.Single("SecretStore", externalSecret.Text("spec.secretStoreRef.name")!);
        store.ApiVersion.ShouldBe("external-secrets.io/v1");
        store.Text("spec.provider.aws.service").ShouldBe("SecretsManager");
        store.Text("spec.provider.aws.region").ShouldBe("eu-west-1");
        var accountName = store.Text("spec.provider.aws.auth.jwt.serviceAccountRef.name");
        var account = render.Single("ServiceAccount", accountName!);
        account.Annotations["eks.amazonaws.com/role-arn"].ShouldBe(values.Text("externalSecrets.roleArn"));
        account.Annotations["eks.amazonaws.com/role-arn"].ShouldStartWith($"arn:aws:iam::{AccountOf(environment)}:role/");
    }

    [ToolFact(Tool.Helm)]
    public void Plain_mode_renders_the_credentials_secret_instead_of_the_external_secret()
    {
        var render = EasypayChart.Render(EasypayChart.Args("dev", PlainModeYaml));
        var secret = render.OfKind("Secret").ShouldHaveSingleItem();
        secret.Name.ShouldBe("easypay-db-credentials");
        var data = secret.StringMap("data");
        data.Keys.ShouldBe(["username", "password"], ignoreOrder: true);
        Convert.FromBase64String(data["username"]).ShouldBe("easypay_app"u8.ToArray());
        Convert.FromBase64String(data["password"]).ShouldBe("local-only-password"u8.ToArray());
        render.OfKind("ExternalSecret").ShouldBeEmpty();
        render.OfKind("SecretStore").ShouldBeEmpty();
        render.Deployment("backend").StringMap("spec.template.metadata.annotations").ShouldContainKey("checksum/db-credentials");
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
}
