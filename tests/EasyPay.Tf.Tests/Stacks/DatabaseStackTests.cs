using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>&lt;env&gt;-database composed with the real network stack and a fake cluster stack, for every
/// environment.</summary>
public class DatabaseStackTests
{
    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    private static JsonObject Database(string env) => DatabaseTestInputs.Synth(env).Database;

    /// <summary>"${type.name.attribute}" of the resource of <paramref name="type"/> (the one whose body matches).</summary>
    private static string Ref(JsonObject json, string type, string attribute, Func<JsonObject, bool>? which = null) =>
        $"${{{type}.{json.Resources(type).Single(r => which?.Invoke(r.Body) ?? true).Name}.{attribute}}}";

    private static string SecretArn(JsonObject json) => Ref(json, "aws_rds_cluster", "master_user_secret[0].secret_arn");

    private static string DatabaseKeyArn(JsonObject json) =>
        Ref(json, "aws_kms_key", "arn", k => k.Str("description")!.StartsWith("Aurora", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Environments))]
    public void Writer_and_readers_each_get_their_own_az_with_promotion_tiers_in_az_order(string env)
    {
        var composed = DatabaseTestInputs.Synth(env);
        var config = composed.Env;
        var instances = composed.Database.Resources("aws_rds_cluster_instance").Select(i => i.Body)
            .OrderBy(i => i.Str("identifier"), StringComparer.Ordinal).ToList();

        instances.Count.ShouldBe(1 + config.Database.ReaderCount);
        instances.Select(i => i.Str("availability_zone")).ShouldBe(config.AvailabilityZones.Take(instances.Count));
        instances.Select(i => i.Str("availability_zone")).Distinct().Count().ShouldBe(instances.Count);
        instances.Select(i => i.Str("promotion_tier")).ShouldBe(Enumerable.Range(0, instances.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        instances.Select(i => i.Str("identifier")).ShouldBe(Enumerable.Range(1, instances.Count).Select(i => $"easypay-{env}-{i}"));
        instances.ShouldAllBe(i => i.Str("instance_class") == config.Database.InstanceClass && i.Str("publicly_accessible") == "false" && i.Str("auto_minor_version_upgrade") == "false");
        composed.Outputs.InstanceIdentifiers.ShouldBe(instances.Select(i => i.Str("identifier")!));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void No_password_appears_anywhere_the_master_secret_is_managed_by_rds(string env)
    {
        var json = Database(env);
        var cluster = json.Single("aws_rds_cluster");
        cluster.Str("manage_master_user_password").ShouldBe("true");
        cluster.Str("master_user_secret_kms_key_id").ShouldBe(cluster.Str("kms_key_id"));
        cluster.Str("iam_database_authentication_enabled").ShouldBe("true");
        cluster.Str("storage_encrypted").ShouldBe("true");

        var text = json.ToJsonString();
        foreach (var key in new[] { "master_password", "master_password_wo", "password", "value_wo", "insecure_value" })
        {
            text.ShouldNotContain($"\"{key}\":", customMessage: $"{key} must not be set: RDS generates and keeps the password");
        }
        // Only settings about passwords, never a password: every key naming one is known and harmless.
        PasswordKeys(json).Distinct().ShouldBe(["manage_master_user_password"], ignoreOrder: true);
        // The SSM parameters hold addresses and the secret's ARN, never a secret value.
        json.Resources("aws_ssm_parameter").ShouldAllBe(p => p.Body.Str("type") == "String");
        json.Resources("aws_ssm_parameter").Single(p => p.Body.Str("name")!.EndsWith("/secret-arn", StringComparison.Ordinal)).Body.Str("value")
            .ShouldBe(SecretArn(json));
    }

    private static IEnumerable<string> PasswordKeys(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => (kv.Key.Contains("password", StringComparison.OrdinalIgnoreCase) ? [kv.Key] : Array.Empty<string>()).Concat(PasswordKeys(kv.Value))),
        JsonArray a => a.SelectMany(PasswordKeys),
        _ => [],
    };

    [Fact]
    public void The_parameter_group_forces_ssl_and_logs_slow_statements_and_ddl()
    {
        var json = Database("prod");
        var group = json.Single("aws_rds_cluster_parameter_group");
        group.Str("family").ShouldBe("aurora-postgresql16");
        var parameters = group["parameter"]!.AsArray().ToDictionary(p => p.Str("name")!, p => (p.Str("value"), p.Str("apply_method")));
        parameters["rds.force_ssl"].ShouldBe(("1", "immediate"));
        parameters["log_min_duration_statement"].ShouldBe(("1000", "immediate"));
        parameters["log_statement"].ShouldBe(("ddl", "immediate"));
        parameters["shared_preload_libraries"].ShouldBe(("pg_stat_statements,pgaudit", "pending-reboot"));
        // Aurora User Guide, "Setting up the pgAudit extension": pgaudit in shared_preload_libraries, then pgaudit.log.
        parameters["pgaudit.log"].ShouldBe(("write,role,ddl", "immediate"));
        parameters["pgaudit.log_parameter"].ShouldBe(("0", "immediate"));
        (parameters["log_connections"], parameters["log_disconnections"]).ShouldBe((("1", "immediate"), ("1", "immediate")));
        json.Single("aws_rds_cluster").Str("db_cluster_parameter_group_name")!.ShouldContain("aws_rds_cluster_parameter_group.");
    }

    [Fact]
    public void Production_is_protected_against_deletion()
    {
        var json = Database("prod");
        var cluster = json.Single("aws_rds_cluster");
        cluster.Str("deletion_protection").ShouldBe("true");
        cluster.Str("skip_final_snapshot").ShouldBe("false");
        cluster.Str("final_snapshot_identifier").ShouldBe("easypay-prod-final");
        cluster.Str("delete_automated_backups").ShouldBe("false");
        cluster.Str("lifecycle.prevent_destroy").ShouldBe("true");
        cluster.Str("apply_immediately").ShouldBe("false");
        json.Resources("aws_kms_key").ShouldAllBe(k => k.Body.Str("deletion_window_in_days") == "30" && k.Body.Str("lifecycle.prevent_destroy") == "true");
        json.Resources("aws_backup_vault").ShouldAllBe(v => v.Body.Str("force_destroy") == "false" && v.Body.Str("lifecycle.prevent_destroy") == "true");
    }

    [Fact]
    public void Development_destroys_cleanly()
    {
        var json = Database("dev");
        var cluster = json.Single("aws_rds_cluster");
        cluster.Str("deletion_protection").ShouldBe("false");
        cluster.Str("skip_final_snapshot").ShouldBe("true");
        cluster["final_snapshot_identifier"].ShouldBeNull();
        cluster.Str("delete_automated_backups").ShouldBe("true");
        cluster["lifecycle"].ShouldBeNull();
        json.Resources("aws_kms_key").ShouldAllBe(k => k.Body.Str("deletion_window_in_days") == "7" && k.Body["lifecycle"] == null);
        json.Single("aws_backup_vault").Str("force_destroy").ShouldBe("true");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Backups_come_from_config_and_aws_backup_runs_every_3_hours(string env)
    {
        var composed = DatabaseTestInputs.Synth(env);
        var db = composed.Env.Database;
        var cluster = composed.Database.Single("aws_rds_cluster");
        cluster.Str("backup_retention_period").ShouldBe(db.BackupRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cluster.Str("preferred_backup_window").ShouldBe(db.PreferredBackupWindow);
        cluster.Str("preferred_maintenance_window").ShouldBe(db.PreferredMaintenanceWindow);
        cluster.Str("copy_tags_to_snapshot").ShouldBe("true");

        var rule = composed.Database.Single("aws_backup_plan")["rule"]![0]!;
        // Without a copy one rule every 3 h; with one (prod) the copied 00 UTC point is a second rule.
        rule.Str("schedule").ShouldBe(composed.Env.DisasterRecovery is null ? "cron(0 */3 * * ? *)" : "cron(0 3,6,9,12,15,18,21 * * ? *)");
        rule.Str("lifecycle.delete_after").ShouldBe(db.SnapshotRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var selection = composed.Database.Single("aws_backup_selection");
        selection["resources"].Strings().ShouldBe([Ref(composed.Database, "aws_rds_cluster", "arn")]);
        composed.Database.Resources("aws_backup_vault").ShouldAllBe(v => v.Body.Str("kms_key_arn")!.StartsWith("${aws_kms_key.", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_copies_every_second_recovery_point_to_the_disaster_recovery_region()
    {
        var json = Database("prod");
        // The copy's vault, key and alias use provider 6's per-resource region (enhanced region support guide),
        // so the stack keeps its one provider, pinned to the environment's account.
        json["provider"]!["aws"]!.AsArray().ShouldHaveSingleItem()!["allowed_account_ids"].Strings().ShouldBe(["333344445555"]);
        // The copies go to a logically air-gapped vault (AWS Backup developer guide): compliance-locked, AWS-owned key.
        json.AllResources().Where(r => r.Body.Str("region") == "eu-central-1").Select(r => r.Type)
            .ShouldBe(["aws_backup_logically_air_gapped_vault"]);
        var copyVault = json.Single("aws_backup_logically_air_gapped_vault");
        copyVault.Str("name").ShouldBe("easypay-prod-database-dr");
        // Every 3 h locally, once a day also copied: Aurora snapshot copies are always full copies (Aurora user
        // guide, "Copying a DB cluster snapshot"), so each copy transfers and stores the whole database.
        var rules = json.Single("aws_backup_plan")["rule"]!.AsArray();
        rules.Select(r => (r!.Str("rule_name"), r.Str("schedule"), r.Str("copy_action.0.destination_vault_arn"))).ShouldBe(
            [("scheduled", "cron(0 3,6,9,12,15,18,21 * * ? *)", null), ("scheduled-and-copied", "cron(0 0 * * ? *)", $"${{aws_backup_logically_air_gapped_vault.{json.Resources("aws_backup_logically_air_gapped_vault").Single().Name}.arn}}")]);
        rules[1]!.Str("copy_action.0.lifecycle.delete_after").ShouldBe("7");
    }

    [Theory]
    [InlineData("prod", "3", true)]
    [InlineData("staging", null, false)]
    [InlineData("dev", null, false)]
    public void The_vault_is_locked_compliance_in_production_and_governance_elsewhere(string env, string? changeableForDays, bool breakGlassPolicy)
    {
        var json = Database(env);
        json.Single("aws_backup_vault_lock_configuration").Str("changeable_for_days").ShouldBe(changeableForDays);
        json.Resources("aws_backup_vault_policy").Any().ShouldBe(breakGlassPolicy);
        if (breakGlassPolicy)
        {
            json.Single("aws_backup_vault_policy").Str("policy")!.ShouldContain("arn:aws:iam::333344445555:role/easypay-prod-break-glass");
        }
    }

    [Fact]
    public void Without_a_copy_region_nothing_is_placed_in_another_region()
    {
        var json = Database("staging");
        json.AllResources().ShouldAllBe(r => r.Body["region"] == null);
        json.Single("aws_backup_plan").Str("rule.0.copy_action").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Postgres_is_reachable_only_from_the_proxy_and_the_proxy_only_from_the_cluster_nodes(string env)
    {
        var json = Database(env);
        var dbSg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == $"easypay-{env}-database").Name;
        var proxySg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == $"easypay-{env}-iam-rds-proxy").Name;
        var cacheSg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == $"easypay-{env}-cache").Name;
        // The cache's rules are the cache tests' (DatabaseStackCacheTests); every other rule is PostgreSQL's.
        var ingress = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Body)
            .Where(r => r.Str("security_group_id") != $"${{aws_security_group.{cacheSg}.id}}").ToList();

        ingress.ShouldAllBe(r => r.Str("from_port") == "5432" && r.Str("to_port") == "5432" && r.Str("ip_protocol") == "tcp" && !string.IsNullOrEmpty(r.Str("description")));
        ingress.ShouldAllBe(r => r["cidr_ipv4"] == null && r["cidr_ipv6"] == null && r["prefix_list_id"] == null);
        // No pod reaches the cluster itself: every pod shares the node group (VPC CNI), and the proxy is where IAM auth happens.
        ingress.Where(r => r.Str("security_group_id") == $"${{aws_security_group.{dbSg}.id}}").Select(r => r.Str("referenced_security_group_id"))
            .ShouldBe([$"${{aws_security_group.{proxySg}.id}}"]);
        ingress.Where(r => r.Str("security_group_id") == $"${{aws_security_group.{proxySg}.id}}").Select(r => r.Str("referenced_security_group_id"))
            .ShouldBe([UpstreamOutputs.NodeSecurityGroupId]);
        var egress = json.Single("aws_vpc_security_group_egress_rule");
        (egress.Str("security_group_id"), egress.Str("referenced_security_group_id"), egress.Str("from_port"))
            .ShouldBe(($"${{aws_security_group.{proxySg}.id}}", $"${{aws_security_group.{dbSg}.id}}", "5432"));
        json.Resources("aws_security_group").ShouldAllBe(s => s.Body["ingress"] == null && s.Body["egress"] == null);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_application_connects_through_an_rds_proxy_that_requires_tls(string env)
    {
        var composed = DatabaseTestInputs.Synth(env);
        var json = composed.Database;
        var proxy = json.Single("aws_db_proxy");
        proxy.Str("require_tls").ShouldBe("true");
        proxy.Str("idle_client_timeout").ShouldBe("1800");
        proxy.Str("engine_family").ShouldBe("POSTGRESQL");
        // End-to-end IAM (CreateDBProxy DefaultAuthScheme IAM_AUTH | NONE, RDS API reference): no auth entry, no secret.
        proxy.Str("default_auth_scheme").ShouldBe("IAM_AUTH");
        proxy["auth"].ShouldBeNull();
        // RDS Proxy logs to /aws/rds/proxy/NAME: created first, encrypted, with retention (as terraform-aws-modules/rds-proxy).
        proxy.Str("name").ShouldBe($"easypay-{env}-iam");
        var logs = json.Resources("aws_cloudwatch_log_group").Single(g => g.Body.Str("name") == $"/aws/rds/proxy/easypay-{env}-iam");
        logs.Body.Str("kms_key_id").ShouldBe(DatabaseKeyArn(json));
        logs.Body.Str("retention_in_days").ShouldBe(composed.Env.LogRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        proxy["depends_on"].Strings().ShouldContain($"aws_cloudwatch_log_group.{logs.Name}");
        proxy["vpc_subnet_ids"].Strings().Count.ShouldBe(composed.Env.AvailabilityZones.Count);
        var pool = json.Single("aws_db_proxy_default_target_group")["connection_pool_config"]!;
        (pool.Str("connection_borrow_timeout"), pool.Str("max_connections_percent")).ShouldBe(("120", "90"));
        json.Single("aws_db_proxy_target").Str("db_cluster_identifier").ShouldBe($"easypay-{env}");

        var readOnly = json.Resources("aws_db_proxy_endpoint");
        // One reader becomes the writer on a failover (Aurora User Guide, high availability) and a READ_ONLY proxy
        // endpoint with no reader refuses connections: only two readers or more get one.
        if (composed.Env.Database.ReaderCount >= 2)
        {
            readOnly.ShouldHaveSingleItem().Body.Str("target_role").ShouldBe("READ_ONLY");
            composed.Outputs.ProxyReadOnlyEndpoint.ShouldNotBe(composed.Outputs.ProxyEndpoint);
        }
        else
        {
            readOnly.ShouldBeEmpty();
            composed.Outputs.ProxyReadOnlyEndpoint.ShouldBe(composed.Outputs.ProxyEndpoint);
        }
    }

    [Fact]
    public void Only_the_role_creating_function_reads_the_master_secret_and_the_backend_may_only_connect_as_the_app_user()
    {
        var json = Database("prod");
        var policies = json.Resources("aws_iam_role_policy").Select(p => p.Body).ToList();
        var readers = policies.Where(p => p.Str("policy")!.Contains("secretsmanager:GetSecretValue", StringComparison.Ordinal)).ToList();
        var reader = JsonNode.Parse(readers.ShouldHaveSingleItem().Str("policy")!)!;
        reader["Statement"]!.AsArray().Select(s => s.Str("Sid")).ShouldBe(["RunSqlOnThisCluster", "ReadMasterSecret", "DecryptMasterSecret", "WriteOwnLogs"]);
        var functionRole = json.Resources("aws_iam_role").Single(r => r.Body.Str("name") == "easypay-prod-database-app-user").Name;
        readers[0].Str("role").ShouldBe($"${{aws_iam_role.{functionRole}.id}}");

        var backend = policies.Single(p => p.Str("role") == UpstreamOutputs.Cluster(TestEnvironments.Repository("prod")).BackendRoleName
            && p.Str("name") == "easypay-prod-backend-database-connect");
        var statement = JsonNode.Parse(backend.Str("policy")!)!["Statement"]!.AsArray().ShouldHaveSingleItem()!;
        statement.Str("Action").ShouldBe("rds-db:connect");
        statement.Str("Resource")!.ShouldEndWith($"/{PlatformContract.DatabaseUser}");
        statement.Str("Resource")!.ShouldStartWith("arn:aws:rds-db:eu-west-1:333344445555:dbuser:${local.iam-proxy_resource_id");
    }

    /// <summary>An upgrade from password authentication keeps the previous proxy, at the previous resource addresses
    /// and with its previous settings, beside the IAM one: old pods keep connecting until the platform moves them.</summary>
    [Fact]
    public void An_upgrade_keeps_the_previous_password_proxy_beside_the_iam_one_until_the_platform_has_moved()
    {
        var env = TestEnvironments.Repository("prod") with
        {
            Database = TestEnvironments.Repository("prod").Database with { KeepPasswordProxy = true },
        };
        var json = DatabaseTestInputs.Compose(env).Database;
        var proxies = json.Resources("aws_db_proxy").ToDictionary(p => p.Body.Str("name")!, p => (p.Name, p.Body));
        proxies.Keys.ShouldBe(["easypay-prod", "easypay-prod-iam"], ignoreOrder: true);
        // The address and settings of the previous design's proxy (its approved snapshot before issue 12).
        var (address, legacy) = proxies["easypay-prod"];
        address.ShouldBe("proxy_5B0EBCF1");
        legacy["default_auth_scheme"].ShouldBeNull();
        legacy.Str("auth.0.auth_scheme").ShouldBe("SECRETS");
        legacy.Str("auth.0.iam_auth").ShouldBe("DISABLED");
        legacy.Str("auth.0.client_password_auth_type").ShouldBe("POSTGRES_SCRAM_SHA_256");
        legacy.Str("auth.0.secret_arn").ShouldBe(SecretArn(json));
        json.Resources("aws_db_proxy_endpoint").Select(e => e.Body.Str("db_proxy_endpoint_name")).ShouldBe(["easypay-prod-read-only", "easypay-prod-iam-read-only"], ignoreOrder: true);
        json.Resources("aws_vpc_security_group_ingress_rule").Select(r => r.Name).ShouldContain(n => n.StartsWith("aurora_from-proxy_", StringComparison.Ordinal));
        proxies["easypay-prod-iam"].Body.Str("default_auth_scheme").ShouldBe("IAM_AUTH");
        // The old proxy's rule into Aurora keeps its description (no in-place change of the running path).
        json.Resources("aws_vpc_security_group_ingress_rule").Single(r => r.Name.StartsWith("aurora_from-proxy_", StringComparison.Ordinal))
            .Body.Str("description").ShouldBe("PostgreSQL from the RDS Proxy");
        // Two target groups on one cluster share its max_connections: 45 % each while both run (90 % alone).
        json.Resources("aws_db_proxy_default_target_group").Select(t => t.Body["connection_pool_config"]!.Str("max_connections_percent")).ShouldBe(["45", "45"]);

        // The application is pointed at the IAM proxy; the password proxy only serves pods that already know it.
        var iamAddress = proxies["easypay-prod-iam"].Name;
        json.Resources("aws_ssm_parameter").Single(p => p.Body.Str("name") == "/easypay/prod/database/proxy-endpoint").Body.Str("value")
            .ShouldBe($"${{aws_db_proxy.{iamAddress}.endpoint}}");
        Database("prod").Resources("aws_db_proxy").ShouldHaveSingleItem().Body.Str("name").ShouldBe("easypay-prod-iam");
    }

    [Fact]
    public void The_application_user_is_created_through_the_data_api_before_the_proxy_target_registers()
    {
        var json = Database("prod");
        // enable_http_endpoint turns on the Data API; Aurora PostgreSQL 16.1+ supports it on provisioned clusters
        // (Aurora User Guide, "Supported Regions and Aurora DB engines for RDS Data API").
        json.Single("aws_rds_cluster").Str("enable_http_endpoint").ShouldBe("true");
        json.Single("aws_rds_cluster").Str("iam_database_authentication_enabled").ShouldBe("true");
        var function = json.Single("aws_lambda_function");
        function["environment"]!.Str("variables.USER_NAME").ShouldBe(PlatformContract.DatabaseUser);
        function["vpc_config"].ShouldBeNull();
        var invocation = json.Resources("aws_lambda_invocation").ShouldHaveSingleItem();
        json.Single("aws_db_proxy_target")["depends_on"].Strings().ShouldContain($"aws_lambda_invocation.{invocation.Name}");
        invocation.Body["depends_on"].Strings().ShouldAllBe(d => d.StartsWith("aws_rds_cluster_instance.", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Connection_details_are_published_in_ssm_under_the_environment_path(string env)
    {
        string[] expected = ["writer-endpoint", "reader-endpoint", "proxy-endpoint", "proxy-readonly-endpoint", "port", "name", "user", "secret-arn"];
        Database(env).Resources("aws_ssm_parameter").Select(p => p.Body.Str("name")).Where(n => n!.StartsWith($"/easypay/{env}/database/", StringComparison.Ordinal))
            .ShouldBe(expected.Select(n => $"/easypay/{env}/database/{n}"), ignoreOrder: true);
    }

    [Fact]
    public void Logs_performance_insights_and_monitoring_are_on_and_encrypted()
    {
        var json = Database("prod");
        json.Single("aws_rds_cluster")["enabled_cloudwatch_logs_exports"].Strings().ShouldBe(["postgresql"]);
        var logs = json.Resources("aws_cloudwatch_log_group").Select(g => g.Body)
            .Where(g => !g.Str("name")!.StartsWith("/aws/vendedlogs/elasticache/", StringComparison.Ordinal)).ToList(); // the cache's own key: DatabaseStackCacheTests
        // Every group RDS writes to exists first under the database key: the exported PostgreSQL log, the proxy's,
        // and the region's enhanced monitoring group RDSOSMetrics (RDS would create it unencrypted, 30 days); and
        // the group of the function that creates the application's database user (Lambda would create it too).
        logs.Select(g => g.Str("name")).ShouldBe(["/aws/rds/cluster/easypay-prod/postgresql", "/aws/rds/proxy/easypay-prod-iam", "RDSOSMetrics",
            "/aws/lambda/easypay-prod-database-app-user"], ignoreOrder: true);
        logs.ShouldAllBe(g => g.Str("retention_in_days") == "365" && g.Str("kms_key_id") == DatabaseKeyArn(json));
        var monitoringLog = json.Resources("aws_cloudwatch_log_group").Single(g => g.Body.Str("name") == "RDSOSMetrics").Name;
        json.Resources("aws_rds_cluster_instance").ShouldAllBe(i => i.Body["depends_on"].Strings().Contains($"aws_cloudwatch_log_group.{monitoringLog}"));
        var key = DatabaseKeyArn(json);
        var role = Ref(json, "aws_iam_role", "arn", r => r.Str("name") == "easypay-prod-rds-monitoring");
        // A month: RDS accepts 7, 31 x months up to 713, or 731 days (RDS API, PerformanceInsightsRetentionPeriod).
        const string retention = "31";
        var instances = json.Resources("aws_rds_cluster_instance").Select(i => i.Body).ToList();
        instances.ShouldAllBe(i => i.Str("performance_insights_enabled") == "true"
            && i.Str("performance_insights_kms_key_id") == key
            && i.Str("performance_insights_retention_period") == retention
            && i.Str("monitoring_interval") == "15"
            && i.Str("monitoring_role_arn") == role);
        json.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn"))
            .ShouldContain("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        Database("dev").Resources("aws_rds_cluster_instance").ShouldAllBe(i => i.Body.Str("performance_insights_retention_period") == "7" && i.Body.Str("monitoring_interval") == "60");
    }

    [Fact]
    public void The_outputs_carry_synth_time_values_and_tokens_for_the_rest()
    {
        var outputs = DatabaseTestInputs.Synth("prod").Outputs;
        outputs.ClusterIdentifier.ShouldBe("easypay-prod");
        outputs.Port.ShouldBe(AuroraPostgresCluster.Port);
        outputs.DatabaseName.ShouldBe("easypay");
        outputs.MaxConnections.ShouldBe(AuroraInstanceClass.Parse("db.r6g.xlarge").DefaultMaxConnections);
        outputs.InstanceIdentifiers.ShouldBe(["easypay-prod-1", "easypay-prod-2", "easypay-prod-3"]);
        foreach (var token in new[] { outputs.WriterEndpoint, outputs.ReaderEndpoint, outputs.ProxyEndpoint, outputs.ProxyReadOnlyEndpoint, outputs.SecretArn, outputs.KmsKeyArn, outputs.SecurityGroupId })
        {
            HashiCorp.Cdktf.Token.IsUnresolved(token).ShouldBeTrue();
        }
    }

    [Fact]
    public void The_network_is_read_through_typed_outputs_of_the_network_stack()
    {
        var composed = DatabaseTestInputs.Synth("prod");
        var lookup = composed.Database.DataSources("terraform_remote_state").ShouldHaveSingleItem();
        lookup.Body.Str("config.workspaces.name").ShouldBe("easypay-prod-network");
        composed.Database.Single("aws_db_subnet_group")["subnet_ids"].Strings().ShouldAllBe(s => s.StartsWith("${data.terraform_remote_state.", StringComparison.Ordinal));
        composed.Network["output"]!.AsObject().Count.ShouldBe(4); // the VPC id and the three data subnet ids
        composed.Database["terraform"]!["cloud"]!["workspaces"]!["name"]!.ToString().ShouldBe("easypay-prod-database");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_runbook_table_matches_the_environment_files(string env)
    {
        var config = TestEnvironments.Repository(env);
        var db = config.Database;
        var row = string.Join(" | ",
            env, config.AvailabilityZones.Count, db.ReaderCount, db.InstanceClass, db.BackupRetentionDays, db.SnapshotRetentionDays,
            config.DisasterRecovery?.Region ?? "none", config.Production ? "on" : "off");
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "runbook-database.md"))
            .ShouldContain($"| {row} |", $"docs/runbook-database.md: update the row of {env} in \"Configured values\" (and the scenarios derived from it)");
    }
}
