using System.Text.RegularExpressions;
using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>How workloads reach the database and their AWS identities: IAM auth tokens instead of passwords, and
/// no IAM role within reach of anyone who may create pods.</summary>
public static partial class DataAccessRules
{
    public static readonly StackRule ProxyRequiresIamAndTls = new("IAM-003",
        "Every RDS proxy requires TLS and IAM authentication end to end (default_auth_scheme IAM_AUTH, no secret-based auth entry)",
        Severity.Critical, Applicability.AllEnvironments,
        "A password accepted by the proxy is a password some pod holds; RDS rotates the master secret every 7 days, and a pod that copied it fails after each rotation. With IAM end to end no password exists on the path.",
        // The one exception: the previous design's proxy while an upgrade keeps it (database.keepPasswordProxy).
        ctx => ctx.Resources("aws_db_proxy").Where(p => !(ctx.Env.Database.KeepPasswordProxy && TfValue.Text(p["name"]) == ctx.Prefix)).SelectMany(proxy => ctx.Violations(proxy,
            (TfValue.Text(proxy["require_tls"]) != "true", "require_tls is not true: clients could connect in plain text"),
            (TfValue.Text(proxy["default_auth_scheme"]) != "IAM_AUTH", "default_auth_scheme is not IAM_AUTH: the proxy connects to the database with a stored password"),
            (TfValue.Blocks(proxy["auth"]).Any(a => TfValue.Text(a["iam_auth"]) != "REQUIRED"), "an auth entry accepts passwords (iam_auth is not REQUIRED)"))))
    {
        Subjects = ["aws_db_proxy"],
    };

    public static readonly ChartRule NoDatabasePasswordInPods = new("SEC-002",
        "No app pod receives a database password: no environment variable, Secret reference or Secret volume that carries database credentials",
        Severity.Critical, Applicability.AllEnvironments,
        "A password in a pod is readable by whoever can exec into it or mount its Secret, outlives rotation and ends up in crash dumps; the backend signs IAM auth tokens instead.",
        PasswordsInPods)
    {
        Subjects = ["Deployment"],
    };

    public static readonly ChartRule NoIamRoleWithinDevelopersReach = new("IAM-004",
        "No service account with an IAM role (IRSA) in a namespace where developers create pods, unless admission policies keep them from running as it, changing its pods' images or exec-ing into its pods",
        Severity.Critical, Applicability.AllEnvironments,
        "Whoever can create a pod can name any service account of the namespace in it and receive that account's IAM credentials; exec into a pod reads its projected token.",
        IamRolesWithinReach)
    {
        Subjects = ["ServiceAccount"],
    };

    public static IReadOnlyList<StackRule> StackRules { get; } = [ProxyRequiresIamAndTls];

    public static IReadOnlyList<ChartRule> ChartRules { get; } = [NoDatabasePasswordInPods, NoIamRoleWithinDevelopersReach];

    [GeneratedRegex("(?i)pass(word)?|pwd|credential|secret")]
    private static partial Regex CredentialName();

    private static IEnumerable<Violation> PasswordsInPods(ChartContext ctx)
    {
        foreach (var deployment in ctx.OfKind("Deployment"))
        {
            var spec = deployment.Node("spec.template.spec");
            foreach (var container in spec.Nodes("containers").Concat(spec.Nodes("initContainers")))
            {
                foreach (var env in container.Nodes("env"))
                {
                    if (env.Has("valueFrom.secretKeyRef"))
                    {
                        yield return ctx.Violation(deployment, $"container {container.Text("name")} reads {env.Text("name")} from Secret {env.Text("valueFrom.secretKeyRef.name")}: database access uses IAM auth tokens");
                    }
                    else if (CredentialName().IsMatch(env.Text("name") ?? "") && env.Text("value") is { Length: > 0 })
                    {
                        yield return ctx.Violation(deployment, $"container {container.Text("name")} sets {env.Text("name")} literally");
                    }
                }
                foreach (var from in container.Nodes("envFrom").Where(f => f.Has("secretRef")))
                {
                    yield return ctx.Violation(deployment, $"container {container.Text("name")} imports Secret {from.Text("secretRef.name")} as environment variables");
                }
            }
            foreach (var volume in spec.Nodes("volumes"))
            {
                var secrets = (volume.Has("secret") ? [volume.Text("secret.secretName") ?? ""] : Array.Empty<string>())
                    .Concat(volume.Nodes("projected.sources").Where(s => s.Has("secret")).Select(s => s.Text("secret.name") ?? ""));
                foreach (var secret in secrets)
                {
                    yield return ctx.Violation(deployment, $"volume {volume.Text("name")} mounts Secret {secret}: no credential reaches the app's pods as a file either");
                }
            }
            // ConfigMaps the pods import must not carry a password under another name.
            foreach (var configMapName in spec.Nodes("containers").SelectMany(c => c.Nodes("envFrom")).Select(f => f.Text("configMapRef.name")).OfType<string>())
            {
                var configMap = ctx.OfKind("ConfigMap").FirstOrDefault(c => c.Name == configMapName);
                foreach (var key in configMap?.StringMap("data").Keys.Where(k => CredentialName().IsMatch(k)) ?? [])
                {
                    yield return ctx.Violation(deployment, $"ConfigMap {configMapName} imported as environment has {key}");
                }
            }
        }
    }

    /// <summary>Every service account with an IRSA annotation in a namespace where a Role grants pod creation, unless
    /// the admission policies bound there close each way to its credentials (<see cref="WorkloadIdentityGuard"/>).</summary>
    private static IEnumerable<Violation> IamRolesWithinReach(ChartContext ctx)
    {
        var podCreatingNamespaces = ctx.OfKind("Role")
            .Where(r => r.Nodes("rules").Any(rule => rule.Texts("apiGroups").Contains("") && rule.Texts("resources").Intersect(["pods", "*"]).Any()
                && rule.Texts("verbs").Intersect(["create", "*"]).Any()))
            .Select(r => r.TargetNamespace ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var account in ctx.OfKind("ServiceAccount").Where(a => a.Annotations.ContainsKey("eks.amazonaws.com/role-arn")))
        {
            if (!podCreatingNamespaces.Contains(account.TargetNamespace ?? ""))
            {
                continue;
            }
            var guard = WorkloadIdentityGuard.Of(ctx.Manifests, account.TargetNamespace ?? "");
            foreach (var gap in guard.GapsFor(account.Name))
            {
                yield return ctx.Violation(account, $"carries {account.Annotations["eks.amazonaws.com/role-arn"]} in a namespace where developers create pods, and {gap}");
            }
        }
    }
}
