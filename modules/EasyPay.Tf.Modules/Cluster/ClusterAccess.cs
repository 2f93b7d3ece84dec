using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.EksAccessEntry;
using HashiCorp.Cdktf.Providers.Aws.EksAccessPolicyAssociation;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>Props of <see cref="ClusterAccess"/>.</summary>
/// <param name="ClusterName">The cluster (API authentication mode).</param>
/// <param name="PrincipalArn">IAM role that gets into the cluster.</param>
public sealed record ClusterAccessProps(string ClusterName, string PrincipalArn)
{
    /// <summary>Kubernetes groups the principal is mapped to; RBAC bindings in the cluster grant their rights.</summary>
    public IReadOnlyList<string> KubernetesGroups { get; init; } = [];

    /// <summary>EKS access policy associated at cluster scope (e.g. <see cref="ClusterAccess.ClusterAdminPolicy"/>);
    /// null = none, the principal has only what RBAC grants its groups.</summary>
    public string? ClusterScopePolicy { get; init; }
}

/// <summary>An EKS access entry: maps one IAM role to Kubernetes groups and, optionally, an EKS access
/// policy for the whole cluster.</summary>
public sealed class ClusterAccess : Construct
{
    /// <summary>Name of the EKS access policy equal to Kubernetes cluster-admin.</summary>
    public const string ClusterAdminPolicy = "AmazonEKSClusterAdminPolicy";

    public string PrincipalArn { get; }

    public ClusterAccess(Construct scope, string id, ClusterAccessProps props) : base(scope, id)
    {
        var v = new PropsValidator(nameof(ClusterAccessProps))
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            // A token is a role another stack creates (the account stack's); a literal must look like a role ARN.
            .CheckReferenceOr(props.PrincipalArn, "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", nameof(props.PrincipalArn),
                $"'{props.PrincipalArn}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
            .Check(props.KubernetesGroups.Count > 0 || props.ClusterScopePolicy is not null, nameof(props.KubernetesGroups),
                "is empty and there is no ClusterScopePolicy: the entry would grant nothing");
        foreach (var group in props.KubernetesGroups)
        {
            // EKS rejects system: groups in access entries; the rights must come from RBAC bindings.
            v.Check(!group.StartsWith("system:", StringComparison.Ordinal) && group.Length > 0, nameof(props.KubernetesGroups),
                $"'{group}' is empty or a reserved system: group; name a group the chart's RoleBinding binds");
        }
        v.ThrowIfInvalid();

        var entry = new EksAccessEntry(this, "entry", new EksAccessEntryConfig
        {
            ClusterName = props.ClusterName,
            PrincipalArn = props.PrincipalArn!,
            Type = "STANDARD",
            KubernetesGroups = props.KubernetesGroups.Count > 0 ? [.. props.KubernetesGroups] : null,
        });
        if (props.ClusterScopePolicy is { } policy)
        {
            new EksAccessPolicyAssociation(this, "policy", new EksAccessPolicyAssociationConfig
            {
                ClusterName = props.ClusterName,
                PrincipalArn = entry.PrincipalArn,
                PolicyArn = AwsEnvironment.Of(this).Arn("eks", $"cluster-access-policy/{policy}", region: "", account: "aws"),
                AccessScope = new EksAccessPolicyAssociationAccessScope { Type = "cluster" },
            });
        }
        PrincipalArn = props.PrincipalArn!;
    }
}
