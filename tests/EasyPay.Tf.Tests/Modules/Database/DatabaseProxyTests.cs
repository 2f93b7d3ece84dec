using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Database;

public class DatabaseProxyTests
{
    private static readonly string[] Subnets = ["subnet-a", "subnet-b"];
    private static readonly string[] Users = ["easypay_app"];

    private static JsonObject Synth(Func<AuroraPostgresCluster, DatabaseProxyProps> props, Action<DatabaseProxy>? use = null) =>
        ConstructSynth.Stack((stack, _) =>
        {
            var cluster = new AuroraPostgresCluster(stack, "db", AuroraPostgresClusterTests.Props(1));
            var proxy = new DatabaseProxy(stack, "proxy", props(cluster));
            use?.Invoke(proxy);
        });

    [Fact]
    public void The_proxy_reaches_the_database_and_admits_only_allowed_clients()
    {
        var json = Synth(c => new DatabaseProxyProps("easypay-test", c, Subnets, Users), p => p.AllowClientsFrom("from-app", new SecurityGroupId("sg-0app"), "PostgreSQL from the app"));
        var proxySg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == "easypay-test-rds-proxy").Name;
        var dbSg = json.Resources("aws_security_group").Single(s => s.Body.Str("name") == "easypay-test-database").Name;
        var ingress = json.Resources("aws_vpc_security_group_ingress_rule").Select(r => (r.Body.Str("security_group_id"), r.Body.Str("referenced_security_group_id"))).ToList();
        ingress.ShouldBe(
            [($"${{aws_security_group.{dbSg}.id}}", $"${{aws_security_group.{proxySg}.id}}"), ($"${{aws_security_group.{proxySg}.id}}", "sg-0app")],
            ignoreOrder: true);
        json.Single("aws_vpc_security_group_egress_rule").Str("referenced_security_group_id").ShouldBe($"${{aws_security_group.{dbSg}.id}}");
        // The target waits for the instances: registering a cluster without members fails.
        json.Single("aws_db_proxy_target")["depends_on"].Strings().ShouldAllBe(d => d.StartsWith("aws_rds_cluster_instance.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_proxy_role_is_trusted_by_rds_of_this_account_only()
    {
        var json = Synth(c => new DatabaseProxyProps("easypay-test", c, Subnets, Users));
        var trust = JsonNode.Parse(json.Resources("aws_iam_role").Single(r => r.Body.Str("name") == "easypay-test-rds-proxy").Body.Str("assume_role_policy")!)!;
        trust.Str("Statement.0.Principal.Service").ShouldBe("rds.amazonaws.com");
        trust.Str("Statement.0.Condition.StringEquals.aws:SourceAccount").ShouldBe(ConstructSynth.AccountId);
    }

    [Fact]
    public void The_read_only_endpoint_can_be_left_out()
    {
        DatabaseProxy? proxy = null;
        var json = Synth(c => new DatabaseProxyProps("easypay-test", c, Subnets, Users) { ReadOnlyEndpoint = false }, p => proxy = p);
        json.Resources("aws_db_proxy_endpoint").ShouldBeEmpty();
        proxy!.ReadOnlyEndpoint.ShouldBeNull();
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(c => new DatabaseProxyProps("-proxy", c, ["subnet-a"], ["easypay_admin", "App-User"])
        {
            IdleClientTimeoutSeconds = 0,
            ConnectionBorrowTimeoutSeconds = 4000,
            MaxConnectionsPercent = 101,
        })).Message;
        message.ShouldContain("DatabaseProxyProps.Name: '-proxy' is not a proxy name");
        message.ShouldContain("DatabaseProxyProps.SubnetIds: RDS Proxy needs subnets in at least 2 AZs");
        message.ShouldContain("DatabaseProxyProps.IdleClientTimeoutSeconds: 0 is outside 1-28800 seconds");
        message.ShouldContain("DatabaseProxyProps.ConnectionBorrowTimeoutSeconds: 4000 is outside 1-3600 seconds");
        message.ShouldContain("DatabaseProxyProps.MaxConnectionsPercent: 101 is outside 1-100 percent");
        message.ShouldContain("DatabaseProxyProps.DatabaseUsers: [easypay_admin, App-User] must be PostgreSQL role names");
        message.ShouldContain("DatabaseProxyProps.DatabaseUsers: names the master user");
    }

    [Fact]
    public void Clients_and_the_proxy_authenticate_with_iam_end_to_end_and_no_secret_is_read()
    {
        var json = Synth(c => new DatabaseProxyProps("easypay-test", c, Subnets, Users),
            p => p.GrantConnect("app-connect", new IamRoleName("easypay-test-backend"), "easypay_app", "easypay-test-backend-connect"));
        var proxy = json.Single("aws_db_proxy");
        // CreateDBProxy DefaultAuthScheme: IAM_AUTH | NONE (RDS API reference); IAM_AUTH = end-to-end IAM authentication.
        proxy.Str("default_auth_scheme").ShouldBe("IAM_AUTH");
        proxy.Str("require_tls").ShouldBe("true");
        proxy["auth"].ShouldBeNull();
        json.ToJsonString().ShouldNotContain("secretsmanager:GetSecretValue");

        // The proxy's role connects to the cluster's users (dbuser:cluster-ID/USER; RDS User Guide, "Configuring IAM
        // authentication for RDS Proxy", end-to-end IAM).
        var clusterName = json.Resources("aws_rds_cluster").Single().Name;
        var roleName = json.Resources("aws_iam_role").Single(r => r.Body.Str("name") == "easypay-test-rds-proxy").Name;
        var policies = json.Resources("aws_iam_role_policy").Select(p => p.Body).ToList();
        var proxyPolicy = JsonNode.Parse(policies.Single(p => p.Str("role") == $"${{aws_iam_role.{roleName}.id}}").Str("policy")!)!;
        proxyPolicy.Str("Statement.0.Action").ShouldBe("rds-db:connect");
        proxyPolicy.Str("Statement.0.Resource").ShouldBe($"arn:aws:rds-db:eu-west-1:{ConstructSynth.AccountId}:dbuser:${{aws_rds_cluster.{clusterName}.cluster_resource_id}}/easypay_app");

        // Clients connect to the proxy's users (dbuser:prx-ID/USER, the last part of the proxy ARN).
        var proxyName = json.Resources("aws_db_proxy").Single().Name;
        var client = JsonNode.Parse(policies.Single(p => p.Str("role") == "easypay-test-backend").Str("policy")!)!;
        client.Str("Statement.0.Action").ShouldBe("rds-db:connect");
        var local = json["locals"]!.AsObject().Single(l => l.Key.StartsWith("proxy_resource_id", StringComparison.Ordinal));
        local.Value!.ToString().ShouldBe($"${{element(split(\":\", aws_db_proxy.{proxyName}.arn), 6)}}");
        client.Str("Statement.0.Resource").ShouldBe($"arn:aws:rds-db:eu-west-1:{ConstructSynth.AccountId}:dbuser:${{local.{local.Key}}}/easypay_app");
    }

    [Fact]
    public void Grants_name_a_user_of_the_proxy()
    {
        var message = Should.Throw<ArgumentException>(() => Synth(c => new DatabaseProxyProps("easypay-test", c, Subnets, Users),
            p => p.GrantConnect("x", new IamRoleName("r"), "someone_else", "p"))).Message;
        message.ShouldContain("'someone_else' is not one of the proxy's database users (easypay_app)");
    }
}
