using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Cluster;

public class ClusterAddonTests
{
    [Fact]
    public void An_addon_is_pinned_overwrites_drift_and_may_run_as_its_irsa_role()
    {
        var addon = ConstructSynth.Stack((stack, _) => new ClusterAddon(stack, "ebs", new ClusterAddonProps("easypay-test", "aws-ebs-csi-driver", "v1.45.0-eksbuild.2")
        {
            ServiceAccountRoleArn = "arn:aws:iam::123456789012:role/easypay-test-ebs-csi-driver",
        })).Single("aws_eks_addon");
        (addon.Str("addon_name"), addon.Str("addon_version")).ShouldBe(("aws-ebs-csi-driver", "v1.45.0-eksbuild.2"));
        addon.Str("service_account_role_arn").ShouldBe("arn:aws:iam::123456789012:role/easypay-test-ebs-csi-driver");
        (addon.Str("resolve_conflicts_on_create"), addon.Str("resolve_conflicts_on_update")).ShouldBe(("OVERWRITE", "OVERWRITE"));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("1.45.0")]
    [InlineData("v1.45.0")]
    public void An_unpinned_version_is_rejected(string version)
    {
        Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new ClusterAddon(stack, "x", new ClusterAddonProps("easypay-test", "coredns", version))))
            .Message.ShouldContain($"ClusterAddonProps.Version: '{version}' is not a pinned add-on version");
    }
}
