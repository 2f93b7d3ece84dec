using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Configuration;

/// <summary>application.paymentProviders, the backend's only egress outside the VPC: every bad entry is one line
/// naming the file, the field and the fix.</summary>
public class PaymentProviderValidationTests
{
    private static IReadOnlyList<string> ProblemsOf(Action<EnvironmentFiles> edit)
    {
        using var files = new EnvironmentFiles();
        edit(files);
        return files.Problems();
    }

    private static string ProblemOf(string env, Action<JsonObject> edit)
    {
        var problems = ProblemsOf(f => f.Edit(env, edit));
        problems.Count.ShouldBe(1, string.Join(Environment.NewLine, problems));
        return problems[0];
    }

    private static JsonObject Provider(JsonObject env, int index) => env["application"]!["paymentProviders"]![index]!.AsObject();

    /// <summary>Edits every environment the same way, so the cross-environment rule stays quiet.</summary>
    private static IReadOnlyList<string> EverywhereProblems(Action<JsonObject> edit) =>
        ProblemsOf(f => f.Edit("dev", edit).Edit("staging", edit).Edit("prod", edit));

    [Fact]
    public void The_repository_lists_the_same_providers_on_the_same_ports_in_every_environment()
    {
        var envs = new[] { "dev", "staging", "prod" }.Select(TestEnvironments.Repository).ToList();
        var shapes = envs.Select(e => string.Join(";", e.Application.PaymentProviders.Select(p => $"{p.Name}:{string.Join(",", p.Ports)}"))).ToList();
        shapes.Distinct().ShouldHaveSingleItem();
        envs[0].Application.PaymentProviders.ShouldNotBeEmpty();
        // The examples are RFC 5737 documentation ranges, never someone's real addresses.
        string[] documentation = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];
        envs.SelectMany(e => e.Application.PaymentProviders).SelectMany(p => p.Cidrs)
            .ShouldAllBe(c => documentation.Any(d => EasyPay.Tf.Modules.Core.Ipv4Cidr.Parse(d).Contains(EasyPay.Tf.Modules.Core.Ipv4Cidr.Parse(c))));
        // Sandbox outside production, live in production: the addresses differ.
        string.Join(",", envs.Single(e => e.Production).Application.PaymentProviders.SelectMany(p => p.Cidrs))
            .ShouldNotBe(string.Join(",", envs.First(e => !e.Production).Application.PaymentProviders.SelectMany(p => p.Cidrs)));
    }

    [Theory]
    [InlineData("203.0.113.0", "'203.0.113.0' is not a CIDR block: expected a.b.c.d/nn")]
    [InlineData("203.0.113.0/33", "malformed prefix length")]
    [InlineData("203.0.113.1/24", "has host bits set: the network address for /24 is 203.0.113.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0 is the whole internet: list the ranges the provider publishes for its API")]
    [InlineData("52.0.0.0/8", "52.0.0.0/8 is a /8, broader than /16: list the provider's published ranges")]
    [InlineData("203.0.0.0/15", "203.0.0.0/15 is a /15, broader than /16")]
    [InlineData("10.30.224.0/21", "10.30.224.0/21 overlaps 10.0.0.0/8, private (RFC 1918)")]
    [InlineData("172.20.0.0/16", "172.20.0.0/16 overlaps 172.16.0.0/12, private (RFC 1918)")]
    [InlineData("192.168.1.0/24", "overlaps 192.168.0.0/16, private (RFC 1918)")]
    [InlineData("169.254.169.254/32", "overlaps 169.254.0.0/16, link-local: it holds the instance metadata service")]
    [InlineData("100.64.0.0/16", "overlaps 100.64.0.0/10, shared address space (RFC 6598)")]
    [InlineData("127.0.0.1/32", "overlaps 127.0.0.0/8, loopback")]
    [InlineData("224.0.0.0/16", "overlaps 224.0.0.0/4, multicast")]
    [InlineData("255.255.255.255/32", "overlaps 240.0.0.0/4, reserved")]
    public void A_provider_range_that_is_malformed_too_broad_or_not_public_is_rejected(string cidr, string reason)
    {
        var problem = ProblemOf("prod", j => Provider(j, 0)["cidrs"] = new JsonArray(cidr));
        problem.ShouldStartWith("environments/prod.json: application.paymentProviders[0].cidrs[0]:");
        problem.ShouldContain(reason);
    }

    [Fact]
    public void A_slash_16_is_the_broadest_range_allowed()
    {
        EnvironmentRules.BroadestProviderPrefix.ShouldBe(16);
        using var files = new EnvironmentFiles();
        files.Edit("prod", j => Provider(j, 0)["cidrs"] = new JsonArray("81.2.0.0/16")).Load().ShouldNotBeEmpty();
    }

    [Fact]
    public void Overlapping_ranges_of_one_provider_are_rejected()
    {
        ProblemOf("dev", j => Provider(j, 0)["cidrs"] = new JsonArray("192.0.2.0/26", "192.0.2.32/27"))
            .ShouldBe("environments/dev.json: application.paymentProviders[0].cidrs[1]: 192.0.2.32/27 overlaps cidrs[0] (192.0.2.0/26) of the same provider; list each range once");
    }

    [Fact]
    public void Duplicate_ranges_and_ports_are_rejected_by_the_schema()
    {
        ProblemOf("dev", j => Provider(j, 0)["cidrs"] = new JsonArray("192.0.2.0/26", "192.0.2.0/26"))
            .ShouldBe("environments/dev.json: application.paymentProviders[0].cidrs: \"192.0.2.0/26\" appears more than once");
        var ports = EverywhereProblems(j => Provider(j, 0)["ports"] = new JsonArray(443, 443));
        ports.ShouldBe(new[] { "dev", "prod", "staging" }.Select(e => $"environments/{e}.json: application.paymentProviders[0].ports: 443 appears more than once"), ignoreOrder: true);
    }

    [Theory]
    [InlineData(0, "0 is below the minimum 1")]
    [InlineData(65536, "65536 is above the maximum 65535")]
    public void A_port_out_of_range_is_rejected(int port, string reason)
    {
        var problems = EverywhereProblems(j => Provider(j, 0)["ports"] = new JsonArray(port));
        problems.ShouldContain($"environments/prod.json: application.paymentProviders[0].ports[0]: {reason}");
        problems.Count.ShouldBe(3, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_provider_without_name_ranges_or_ports_is_rejected()
    {
        var problems = EverywhereProblems(j => j["application"]!["paymentProviders"]!.AsArray().Add(new JsonObject { ["cidrs"] = new JsonArray(), ["ports"] = new JsonArray() }));
        problems.ShouldContain("environments/prod.json: application.paymentProviders[2].name: is required but missing");
        problems.ShouldContain("environments/prod.json: application.paymentProviders[2].cidrs: has 0 item(s); at least 1 required");
        problems.ShouldContain("environments/prod.json: application.paymentProviders[2].ports: has 0 item(s); at least 1 required");
    }

    [Fact]
    public void A_malformed_name_is_rejected()
    {
        var problems = EverywhereProblems(j => Provider(j, 1)["name"] = "Wallet Gateway");
        problems.ShouldContain(p => p.StartsWith("environments/prod.json: application.paymentProviders[1].name: \"Wallet Gateway\" does not match the pattern", StringComparison.Ordinal));
        problems.Count.ShouldBe(3, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Two_entries_with_one_name_are_rejected()
    {
        var problems = EverywhereProblems(j => Provider(j, 1)["name"] = "card-acquirer");
        problems.ShouldContain("environments/prod.json: application.paymentProviders[1].name: \"card-acquirer\" is also the name of paymentProviders[0]; give each provider one entry (all its ranges and ports together)");
        problems.Count.ShouldBe(3, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_paymentProviders_field_is_required()
    {
        ProblemOf("staging", j => j["application"]!.AsObject().Remove("paymentProviders"))
            .ShouldBe("environments/staging.json: application.paymentProviders: is required but missing");
    }

    [Fact]
    public void An_unknown_provider_key_is_rejected_with_a_suggestion()
    {
        ProblemOf("dev", j => Provider(j, 0).Add("port", 443))
            .ShouldBe("environments/dev.json: application.paymentProviders[0].port: unknown key (did you mean \"ports\"?); allowed here: name, description, cidrs, ports");
    }

    [Fact]
    public void A_provider_only_one_environment_lists_is_rejected()
    {
        ProblemOf("staging", j => j["application"]!["paymentProviders"]!.AsArray().RemoveAt(1))
            .ShouldBe("environments/staging.json: application.paymentProviders: lists [card-acquirer on 443] but environments/dev.json lists [card-acquirer on 443, wallet-gateway on 443/8443]; every environment calls the same providers on the same ports (sandbox endpoints outside production), so dev shows what prod will do: add or remove the provider in every file");
    }

    [Fact]
    public void Different_ports_in_one_environment_are_rejected()
    {
        ProblemOf("prod", j => Provider(j, 1)["ports"] = new JsonArray(443))
            .ShouldStartWith("environments/prod.json: application.paymentProviders: lists [card-acquirer on 443, wallet-gateway on 443] but environments/dev.json lists [card-acquirer on 443, wallet-gateway on 443/8443]");
    }

    [Fact]
    public void Different_addresses_per_environment_are_allowed()
    {
        using var files = new EnvironmentFiles();
        files.Edit("staging", j => Provider(j, 0)["cidrs"] = new JsonArray("198.51.100.128/25")).Load().Count.ShouldBe(3);
    }
}
