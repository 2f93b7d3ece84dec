using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

/// <summary>Every invalid-input path gives one line naming the file, the field and the fix.</summary>
public class EnvironmentValidationTests
{
    private static string ProblemOf(string env, Action<JsonObject> edit)
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit(env, edit).Problems();
        problems.Count.ShouldBe(1, string.Join(Environment.NewLine, problems));
        return problems[0];
    }

    [Theory]
    [InlineData("10.30.0.0", "is not a CIDR block: expected a.b.c.d/nn")]
    [InlineData("10.30.0.0/33", "malformed prefix length")]
    [InlineData("10.300.0.0/16", "malformed address")]
    [InlineData("10.30.0.1/16", "host bits set: the network address for /16 is 10.30.0.0/16")]
    [InlineData("10.30.0.0/24", "use a prefix between /16 and /20")]
    [InlineData("100.64.0.0/16", "not inside an RFC 1918 private range")]
    public void A_malformed_or_unsuitable_vpc_cidr_is_rejected(string cidr, string reason)
    {
        var problem = ProblemOf("prod", j => j["network"]!["vpcCidr"] = cidr);
        problem.ShouldStartWith("environments/prod.json: network.vpcCidr:");
        problem.ShouldContain(reason);
    }

    [Fact]
    public void Overlapping_vpc_cidrs_of_two_environments_are_rejected()
    {
        var problem = ProblemOf("staging", j => j["network"]!["vpcCidr"] = "10.30.128.0/17");
        problem.ShouldBe("environments/staging.json: network.vpcCidr: 10.30.128.0/17 overlaps 10.30.0.0/16 of environments/prod.json; environments need disjoint CIDRs to be peered or routed later");
    }

    [Fact]
    public void Production_needs_three_azs()
    {
        var problem = ProblemOf("prod", j =>
        {
            j["availabilityZones"] = new JsonArray("eu-west-1a", "eu-west-1b");
            j["database"]!["readerCount"] = 1;
        });
        problem.ShouldBe("environments/prod.json: availabilityZones: production needs 3 AZs (99.99% target: nothing single-AZ); 2 given");
    }

    [Fact]
    public void An_az_outside_the_region_is_rejected()
    {
        ProblemOf("prod", j => j["availabilityZones"]![2] = "eu-central-1c")
            .ShouldBe("environments/prod.json: availabilityZones[2]: \"eu-central-1c\" is not an availability zone of region eu-west-1; use eu-west-1a, eu-west-1b, ...");
    }

    [Fact]
    public void More_readers_than_azs_allow_is_rejected()
    {
        ProblemOf("dev", j => j["database"]!["readerCount"] = 2)
            .ShouldBe("environments/dev.json: database.readerCount: 2 reader(s) plus the writer need 3 AZs but the environment spans 2; every instance gets its own AZ");
    }

    [Fact]
    public void Production_without_alarm_recipients_is_rejected()
    {
        ProblemOf("prod", j => j["monitoring"]!["alarmEmails"] = new JsonArray())
            .ShouldBe("environments/prod.json: monitoring.alarmEmails: production needs at least one alarm recipient: nobody would be paged");
    }

    [Fact]
    public void An_unknown_key_is_rejected_with_a_suggestion()
    {
        ProblemOf("dev", j => j["network"]!.AsObject().Add("natGateway", "single"))
            .ShouldBe("environments/dev.json: network.natGateway: unknown key (did you mean \"natGateways\"?); allowed here: vpcCidr, natGateways, interfaceEndpoints");
    }

    [Fact]
    public void A_missing_required_key_and_a_wrong_type_are_both_reported()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("dev", j =>
        {
            j.Remove("region");
            j["cluster"]!["nodeGroup"]!["maxSizePerAz"] = "four";
        }).Problems();
        problems.ShouldBe(
            [
                "environments/dev.json: region: is required but missing",
                "environments/dev.json: cluster.nodeGroup.maxSizePerAz: expected integer but found string \"four\"",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        using var files = new EnvironmentFiles();
        var problems = files.WriteRaw("dev", "{\n  \"name\": \"dev\",\n  \"production\": false,,\n}").Problems();
        problems.Count.ShouldBe(1);
        problems[0].ShouldStartWith("environments/dev.json: line 3: malformed JSON:");
    }

    [Fact]
    public void The_name_must_match_the_file()
    {
        ProblemOf("dev", j => j["name"] = "devel")
            .ShouldBe("environments/dev.json: name: \"devel\" must equal the file name \"dev\" (stack ids and workspaces are derived from it)");
    }

    [Fact]
    public void Production_needs_a_nat_gateway_per_az()
    {
        ProblemOf("prod", j => j["network"]!["natGateways"] = "single")
            .ShouldStartWith("environments/prod.json: network.natGateways: production needs \"perAz\"");
    }

    [Fact]
    public void Production_targets_may_not_fall_below_the_business_targets()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("prod", j =>
        {
            j["targets"]!["availabilityPercent"] = 99.5;
            j["targets"]!["recovery"]!["region"]!["rpoMinutes"] = 720;
            j["targets"]!["recovery"]!["availabilityZone"]!["rtoMinutes"] = 120;
            j["targets"]!["recovery"]!["region"]!["rtoMinutes"] = 1440; // a region loss may take longer
        }).Problems();
        problems.ShouldBe(
        [
            "environments/prod.json: targets.availabilityPercent: 99.5 is below the business target of 99.9% for production",
            "environments/prod.json: targets.recovery.availabilityZone.rtoMinutes: 120 is above 60 minutes: production recovers from anything short of a region loss in minutes",
            "environments/prod.json: targets.recovery.region.rpoMinutes: 720 is above the business RPO of 360 minutes (6 h)",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Targets_are_required_and_shaped_by_the_schema()
    {
        ProblemOf("dev", j => j["targets"]!["recovery"]!.AsObject().Remove("region"))
            .ShouldBe("environments/dev.json: targets.recovery.region: is required but missing");
        ProblemOf("staging", j => j["targets"]!["recovery"]!["application"]!["rtoMinutes"] = 0)
            .ShouldContain("targets.recovery.application.rtoMinutes");
    }

    [Fact]
    public void An_unknown_nat_mode_is_rejected_by_the_schema()
    {
        ProblemOf("dev", j => j["network"]!["natGateways"] = "two")
            .ShouldBe("environments/dev.json: network.natGateways: \"two\" is not one of \"perAz\", \"single\"");
    }

    [Fact]
    public void Production_may_not_open_the_kubernetes_api_to_the_internet()
    {
        ProblemOf("prod", j => j["cluster"]!["publicAccessCidrs"] = new JsonArray("0.0.0.0/0"))
            .ShouldBe("environments/prod.json: cluster.publicAccessCidrs[0]: 0.0.0.0/0 opens the production Kubernetes API to the internet; list the office/VPN egress CIDRs instead");
    }

    [Fact]
    public void A_malformed_public_access_cidr_is_rejected()
    {
        ProblemOf("dev", j => j["cluster"]!["publicAccessCidrs"]![1] = "198.51.100.7/24")
            .ShouldBe("environments/dev.json: cluster.publicAccessCidrs[1]: '198.51.100.7/24' has host bits set: the network address for /24 is 198.51.100.0/24");
    }

    [Fact]
    public void Outside_production_the_api_may_be_open_to_the_internet()
    {
        using var files = new EnvironmentFiles();
        files.Edit("dev", j => j["cluster"]!["publicAccessCidrs"] = new JsonArray("0.0.0.0/0")).Load("dev")[0].Cluster.PublicAccessCidrs.ShouldBe(["0.0.0.0/0"]);
    }

    [Fact]
    public void The_developer_role_may_not_be_the_admin_role()
    {
        ProblemOf("staging", j =>
        {
            j["account"]!.AsObject().Remove("humanRoles");
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::222233334444:role/easypay-platform-admin";
            j["cluster"]!["developerRoleArn"] = "arn:aws:iam::222233334444:role/easypay-platform-admin";
        }).ShouldStartWith("environments/staging.json: cluster.developerRoleArn: is the same role as adminRoleArn");
    }

    [Fact]
    public void Kube_proxy_must_match_the_kubernetes_version()
    {
        ProblemOf("prod", j => j["cluster"]!["addons"]!["kubeProxy"] = "v1.32.6-eksbuild.2")
            .ShouldBe("environments/prod.json: cluster.addons.kubeProxy: \"v1.32.6-eksbuild.2\" is not a build for Kubernetes 1.35; use a v1.35.x-eksbuild.N version (aws eks describe-addon-versions --addon-name kube-proxy)");
    }

    [Fact]
    public void A_kubernetes_version_the_support_calendar_does_not_know_is_rejected()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("prod", j =>
        {
            j["cluster"]!["kubernetesVersion"] = "1.40";
            j["cluster"]!["addons"]!["kubeProxy"] = "v1.40.0-eksbuild.1";
        }).Problems();
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: cluster.kubernetesVersion: \"1.40\" is not in EksSupportCalendar", StringComparison.Ordinal));
    }

    [Fact]
    public void Hpa_ceilings_follow_the_peak_factor_and_an_explicit_max_may_not_undercut_it()
    {
        using var files = new EnvironmentFiles();
        var prod = files.Load("prod")[0];
        // prod: 3 replicas at the HPA target serve normal traffic; 10x needs 30.
        (prod.Application.PeakTrafficFactor, prod.Application.MaxReplicas(prod.Application.BackendReplicas)).ShouldBe((10, 30));
        ProblemOf("prod", j => j["application"]!["backendReplicas"]!["max"] = 10)
            .ShouldBe("environments/prod.json: application.backendReplicas.max: 10 is below min × peakTrafficFactor (3 × 10 = 30): the HPA could not absorb the peak; remove max (the ceiling is then 30) or lower the factor");
    }

    [Fact]
    public void Reader_auto_scaling_needs_a_reader_and_a_ceiling_above_it()
    {
        ProblemOf("prod", j => j["database"]!["maxReaderCount"] = 2)
            .ShouldStartWith("environments/prod.json: database.maxReaderCount: 2 needs readerCount of at least 1 and below it (readerCount 2)");
    }

    [Fact]
    public void Extended_support_needs_a_reason()
    {
        ProblemOf("staging", j => j["cluster"]!["upgradePolicy"] = new JsonObject { ["supportType"] = "EXTENDED" })
            .ShouldStartWith("environments/staging.json: cluster.upgradePolicy.reason: is missing");
        using var files = new EnvironmentFiles();
        files.Edit("staging", j => j["cluster"]!["upgradePolicy"] = new JsonObject { ["supportType"] = "EXTENDED", ["reason"] = "vendor agent certified on 1.35 only until Q2" })
            .Load("staging")[0].Cluster.UpgradePolicy!.SupportType.ShouldBe(EksSupportType.Extended);
    }

    [Theory]
    [InlineData("1.36", "newer than")]
    [InlineData("1.31", "more than three minors behind")]
    public void Nodes_stay_within_the_kubelet_version_skew(string nodeVersion, string problem)
    {
        // Kubernetes version skew policy: kubelet up to three minors older than kube-apiserver, never newer.
        ProblemOf("prod", j => j["cluster"]!["nodeGroup"]!["kubernetesVersion"] = nodeVersion)
            .ShouldBe($"environments/prod.json: cluster.nodeGroup.kubernetesVersion: \"{nodeVersion}\" is {problem} the control plane's 1.35: the Kubernetes version skew policy allows kubelets up to three minors older, never newer");
    }

    [Fact]
    public void Node_group_min_above_max_is_rejected()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("dev", j => j["cluster"]!["nodeGroup"]!["minSizePerAz"] = 5).Problems();
        problems.ShouldContain("environments/dev.json: cluster.nodeGroup.minSizePerAz: 5 is greater than maxSizePerAz 2");
        problems.ShouldContain("environments/dev.json: cluster.nodeGroup.desiredSizePerAz: 1 must lie between minSizePerAz 5 and maxSizePerAz 2");
    }

    [Fact]
    public void Node_group_sizes_are_per_az_and_every_az_keeps_a_node()
    {
        using var files = new EnvironmentFiles();
        files.Edit("prod", j => j["cluster"]!["nodeGroup"]!["minSizePerAz"] = 0).Problems()
            .ShouldContain(p => p.StartsWith("environments/prod.json: cluster.nodeGroup.minSizePerAz: ", StringComparison.Ordinal) && p.Contains("minimum 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_still_using_cluster_wide_node_group_sizes_is_told_the_per_az_names()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("dev", j =>
        {
            var ng = j["cluster"]!["nodeGroup"]!.AsObject();
            ng.Remove("minSizePerAz");
            ng["minSize"] = 2;
        }).Problems();
        problems.ShouldContain(p => p.StartsWith("environments/dev.json: cluster.nodeGroup.minSize: unknown key", StringComparison.Ordinal) && p.Contains("minSizePerAz", StringComparison.Ordinal), string.Join("\n", problems));
        problems.ShouldContain("environments/dev.json: cluster.nodeGroup.minSizePerAz: is required but missing");
    }

    [Fact]
    public void The_platform_deployer_needs_a_role_of_its_own()
    {
        // EKS: "An IAM principal can't be included in more than one access entry" (EKS user guide, grant-k8s-access).
        ProblemOf("dev", j =>
        {
            j["account"]!.AsObject().Remove("humanRoles");
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::111122223333:role/easypay-platform-admin";
            j["cluster"]!["developerRoleArn"] = "arn:aws:iam::111122223333:role/easypay-developer";
            j["cluster"]!["deployerRoleArn"] = "arn:aws:iam::111122223333:role/easypay-platform-admin";
        }).ShouldStartWith("environments/dev.json: cluster.deployerRoleArn: is the same role as adminRoleArn or developerRoleArn");
        ProblemOf("dev", j =>
        {
            j["account"]!.AsObject().Remove("humanRoles");
            j["cluster"]!["adminRoleArn"] = "arn:aws:iam::111122223333:role/easypay-platform-admin";
            j["cluster"]!["developerRoleArn"] = "arn:aws:iam::111122223333:role/easypay-developer";
            j["cluster"]!["deployerRoleArn"] = "easypay-deployer";
        }).ShouldStartWith("environments/dev.json: cluster.deployerRoleArn: ");
    }

    [Fact]
    public void Environments_sharing_an_account_create_each_account_wide_resource_once()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("staging", j => j["accountId"] = "111122223333").Problems();
        problems.ShouldContain(p => p.StartsWith("environments/staging.json: account.existingServiceLinkedRoles: shares account 111122223333 with environments/dev.json, and both would create the autoscaling.amazonaws.com service-linked role", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/staging.json: account.existingLogGroups: shares account 111122223333 and region eu-west-1 with environments/dev.json, and both would create the RDSOSMetrics log group", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("environments/staging.json: account.auditBaseline: shares account 111122223333 with environments/dev.json", StringComparison.Ordinal));
        files.Edit("staging", j =>
        {
            j["account"]!["existingServiceLinkedRoles"] = new JsonArray("autoscaling.amazonaws.com");
            j["account"]!["existingLogGroups"] = new JsonArray("RDSOSMetrics");
            j["account"]!["auditBaseline"] = "organization";
        });
        Should.NotThrow(() => files.Load()); // the other environment (dev) creates both
    }

    [Fact]
    public void Only_known_account_wide_resources_can_be_declared_existing()
    {
        ProblemOf("dev", j => j["account"]!["existingServiceLinkedRoles"] = new JsonArray("eks.amazonaws.com"))
            .ShouldStartWith("environments/dev.json: account.existingServiceLinkedRoles[0]: ");
    }

    [Theory]
    [InlineData("db.m5.large", "unknown instance class family 'db.m5'")]
    [InlineData("r6g.large", "is not an instance class name such as db.r6g.large")]
    [InlineData("db.r6g.medium", "has a size that family db.r6g does not offer")]
    public void An_unknown_instance_class_is_rejected(string instanceClass, string reason)
    {
        var problem = ProblemOf("staging", j => j["database"]!["instanceClass"] = instanceClass);
        problem.ShouldStartWith("environments/staging.json: database.instanceClass:");
        problem.ShouldContain(reason);
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("dev")] // the Data API that creates the IAM database user refuses T classes in every environment
    public void No_environment_runs_a_burstable_database(string env)
    {
        ProblemOf(env, j => j["database"]!["instanceClass"] = "db.t4g.large")
            .ShouldStartWith($"environments/{env}.json: database.instanceClass: db.t4g.large is burstable: the RDS Data API");
    }

    [Fact]
    public void Production_retention_floors_are_enforced()
    {
        using var files = new EnvironmentFiles();
        files.Edit("prod", j =>
        {
            j["database"]!["backupRetentionDays"] = 3;
            j["database"]!["snapshotRetentionDays"] = 5;
            j["logRetentionDays"] = 90;
        }).Problems().ShouldBe(
            [
                "environments/prod.json: database.backupRetentionDays: 3 is below the production floor of 7 days",
                "environments/prod.json: database.snapshotRetentionDays: 5 is below the production floor of 7 days",
                "environments/prod.json: logRetentionDays: 90 is below the production floor of 365 days (PCI DSS 10.5.1)",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void A_compliance_vault_lock_outside_production_and_a_weaker_one_in_production_are_rejected()
    {
        using var files = new EnvironmentFiles();
        files.Edit("dev", j => j["database"]!["backupVaultLock"] = "compliance")
            .Edit("prod", j => j["database"]!["backupVaultLock"] = "governance").Problems().ShouldBe(
            [
                "environments/dev.json: database.backupVaultLock: \"compliance\" cannot be undone, and this environment is destroyed (production: false): use \"governance\" or \"none\"",
                "environments/prod.json: database.backupVaultLock: \"governance\" lets an administrator delete production recovery points: use \"compliance\" (or remove the field)",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void The_vault_lock_defaults_to_compliance_in_production_and_governance_elsewhere()
    {
        TestEnvironments.Repository("prod").BackupVaultLock.ShouldBe(EasyPay.Tf.Modules.Backup.BackupVaultLockMode.Compliance);
        TestEnvironments.Repository("staging").BackupVaultLock.ShouldBe(EasyPay.Tf.Modules.Backup.BackupVaultLockMode.Governance);
        using var files = new EnvironmentFiles();
        files.Edit("dev", j => j["database"]!["backupVaultLock"] = "locked").Problems().ShouldContain(p => p.StartsWith("environments/dev.json: database.backupVaultLock", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_images_are_pinned_by_digest()
    {
        ProblemOf("prod", j => j["application"]!["backendImage"]!["digest"] = null)
            .ShouldStartWith("environments/prod.json: application.backendImage.digest: production pins its images by digest");
        // Elsewhere a tag in the environment's ECR registry (immutable tags) is enough: dev.json and staging.json have none.
        TestEnvironments.Repository("staging").Application.BackendImage.Digest.ShouldBeNull();
    }

    [Fact]
    public void A_log_retention_cloudwatch_does_not_offer_is_rejected()
    {
        ProblemOf("dev", j => j["logRetentionDays"] = 10).ShouldStartWith("environments/dev.json: logRetentionDays: 10 is not one of 1, 3, 5, 7, 14");
    }

    [Fact]
    public void Overlapping_backup_and_maintenance_windows_are_rejected()
    {
        ProblemOf("dev", j => j["database"]!["preferredMaintenanceWindow"] = "tue:02:15-tue:03:00")
            .ShouldBe("environments/dev.json: database.preferredMaintenanceWindow: \"tue:02:15-tue:03:00\" overlaps the daily backup window \"02:00-02:30\"; AWS rejects overlapping windows");
    }

    [Fact]
    public void A_disaster_recovery_region_equal_to_the_environment_region_is_rejected()
    {
        ProblemOf("prod", j => j["disasterRecovery"]!["region"] = "eu-west-1")
            .ShouldStartWith("environments/prod.json: disasterRecovery.region: \"eu-west-1\" is the environment's own region");
    }

    [Fact]
    public void An_unpinned_image_tag_is_rejected()
    {
        ProblemOf("dev", j => j["application"]!["backendImage"]!["tag"] = "latest")
            .ShouldStartWith("environments/dev.json: application.backendImage.tag: \"latest\" does not match the pattern");
    }

    [Fact]
    public void Production_needs_https()
    {
        ProblemOf("prod", j => j["monitoring"]!["dns"] = null)
            .ShouldStartWith("environments/prod.json: cluster.ingress.protocol: production serves payments over HTTPS only, and \"https\" needs a certificate");
        // With a zone the account stack issues the certificate; without one, a certificate of your own is enough.
        using var files = new EnvironmentFiles();
        files.Edit("prod", j =>
        {
            j["monitoring"]!["dns"] = null;
            j["cluster"]!["certificateArn"] = "arn:aws:acm:eu-west-1:333344445555:certificate/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
        });
        Should.NotThrow(() => files.Load());
    }

    private static JsonObject Ingress(JsonObject env) => env["cluster"]!["ingress"]!.AsObject();

    [Fact]
    public void Production_may_not_serve_plain_http()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("prod", j =>
        {
            Ingress(j)["protocol"] = "http";
            Ingress(j).Remove("sslPolicy");
            Ingress(j)["httpReason"] = "trying plain http in production";
        }).Problems();
        problems.ShouldContain("environments/prod.json: cluster.ingress.protocol: production serves payments over HTTPS only: set \"https\" with an sslPolicy (and monitoring.dns or cluster.certificateArn for the certificate)");
        // The zone gives a certificate, so http is refused there too.
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: cluster.ingress.protocol: is \"http\" although monitoring.dns", StringComparison.Ordinal));
    }

    [Fact]
    public void Staging_has_a_zone_so_it_must_serve_https()
    {
        ProblemOf("staging", j =>
        {
            Ingress(j)["protocol"] = "http";
            Ingress(j).Remove("sslPolicy");
            Ingress(j)["httpReason"] = "staging would like plain http";
        }).ShouldBe("environments/staging.json: cluster.ingress.protocol: is \"http\" although monitoring.dns (the account stack issues the ALB's certificate) provides a certificate: serve \"https\" with an sslPolicy (HTTP then only redirects)");
    }

    [Fact]
    public void Https_without_a_certificate_is_rejected_outside_production()
    {
        ProblemOf("dev", j =>
        {
            Ingress(j)["protocol"] = "https";
            Ingress(j).Remove("httpReason");
            Ingress(j)["sslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
        }).ShouldStartWith("environments/dev.json: cluster.ingress.protocol: \"https\" needs a certificate: configure monitoring.dns");
    }

    [Fact]
    public void Https_needs_a_pinned_tls_policy()
    {
        ProblemOf("prod", j => Ingress(j).Remove("sslPolicy"))
            .ShouldStartWith("environments/prod.json: cluster.ingress.sslPolicy: is missing: pin the HTTPS listener's TLS policy");
    }

    [Fact]
    public void Only_tls_1_3_policies_are_accepted()
    {
        // ELBSecurityPolicy-2016-08 is the API's default (TLS 1.0-1.2) when none is given (ELB user guide, security policies).
        ProblemOf("prod", j => Ingress(j)["sslPolicy"] = "ELBSecurityPolicy-2016-08")
            .ShouldStartWith("environments/prod.json: cluster.ingress.sslPolicy: \"ELBSecurityPolicy-2016-08\" is not one of");
    }

    [Fact]
    public void The_schema_offers_exactly_the_tls_policies_the_load_balancer_accepts()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "environments", "environment.schema.json")))!;
        schema["properties"]!["cluster"]!["properties"]!["ingress"]!["properties"]!["sslPolicy"]!["enum"]!.AsArray().Select(n => n!.ToString())
            .ShouldBe(EasyPay.Tf.Modules.Ingress.PublicLoadBalancer.Tls13Policies);
    }

    [Fact]
    public void Http_needs_a_reason_and_no_tls_policy()
    {
        using var files = new EnvironmentFiles();
        var problems = files.Edit("dev", j =>
        {
            Ingress(j).Remove("httpReason");
            Ingress(j)["sslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
        }).Problems();
        problems.ShouldBe([
            "environments/dev.json: cluster.ingress.httpReason: is missing: plain HTTP sends every request unencrypted; say why this environment needs it (or use \"https\")",
            "environments/dev.json: cluster.ingress.sslPolicy: is set although protocol is \"http\" (no HTTPS listener uses it); remove it or use \"https\"",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_reason_for_http_is_refused_with_https()
    {
        ProblemOf("staging", j => Ingress(j)["httpReason"] = "left over from an http experiment")
            .ShouldBe("environments/staging.json: cluster.ingress.httpReason: is set although protocol is \"https\"; remove it");
    }

    [Fact]
    public void Production_blocks_with_its_web_acl()
    {
        ProblemOf("prod", j => Ingress(j)["waf"]!["mode"] = "count")
            .ShouldStartWith("environments/prod.json: cluster.ingress.waf.mode: production blocks what the web ACL matches: set \"block\"");
        // Outside production count mode is allowed (dev's file uses it).
        using var files = new EnvironmentFiles();
        files.Load("dev")[0].Cluster.Ingress.Waf.Mode.ShouldBe(EasyPay.Tf.Modules.Ingress.WafMode.Count);
    }

    [Theory]
    [InlineData(9, "is below the minimum 10")]
    [InlineData(2000000001, "is above the maximum 2000000000")]
    public void The_rate_limit_is_within_what_aws_waf_accepts(long limit, string reason)
    {
        // Rate-based rule limit 10-2,000,000,000: terraform-provider-aws CHANGELOG 5.66.0 ("Reduce rate_based_statement.limit minimum from 100 to 10").
        var problem = ProblemOf("staging", j => Ingress(j)["waf"]!["apiRateLimitPer5Minutes"] = limit);
        problem.ShouldStartWith("environments/staging.json: cluster.ingress.waf.apiRateLimitPer5Minutes:");
        problem.ShouldContain(reason);
    }

    [Fact]
    public void An_unknown_waf_mode_is_rejected()
    {
        ProblemOf("dev", j => Ingress(j)["waf"]!["mode"] = "monitor")
            .ShouldBe("environments/dev.json: cluster.ingress.waf.mode: \"monitor\" is not one of \"count\", \"block\"");
    }
}
