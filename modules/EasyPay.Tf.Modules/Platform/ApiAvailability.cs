using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Kubernetes.JobV1;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Props of <see cref="ApiAvailability"/>.</summary>
/// <param name="Name">Name of the Job; put the serving component's version in it so an upgrade of that
/// component checks again (a completed Job is not re-run while its name stays).</param>
/// <param name="GroupVersion">The API group/version to wait for, e.g. projectcalico.org/v3.</param>
/// <param name="Image">A pinned image with sh and curl, running as a non-root user.</param>
public sealed record ApiAvailabilityProps(string Name, string GroupVersion, string Image)
{
    /// <summary>Namespace of the Job: one without NetworkPolicies, so the pod reaches the API server. @default kube-system</summary>
    public string Namespace { get; init; } = "kube-system";

    /// <summary>How long the API may take to appear before the apply fails (the Job's active deadline; the
    /// Terraform create timeout is a minute longer). The operator rolls calico-apiserver out within a few minutes of its own start; every minute here counts against the 15-minute EKS token of the apply. @default 300</summary>
    public int TimeoutSeconds { get; init; } = 300;

    /// <summary>UID of the image's unprivileged user. @default 100 (curl_user of curlimages/curl)</summary>
    public int RunAsUser { get; init; } = 100;

    /// <summary>What installs the component that serves the API (its helm release).</summary>
    public IReadOnlyList<ITerraformDependable> DependsOn { get; init; } = [];
}

/// <summary>Blocks the apply until an aggregated API is served: a Job polls the API server's discovery document
/// of the group/version (readable by every authenticated identity through system:discovery) until it answers
/// 200, and Terraform waits for the Job to complete. helm's wait cannot do this: it considers custom resources
/// ready at once, and the operator that registers the APIService does so only after its own rollout. Resources
/// that create objects of the API depend on <see cref="Resource"/>.</summary>
public sealed partial class ApiAvailability : Construct
{
    public ITerraformDependable Resource { get; }

    public ApiAvailability(Construct scope, string id, ApiAvailabilityProps props, KubernetesProvider kubernetes) : base(scope, id)
    {
        new PropsValidator(nameof(ApiAvailabilityProps))
            .Check(JobName().IsMatch(props.Name ?? ""), nameof(props.Name), $"'{props.Name}' is not a Job name (lower-case letters, digits, '-', at most 63)")
            .Check(GroupVersionPattern().IsMatch(props.GroupVersion ?? ""), nameof(props.GroupVersion), $"'{props.GroupVersion}' is not an API group/version such as projectcalico.org/v3")
            .Check(Regex.IsMatch(props.Image ?? "", "^[^:@]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$") && !(props.Image ?? "").EndsWith(":latest", StringComparison.Ordinal),
                nameof(props.Image), $"'{props.Image}' is not a pinned image (repository:tag or repository@sha256:...)")
            .Check(props.TimeoutSeconds is >= 30 and <= 1800, nameof(props.TimeoutSeconds), $"{props.TimeoutSeconds} must be 30-1800 seconds")
            .ThrowIfInvalid();

        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "api-availability",
            ["app.kubernetes.io/instance"] = props.Name!,
            ["app.kubernetes.io/managed-by"] = "terraform",
        };
        var job = new JobV1(this, "job", new JobV1Config
        {
            Provider = kubernetes,
            Metadata = new JobV1Metadata { Name = props.Name, Namespace = props.Namespace, Labels = labels },
            Spec = new JobV1Spec
            {
                ActiveDeadlineSeconds = props.TimeoutSeconds,
                BackoffLimit = 2, // a pod lost with its node is retried; the loop itself never exits non-zero
                Template = new JobV1SpecTemplate
                {
                    Metadata = new JobV1SpecTemplateMetadata { Labels = labels },
                    Spec = new JobV1SpecTemplateSpec
                    {
                        RestartPolicy = "Never",
                        // The token authenticates the discovery request; the namespace's default service
                        // account has no RBAC beyond what every authenticated identity has.
                        AutomountServiceAccountToken = true,
                        EnableServiceLinks = false,
                        SecurityContext = new JobV1SpecTemplateSpecSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = props.RunAsUser.ToString(CultureInfo.InvariantCulture),
                            SeccompProfile = new JobV1SpecTemplateSpecSecurityContextSeccompProfile { Type = "RuntimeDefault" },
                        },
                        Container = new[]
                        {
                            new JobV1SpecTemplateSpecContainer
                            {
                                Name = "wait",
                                Image = props.Image,
                                Command = ["/bin/sh", "-c", Script],
                                Env = new[] { new JobV1SpecTemplateSpecContainerEnv { Name = "GROUP_VERSION", Value = props.GroupVersion } },
                                SecurityContext = new JobV1SpecTemplateSpecContainerSecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new JobV1SpecTemplateSpecContainerSecurityContextCapabilities { Drop = ["ALL"] },
                                },
                                Resources = new JobV1SpecTemplateSpecContainerResources
                                {
                                    Requests = new Dictionary<string, string> { ["cpu"] = "10m", ["memory"] = "16Mi" },
                                    Limits = new Dictionary<string, string> { ["memory"] = "32Mi" },
                                },
                            },
                        },
                    },
                },
            },
            WaitForCompletion = true,
            Timeouts = new JobV1Timeouts
            {
                Create = $"{props.TimeoutSeconds + 60}s",
                Update = $"{props.TimeoutSeconds + 60}s",
            },
            DependsOn = props.DependsOn.Count > 0 ? [.. props.DependsOn] : null,
        });
        Resource = job;
    }

    /// <summary>Polls /apis/GROUP_VERSION every 5 s; the API server answers 503 until the APIService is Available.</summary>
    public const string Script =
        "sa=/var/run/secrets/kubernetes.io/serviceaccount; " +
        "until curl -sSf -o /dev/null --max-time 5 --cacert $sa/ca.crt -H \"Authorization: Bearer $(cat $sa/token)\" " +
        "\"https://kubernetes.default.svc/apis/$GROUP_VERSION\"; do echo \"waiting for $GROUP_VERSION\"; sleep 5; done; " +
        "echo \"$GROUP_VERSION is served\"";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex JobName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/v[0-9]+((alpha|beta)[0-9]+)?$")]
    private static partial Regex GroupVersionPattern();
}
