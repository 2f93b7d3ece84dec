using EasyPay.Tf.Tests.Policy.Engine;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>Least privilege inside the cluster (issue 16): what developers, add-ons and nodes may do, and what
/// the app namespace admits.</summary>
public static class LeastPrivilegeRules
{
    /// <summary>Verbs on pods that put code of one's own into the namespace or change what runs.</summary>
    public static readonly IReadOnlyList<string> PodWriteVerbs = ["create", "update", "patch", "delete", "deletecollection", "*"];

    public static readonly ChartRule ProductionDevelopersReadOnly = new("IAM-010",
        "Production: the developer Role reads pods and their logs only (no pod create/update/patch/delete, exec, attach, port-forward, ephemeral containers or Secrets)",
        Severity.Critical, Applicability.ProductionOnly,
        "Pod create mounts any Secret of the namespace and, with the backend's labels, joins the Service and the ALB target group; patch swaps a running image outside CI; exec opens a shell next to card data. Incidents go through the audited break-glass role.",
        ProductionDeveloperRole)
    {
        Subjects = ["Role"],
    };

    public static readonly ChartRule PodAdmission = new("EKS-010",
        "A Deny-bound ValidatingAdmissionPolicy (failurePolicy Fail) on the app namespace admits app-labelled pods from the ReplicaSet controller only, images only from the environment's ECR registry, and in production by digest only",
        Severity.Critical, Applicability.AllEnvironments,
        "Whoever may create pods (developers in dev and staging, a stolen token anywhere) could otherwise put a bare pod with the backend's labels behind its Service and the ALB, or run any image from any registry.",
        PodAdmissionPolicy)
    {
        Subjects = ["ValidatingAdmissionPolicy"],
    };

    public static readonly ChartRule ProductionImageDigests = new("SUP-010",
        "Production Deployments pin every image by digest (repository@sha256:...)",
        Severity.High, Applicability.ProductionOnly,
        "A tag names whatever was pushed under it last; a digest is the reviewed image itself, even if its repository is re-created.",
        ctx => ctx.OfKind("Deployment").SelectMany(d => d.Nodes("spec.template.spec.containers").Concat(d.Nodes("spec.template.spec.initContainers"))
            .Where(c => !(c.Text("image") ?? "").Contains("@sha256:", StringComparison.Ordinal))
            .Select(c => ctx.Violation(d, $"container {c.Text("name")} runs {c.Text("image")} by tag"))))
    {
        Subjects = ["Deployment"],
    };

    public static readonly ChartRule DatabaseTlsVerified = new("SEC-010",
        "The backend verifies the database server: DB_SSLMODE verify-full with a root CA source (DB_SSLROOTCERT)",
        Severity.High, Applicability.AllEnvironments,
        "sslmode=require encrypts but accepts any certificate, so anything on the path can pose as the proxy and receive IAM auth tokens.",
        ctx => ctx.OfKind("ConfigMap").Where(c => c.StringMap("data").ContainsKey("DB_SSLMODE")).SelectMany(c =>
        {
            var data = c.StringMap("data");
            var problems = new List<Violation>();
            if (data["DB_SSLMODE"] != "verify-full")
            {
                problems.Add(ctx.Violation(c, $"DB_SSLMODE is {data["DB_SSLMODE"]}, not verify-full: the server's certificate and host name go unchecked"));
            }
            if (string.IsNullOrEmpty(data.GetValueOrDefault("DB_SSLROOTCERT")))
            {
                problems.Add(ctx.Violation(c, "no DB_SSLROOTCERT: verify-full needs the roots the proxy's certificate chains to"));
            }
            return problems;
        }))
    {
        Subjects = ["ConfigMap"],
    };

    public static readonly StackRule NodeRoleScoped = new("IAM-011",
        "The node role carries no AmazonEKS_CNI_Policy (the vpc-cni add-on has its own IRSA role), and in production no AmazonSSMManagedInstanceCore",
        Severity.High, Applicability.AllEnvironments,
        "Every host-network pod reaches the node role through IMDS: with the CNI policy it may create and attach ENIs anywhere in the VPC; with SSM the role reads every parameter and opens root shells outside the Kubernetes audit log.",
        ctx => ctx.Resources("aws_iam_role_policy_attachment").SelectMany(a =>
        {
            var policy = TfValue.Text(a["policy_arn"]) ?? "";
            // A node role: one EC2 assumes (the launch template's instance profile of the EKS node groups).
            var nodeRole = ctx.Resources("aws_iam_role").Any(r => (TfValue.Text(r["assume_role_policy"]) ?? "").Contains("ec2.amazonaws.com", StringComparison.Ordinal)
                && (TfValue.Text(a["role"]) ?? "").Contains($"aws_iam_role.{r.Name}.", StringComparison.Ordinal));
            return ctx.Violations(a,
                (nodeRole && policy.EndsWith("/AmazonEKS_CNI_Policy", StringComparison.Ordinal) && !ctx.Env.Cluster.KeepCniPolicyOnNodeRole,
                    "attaches AmazonEKS_CNI_Policy to the node role: give the vpc-cni add-on an IRSA role (kube-system:aws-node)"),
                (nodeRole && ctx.Production && policy.EndsWith("/AmazonSSMManagedInstanceCore", StringComparison.Ordinal),
                    "attaches AmazonSSMManagedInstanceCore to the production node role"));
        }).Concat(ctx.Resources("aws_eks_addon")
            .Where(a => TfValue.Text(a["addon_name"]) == "vpc-cni" && TfValue.Text(a["service_account_role_arn"]) is null)
            .Select(a => ctx.Violation(a, "vpc-cni has no service_account_role_arn: aws-node uses the node role"))))
    {
        Subjects = ["aws_eks_addon"],
    };

    public static readonly StackRule AddonsScoped = new("EKS-011",
        "Add-on releases: their namespaces are created with Pod Security labels (not by helm); Velero is not cluster-admin and backs up no Secrets; External Secrets is scoped to one namespace without cluster stores or edit/view aggregation",
        Severity.High, Applicability.AllEnvironments,
        "Helm-created namespaces admit privileged pods; a cluster-admin Velero whose schedules copy every Secret to S3 makes the bucket a copy of every credential; a cluster-wide External Secrets may read and write every Secret and mint any service account's token.",
        AddonReleases)
    {
        Subjects = ["helm_release"],
    };

    public static IReadOnlyList<ChartRule> ChartAll { get; } = [ProductionDevelopersReadOnly, PodAdmission, ProductionImageDigests, DatabaseTlsVerified];

    public static IReadOnlyList<StackRule> StackAll { get; } = [NodeRoleScoped, AddonsScoped];

    private static IEnumerable<Violation> ProductionDeveloperRole(ChartContext ctx)
    {
        foreach (var role in ctx.OfKind("Role").Where(r => r.Name.EndsWith("-developer", StringComparison.Ordinal)))
        {
            foreach (var rule in role.Nodes("rules").Where(r => r.Texts("apiGroups").Intersect(["", "*"]).Any()))
            {
                var resources = rule.Texts("resources");
                var verbs = rule.Texts("verbs");
                if (resources.Intersect(["pods", "*"]).Any() && verbs.Intersect(PodWriteVerbs).Any())
                {
                    yield return ctx.Violation(role, $"grants {string.Join(", ", verbs.Intersect(PodWriteVerbs))} on pods");
                }
                foreach (var sub in resources.Intersect(["pods/exec", "pods/attach", "pods/portforward", "pods/ephemeralcontainers", "secrets", "*"]))
                {
                    yield return ctx.Violation(role, $"grants {string.Join(", ", verbs)} on {sub}");
                }
            }
        }
    }

    private static IEnumerable<Violation> PodAdmissionPolicy(ChartContext ctx)
    {
        var ns = EasyPay.Tf.Stacks.PlatformContract.AppNamespace;
        var registry = $"{ctx.Env.AccountId}.dkr.ecr.{ctx.Env.Region}.amazonaws.com/";
        var bound = ctx.OfKind("ValidatingAdmissionPolicyBinding")
            .Where(b => b.Texts("spec.validationActions").Contains("Deny")
                && b.StringMap("spec.matchResources.namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == ns)
            .Select(b => b.Text("spec.policyName")).ToHashSet(StringComparer.Ordinal);
        var podPolicies = ctx.OfKind("ValidatingAdmissionPolicy")
            .Where(p => p.Nodes("spec.matchConstraints.resourceRules").Any(r => r.Texts("resources").Contains("pods") && r.Texts("operations").Contains("CREATE")))
            .ToList();
        foreach (var policy in podPolicies.Where(p => !bound.Contains(p.Name) || p.Text("spec.failurePolicy") != "Fail"))
        {
            yield return ctx.Violation(policy, "is not bound with validationActions [Deny] to the app namespace, or does not fail closed");
        }
        var cel = string.Join("\n", podPolicies.Where(p => bound.Contains(p.Name) && p.Text("spec.failurePolicy") == "Fail").Select(WorkloadIdentityGuard.Cel));
        var anchor = podPolicies.FirstOrDefault();
        if (anchor is null)
        {
            yield break;
        }
        if (!(cel.Contains("ownerReferences", StringComparison.Ordinal) && cel.Contains("system:serviceaccount:kube-system:replicaset-controller", StringComparison.Ordinal)
            && cel.Contains("app.kubernetes.io/component", StringComparison.Ordinal)))
        {
            yield return ctx.Violation(anchor, "no bound policy keeps bare pods with the app's component labels out (ReplicaSet controller and owner reference)");
        }
        if (!cel.Contains($"i.startsWith(\"{registry}\")", StringComparison.Ordinal))
        {
            yield return ctx.Violation(anchor, $"no bound policy admits images from {registry} only");
        }
        if (ctx.Production && !cel.Contains("@sha256:", StringComparison.Ordinal))
        {
            yield return ctx.Violation(anchor, "no bound policy requires image digests in production");
        }
    }

    private static IEnumerable<Violation> AddonReleases(PolicyContext ctx)
    {
        var namespaces = ctx.Resources("kubernetes_namespace_v1")
            .Where(n => TfValue.Text(TfValue.Block(n["metadata"])?["labels"]?["pod-security.kubernetes.io/enforce"]) is not null)
            .Select(n => TfValue.Text(TfValue.Block(n["metadata"])?["name"])).ToHashSet(StringComparer.Ordinal);
        foreach (var release in ctx.Resources("helm_release"))
        {
            var ns = TfValue.Text(release["namespace"]) ?? "default";
            var values = TfValue.List(release["values"]).Select(y => KubeManifest.ParseAll(y).SingleOrDefault()).OfType<KubeManifest>().ToList();
            foreach (var v in ctx.Violations(release,
                (TfValue.IsTrue(release["create_namespace"]), "create_namespace: helm would create the namespace without Pod Security labels"),
                (ns != "kube-system" && !namespaces.Contains(ns), $"namespace {ns} is not created with pod-security.kubernetes.io/enforce labels in this stack")))
            {
                yield return v;
            }
            var chart = TfValue.Text(release["chart"]);
            if (chart == "velero")
            {
                foreach (var v in values)
                {
                    if (v.Flag("rbac.clusterAdministrator") != false && (v.Text("rbac.clusterAdministratorName") ?? "cluster-admin") == "cluster-admin")
                    {
                        yield return ctx.Violation(release, "binds Velero to cluster-admin (chart default rbac.clusterAdministratorName)");
                    }
                    foreach (var schedule in (v.At("schedules") as IReadOnlyDictionary<object, object?>)?.Keys ?? [])
                    {
                        if (!v.Texts($"schedules.{schedule}.template.excludedResources").Contains("secrets"))
                        {
                            yield return ctx.Violation(release, $"schedule {schedule} backs up Secrets (template.excludedResources lacks secrets)");
                        }
                    }
                }
            }
            if (chart == "external-secrets")
            {
                foreach (var v in values)
                {
                    foreach (var v2 in ctx.Violations(release,
                        (string.IsNullOrEmpty(v.Text("scopedNamespace")) || v.Flag("scopedRBAC") != true, "External Secrets is cluster-wide: set scopedNamespace and scopedRBAC"),
                        (v.Flag("rbac.aggregateToEdit") != false || v.Flag("rbac.aggregateToView") != false, "External Secrets aggregates into the edit/view ClusterRoles"),
                        (v.Flag("processClusterStore") != false || v.Flag("processPushSecret") != false, "External Secrets processes cluster stores or PushSecrets")))
                    {
                        yield return v2;
                    }
                }
            }
        }
    }
}
