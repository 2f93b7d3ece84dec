using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Charts;

/// <summary>helm lint, Kubernetes API schema validation, values.schema.json and the template guards.</summary>
public class EasypayChartValidationTests
{
    private const string SchemaError = "values don't meet the specifications of the schema";

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Helm_lint_strict_is_clean(string environment)
    {
        var lint = HelmCli.Lint(EasypayChart.Args(environment), strict: true);
        lint.ExitCode.ShouldBe(0, lint.Output);
        lint.StdOut.ShouldContain("1 chart(s) linted, 0 chart(s) failed", Case.Sensitive, lint.Output);
        lint.Output.ShouldNotContain("[WARNING]", Case.Sensitive, lint.Output);
        lint.Output.ShouldNotContain("[ERROR]", Case.Sensitive, lint.Output);
    }

    [ToolTheory(Tool.Helm | Tool.KubeValidate)]
    [MemberData(nameof(EasypayChart.Environments), MemberType = typeof(EasypayChart))]
    public void Every_rendered_manifest_passes_the_kubernetes_api_schemas(string environment)
    {
        var template = HelmCli.Template(EasypayChart.Args(environment));
        template.ExitCode.ShouldBe(0, template.Output);
        var validation = KubeValidate.Run(template.StdOut);
        validation.Invalid.ShouldBe(0, validation.Cli.Output);
        validation.Documents.ShouldBe(KubeManifest.ParseAll(template.StdOut).Count);
        // only the CRD kinds (Calico, External Secrets, TargetGroupBinding) may be skipped
        var crds = EasypayChart.Render(environment).All.Count(m => m.ApiVersion is "projectcalico.org/v3" or "external-secrets.io/v1" or "elbv2.k8s.aws/v1beta1");
        validation.Skipped.ShouldBe(crds, validation.Cli.Output);
        validation.Valid.ShouldBe(validation.Documents - crds);
    }

    [ToolFact(Tool.Helm | Tool.KubeValidate)]
    public void Ingress_and_namespace_renders_pass_the_kubernetes_api_schemas_too()
    {
        var template = HelmCli.Template(EasypayChart.Args("default", """
            namespace: {create: true}
            ingress: {enabled: true}
            frontend: {autoscaling: {enabled: false}}
            """));
        template.ExitCode.ShouldBe(0, template.Output);
        KubeValidate.Run(template.StdOut).Invalid.ShouldBe(0);
    }

    [ToolTheory(Tool.Helm)]
    [MemberData(nameof(EasypayChart.CiEnvironments), MemberType = typeof(EasypayChart))]
    public void Each_ci_values_file_satisfies_the_schema(string environment)
    {
        var template = HelmCli.Template(EasypayChart.Args(environment) with { ValuesFiles = [EasypayChart.CiValuesFile(environment)] });
        template.Output.ShouldNotContain(SchemaError);
        template.ExitCode.ShouldBe(0, template.Output);
    }

    /// <summary>The ci files are what `helm lint charts/easypay -f ci/ENV-values.yaml` sees outside the tests: the
    /// platform stack's values, never hand-written ones (EASYPAY_UPDATE_CI_VALUES=1 rewrites them).</summary>
    [Theory]
    [MemberData(nameof(EasypayChart.CiEnvironments), MemberType = typeof(EasypayChart))]
    public void Ci_values_files_are_the_generated_values(string environment)
    {
        var path = EasypayChart.CiValuesFile(environment);
        var expected = EasypayChart.CiValuesFileContent(environment);
        if (Environment.GetEnvironmentVariable("EASYPAY_UPDATE_CI_VALUES") == "1")
        {
            File.WriteAllText(path, expected);
        }
        File.ReadAllText(path).ShouldBe(expected,
            $"{Path.GetRelativePath(RepoPaths.Root, path)} is not what the platform stack generates; regenerate: EASYPAY_UPDATE_CI_VALUES=1 npm test -- --filter Ci_values_files_are_the_generated_values");
    }

    [ToolFact(Tool.Helm)]
    public void A_misspelt_key_is_rejected_by_the_schema()
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", "frontend:\n  replicaz: 3\n"));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(SchemaError);
        result.StdErr.ShouldContain("replicaz");
        ShouldNameField(result.StdErr, "frontend");
    }

    [ToolFact(Tool.Helm)]
    public void A_wrong_type_is_rejected_by_the_schema()
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", "backend:\n  autoscaling:\n    maxReplicas: \"ten\"\n"));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(SchemaError);
        ShouldNameField(result.StdErr, "backend.autoscaling.maxReplicas");
        result.StdErr.ShouldContain("integer");
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("frontend:\n  image:\n    tag: latest\n", "frontend.image.tag")]
    [InlineData("network:\n  albSourceCidrs: [10.30.0.0/33]\n", "network.albSourceCidrs.0")]
    [InlineData("database:\n  subnetCidrs: [\"10.30.224.0\"]\n", "database.subnetCidrs.0")]
    [InlineData("database:\n  sslMode: disable\n", "database.sslMode")]
    [InlineData("backend:\n  securityContext:\n    runAsUser: 0\n", "backend.securityContext.runAsUser")]
    [InlineData("backend:\n  image:\n    digest: sha256:abc\n", "backend.image.digest")]
    [InlineData("frontend:\n  topologySpread:\n    zone:\n      whenUnsatisfiable: Sometimes\n", "frontend.topologySpread.zone.whenUnsatisfiable")]
    [InlineData("frontend:\n  apiTargetGroupArn: not-an-arn\n", "frontend.apiTargetGroupArn")]
    [InlineData("backend:\n  targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/easypay-prod-backend/0123456789abcdef\n", "backend")] // no backend binding exists any more
    [InlineData("externalSecrets:\n  roleArn: arn:aws:iam::123:role/x\n", "externalSecrets")] // the store uses the controller's identity
    [InlineData("database:\n  credentials:\n    plain:\n      enabled: true\n", "database")] // no password mode exists any more
    [InlineData("database:\n  user: Easypay-App\n", "database.user")]
    [InlineData("database:\n  tokenLifetimeSeconds: 3600\n", "database.tokenLifetimeSeconds")]
    [InlineData("externalSecrets:\n  secretStore:\n    secretNamePrefix: easypay-prod/app\n", "externalSecrets.secretStore.secretNamePrefix")]
    [InlineData("database:\n  sslMode: require\n", "database.sslMode")]
    [InlineData("rbac:\n  developerAccess: admin\n", "rbac.developerAccess")]
    [InlineData("frontend:\n  tolerations:\n    - keyy: spot\n", "frontend.tolerations.0")]
    [InlineData("replicas: 3\n", "replicas")]
    [InlineData("network:\n  awsEndpointCidrs: [0.0.0.0/0]\n", "network.awsEndpointCidrs.0")] // AWS APIs only inside the VPC
    [InlineData("network:\n  awsEndpointCidrs: [52.94.0.0/16]\n", "network.awsEndpointCidrs.0")]
    [InlineData("network:\n  paymentProviders: [{name: acquirer, cidrs: [0.0.0.0/0], ports: [443]}]\n", "network.paymentProviders.0.cidrs.0")]
    [InlineData("network:\n  paymentProviders: [{name: acquirer, cidrs: [52.0.0.0/8], ports: [443]}]\n", "network.paymentProviders.0.cidrs.0")]
    [InlineData("network:\n  paymentProviders: [{name: acquirer, cidrs: [203.0.113.0/26], ports: [70000]}]\n", "network.paymentProviders.0.ports.0")]
    [InlineData("network:\n  paymentProviders: [{name: acquirer, cidrs: [203.0.113.0/26]}]\n", "network.paymentProviders.0")]
    [InlineData("network:\n  paymentProviders: [{cidrs: [203.0.113.0/26], ports: [443]}]\n", "network.paymentProviders.0")]
    public void Invalid_values_are_rejected_with_the_field_named(string valuesYaml, string field)
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", valuesYaml));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(SchemaError);
        ShouldNameField(result.StdErr, field);
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("frontend.pdb.minAvailable=3", "frontend.pdb.minAvailable (3) must be lower than frontend.autoscaling.minReplicas (3)")]
    [InlineData("backend.autoscaling.minReplicas=2", "backend.pdb.minAvailable (2) must be lower than backend.autoscaling.minReplicas (2)")]
    public void A_pdb_that_would_block_every_drain_fails_the_render(string set, string message)
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", set: [set]));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(message);
        result.StdErr.ShouldContain("blocks every node drain");
    }

    [ToolFact(Tool.Helm)]
    public void Without_an_hpa_the_pdb_guard_compares_with_the_replica_count()
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", set: ["backend.autoscaling.enabled=false", "backend.replicas=2"]));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain("backend.pdb.minAvailable (2) must be lower than backend.replicas (2)");
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("frontend.terminationGracePeriodSeconds=10", "frontend.terminationGracePeriodSeconds (10) must be greater than frontend.preStopSleepSeconds (10)")]
    [InlineData("backend.autoscaling.minReplicas=31", "backend.autoscaling.minReplicas (31) must not exceed backend.autoscaling.maxReplicas (30)")]
    [InlineData("ingress.enabled=true", "ingress.enabled must be false when frontend.targetGroupArn or frontend.apiTargetGroupArn is set")]
    [InlineData("frontend.topologySpread.zone.whenUnsatisfiable=ScheduleAnyway,frontend.topologySpread.zone.minDomains=3", "frontend.topologySpread.zone.minDomains (3) needs frontend.topologySpread.zone.whenUnsatisfiable DoNotSchedule")]
    [InlineData("backend.extraConfig.DB_PASSWORD=hunter2", "backend.extraConfig.DB_PASSWORD looks like a credential")]
    [InlineData("backend.extraConfig.DB_HOST=elsewhere", "backend.extraConfig.DB_HOST is managed by the chart")]
    public void Inconsistent_values_fail_the_render_with_a_message(string set, string message)
    {
        var result = HelmCli.Template(EasypayChart.Args("prod", set: [set]));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain(message);
    }

    [ToolFact(Tool.Helm)]
    public void The_backend_needs_its_iam_role_to_reach_the_database()
    {
        // null removes the key in helm's values merge.
        var result = HelmCli.Template(EasypayChart.Args("prod", "backend:\n  serviceAccount:\n    annotations:\n      eks.amazonaws.com/role-arn: null\n"));
        result.ExitCode.ShouldNotBe(0);
        result.StdErr.ShouldContain("backend.serviceAccount.annotations must set eks.amazonaws.com/role-arn");
    }

    /// <summary>helm names the field as a dotted path (Helm 3.16, gojsonschema) or as a JSON pointer
    /// (Helm 3.18+); a top-level unknown key appears quoted.</summary>
    private static void ShouldNameField(string stderr, string dottedPath)
    {
        var pointer = "/" + dottedPath.Replace('.', '/');
        var named = stderr.Contains(dottedPath, StringComparison.Ordinal)
            || stderr.Contains(pointer, StringComparison.Ordinal)
            || stderr.Contains($"'{dottedPath}'", StringComparison.Ordinal);
        named.ShouldBeTrue($"the schema error should name {dottedPath}:\n{stderr}");
    }
}
