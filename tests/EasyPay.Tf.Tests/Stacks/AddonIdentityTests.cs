using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The cluster stack's IRSA roles and the platform stack's releases come from the same add-on records:
/// each role must trust exactly the service account its chart is installed with.</summary>
public class AddonIdentityTests
{
    /// <summary>Where each chart takes its service account's name (values.yaml at the pinned version):
    /// aws-load-balancer-controller 1.13.4 serviceAccount.name; cluster-autoscaler 9.46.6
    /// rbac.serviceAccount.name; velero 10.0.10 serviceAccount.server.name.</summary>
    public static TheoryData<string, string> ServiceAccountValuePaths() => new()
    {
        { "aws-load-balancer-controller", "serviceAccount" },
        { "cluster-autoscaler", "rbac.serviceAccount" },
        { "velero", "serviceAccount.server" },
    };

    [Theory]
    [MemberData(nameof(ServiceAccountValuePaths))]
    public void Each_add_on_role_trusts_the_service_account_its_release_creates_and_annotates(string addon, string path)
    {
        HelmAddons.WithIamRole.Select(a => a.Name).ShouldContain(addon);
        var app = SynthesizedApp.Repository;
        var role = app.Stack("prod-cluster").Resources("aws_iam_role").Single(r => r.Body.Str("name") == $"easypay-prod-{addon}");
        var subject = JsonNode.Parse(role.Body.Str("assume_role_policy")!)!["Statement"]![0]!["Condition"]!["StringEquals"]!.AsObject()
            .Single(kv => kv.Key.EndsWith(":sub", StringComparison.Ordinal)).Value!.ToString();

        var release = app.Stack("prod-platform").Resources("helm_release").Single(r => r.Body.Str("name") == addon).Body;
        var values = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<object, object?>>(release["values"]![0]!.ToString());
        object? account = values;
        foreach (var part in path.Split('.'))
        {
            account = ((Dictionary<object, object?>)account!)[part];
        }
        var map = (Dictionary<object, object?>)account!;
        subject.ShouldBe($"system:serviceaccount:{release.Str("namespace")}:{map["name"]}");
        // The role's ARN reaches the platform stack through a remote-state lookup of the cluster stack.
        ((Dictionary<object, object?>)map["annotations"]!)["eks.amazonaws.com/role-arn"]!.ToString()!.ShouldContain("data.terraform_remote_state.cross-stack-reference-input-prod-cluster");
    }
}
