using System.Globalization;
using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Issue 11 item 4: cluster credentials cannot expire mid-apply. Local deploys use exec credentials
/// (refreshed whenever needed); Terraform Cloud runs on the agent use a plan-time token, so the longest chain of
/// waits in the platform stack must fit in its life, and no plan may wait for a confirmation.</summary>
public class ClusterCredentialTests
{
    private static JsonObject Platform(string env) => SynthesizedApp.Repository.Stack($"{env}-platform");

    [Fact]
    public void Local_deploys_authenticate_with_aws_eks_get_token_on_every_connection()
    {
        var dev = Platform("dev");
        dev.DataSources("aws_eks_cluster_auth").ShouldBeEmpty();
        var kubernetes = dev["provider"]!["kubernetes"]![0]!;
        var helm = dev["provider"]!["helm"]![0]!["kubernetes"]!;
        foreach (var exec in new[] { kubernetes["exec"]!, helm["exec"]! })
        {
            var e = exec is JsonArray a ? a[0]! : exec;
            // AWS CLI: `aws eks get-token` prints an ExecCredential of client.authentication.k8s.io/v1beta1.
            e.Str("api_version").ShouldBe("client.authentication.k8s.io/v1beta1");
            e.Str("command").ShouldBe("aws");
            e["args"].Strings().ShouldBe(["eks", "get-token", "--cluster-name", "${data.terraform_remote_state.cross-stack-reference-input-dev-cluster.outputs.cross-stack-output-aws_eks_clustereks_cluster_55B0C966name}", "--region", "eu-west-1", "--output", "json"]);
        }
        kubernetes["token"].ShouldBeNull();
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void On_the_agent_the_longest_chain_of_waits_fits_in_one_tokens_life_with_room_for_provider_start_up(string env)
    {
        var stack = Platform(env);
        // Terraform ephemeral resources (1.10+): opened in each run phase, never written to the plan or state, so the
        // apply gets a token of its own; AWS provider 6.x has ephemeral aws_eks_cluster_auth.
        stack.DataSources("aws_eks_cluster_auth").ShouldBeEmpty();
        var ephemeral = stack["ephemeral"]!["aws_eks_cluster_auth"]![ClusterConnection.EphemeralTokenName]!;
        ephemeral.Str("name")!.ShouldStartWith("${data.terraform_remote_state.");
        stack["provider"]!["kubernetes"]![0]!.Str("token").ShouldBe($"${{ephemeral.aws_eks_cluster_auth.{ClusterConnection.EphemeralTokenName}.token}}");
        stack["provider"]!["helm"]![0]!.Str("kubernetes.token").ShouldBe($"${{ephemeral.aws_eks_cluster_auth.{ClusterConnection.EphemeralTokenName}.token}}");
        // Each helm_release waits up to its timeout (helm --timeout); a kubernetes_job_v1 with
        // wait_for_completion up to its create timeout; namespaces return at once.
        var waits = new Dictionary<string, (int Seconds, IReadOnlyList<string> After)>();
        foreach (var (type, name, body) in stack.AllResources())
        {
            var seconds = type switch
            {
                "helm_release" => int.Parse(body.Str("timeout")!, CultureInfo.InvariantCulture),
                "kubernetes_job_v1" => int.Parse(body.Str("timeouts.create")!.TrimEnd('s'), CultureInfo.InvariantCulture),
                _ => 0,
            };
            waits[$"{type}.{name}"] = (seconds, body["depends_on"].Strings());
        }
        var memo = new Dictionary<string, int>();
        int Longest(string address) => memo.TryGetValue(address, out var v) ? v
            : memo[address] = waits[address].Seconds + waits[address].After.Where(waits.ContainsKey).Select(Longest).DefaultIfEmpty(0).Max();
        var longest = waits.Keys.Max(Longest);
        // The calico release, its API's wait Job and the app: 180 + (180 + 60) + 270.
        longest.ShouldBe(690);
        (longest + ClusterConnection.ApplyStartupAllowanceSeconds).ShouldBeLessThanOrEqualTo(ClusterConnection.TokenLifetimeSeconds);
    }
}
