using EasyPay.Tf.Tests.Charts;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The README's "deployments &lt; 5 min": a crashing rollout must be failed and rolled back within it.</summary>
public class DeployTimeTests
{
    private const int DeploymentTargetSeconds = 300;

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void A_stuck_rollout_is_reported_before_the_release_times_out_and_both_fit_the_deployment_target(string env)
    {
        var release = SynthesizedApp.Repository.Stack($"{env}-platform").Resources("helm_release").Single(r => r.Body.Str("name") == "easypay").Body;
        var timeout = int.Parse(release.Str("timeout")!, System.Globalization.CultureInfo.InvariantCulture);
        // helm --atomic: on failure after --timeout the release is rolled back (helm upgrade docs); the old
        // ReplicaSet still serves (maxUnavailable 0), so the rollback is a scale-down, not a second rollout.
        timeout.ShouldBeLessThan(DeploymentTargetSeconds);
        release.Str("atomic").ShouldBe("true");
    }

    [ToolTheory(Tool.Helm)]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_deployment_fails_its_rollout_before_helm_gives_up(string environment)
    {
        var timeout = int.Parse(SynthesizedApp.Repository.Stack($"{environment}-platform").Resources("helm_release")
            .Single(r => r.Body.Str("name") == "easypay").Body.Str("timeout")!, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var deployment in EasypayChart.Render(environment).OfKind("Deployment"))
        {
            // Kubernetes Deployment docs: progressDeadlineSeconds (default 600) marks the rollout failed
            // (Progressing=False, ProgressDeadlineExceeded); it must come before helm's own timeout.
            var deadline = int.Parse(deployment.Text("spec.progressDeadlineSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
            deadline.ShouldBeLessThan(timeout, deployment.Name);
        }
    }
}
