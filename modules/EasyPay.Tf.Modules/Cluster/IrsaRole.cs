using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>A Kubernetes service account, the identity an IRSA role trusts.</summary>
public sealed record KubernetesServiceAccount(string Namespace, string Name)
{
    /// <summary>The token subject Kubernetes issues for it: system:serviceaccount:NS:NAME.</summary>
    public string Subject => $"system:serviceaccount:{Namespace}:{Name}";

    public override string ToString() => $"{Namespace}/{Name}";

    /// <summary>The annotation that gives a service account its IRSA role (EKS User Guide, "Assign IAM roles to
    /// Kubernetes service accounts").</summary>
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";
}

/// <summary>Props of <see cref="IrsaRole"/>.</summary>
/// <param name="Name">IAM role name, e.g. easypay-prod-velero (at most 64 characters).</param>
/// <param name="OidcProviderArn">ARN of the cluster's IAM OIDC provider.</param>
/// <param name="OidcIssuer">Issuer URL without https:// (the prefix of the trust condition keys).</param>
/// <param name="ServiceAccount">The one service account that may assume the role.</param>
public sealed record IrsaRoleProps(string Name, string OidcProviderArn, string OidcIssuer, KubernetesServiceAccount ServiceAccount)
{
    public string Description { get; init; } = "";

    /// <summary>Inline permissions; empty for a role whose policy another stack attaches.</summary>
    public IReadOnlyList<PolicyStatement> Statements { get; init; } = [];

    /// <summary>AWS managed policies, for add-ons whose policy AWS maintains with the add-on.</summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];
}

/// <summary>IAM role for a Kubernetes service account (IRSA): only a web-identity token issued by this
/// cluster, for exactly one service account and audience sts.amazonaws.com, can assume it.</summary>
public sealed class IrsaRole : Construct
{
    public const string Audience = "sts.amazonaws.com";

    public string Arn { get; }
    public string Name { get; }
    public KubernetesServiceAccount ServiceAccount { get; }

    public IrsaRole(Construct scope, string id, IrsaRoleProps props) : base(scope, id)
    {
        Validate(props);
        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = props.Name,
            Description = string.IsNullOrEmpty(props.Description) ? $"IRSA role of {props.ServiceAccount}" : props.Description,
            AssumeRolePolicy = TrustPolicy(props.OidcProviderArn, props.OidcIssuer, props.ServiceAccount),
        });
        if (props.Statements.Count > 0)
        {
            new IamRolePolicy(this, "policy", new IamRolePolicyConfig
            {
                Name = props.Name,
                Role = role.Id,
                Policy = PolicyDocument.Render(props.Statements),
            });
        }
        for (var i = 0; i < props.ManagedPolicyArns.Count; i++)
        {
            new IamRolePolicyAttachment(this, $"managed-{i}", new IamRolePolicyAttachmentConfig
            {
                Role = role.Name,
                PolicyArn = props.ManagedPolicyArns[i],
            });
        }
        Arn = role.Arn;
        Name = role.Name;
        ServiceAccount = props.ServiceAccount;
    }

    /// <summary>The trust policy: both the subject and the audience must match (StringEquals, no wildcards).</summary>
    public static string TrustPolicy(string oidcProviderArn, string oidcIssuer, KubernetesServiceAccount serviceAccount) =>
        PolicyDocument.Render(new PolicyStatement(
            "ServiceAccountWebIdentity",
            ["sts:AssumeRoleWithWebIdentity"],
            Principals: new Dictionary<string, IReadOnlyList<string>> { ["Federated"] = [oidcProviderArn] },
            Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>>
                {
                    [$"{oidcIssuer}:sub"] = [serviceAccount.Subject],
                    [$"{oidcIssuer}:aud"] = [Audience],
                },
            }));

    private static readonly Regex Dns1123Label = new("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static readonly Regex Dns1123Subdomain = new("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

    private static void Validate(IrsaRoleProps props)
    {
        var v = new PropsValidator(nameof(IrsaRoleProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[A-Za-z0-9+=,.@_-]{1,64}$"), nameof(props.Name),
                $"'{props.Name}' is not a valid IAM role name (1-64 of letters, digits, +=,.@_-)")
            .CheckNotEmpty(props.OidcProviderArn, nameof(props.OidcProviderArn))
            .CheckNotEmpty(props.OidcIssuer, nameof(props.OidcIssuer))
            .Check(!(props.OidcIssuer ?? "").StartsWith("https://", StringComparison.Ordinal), nameof(props.OidcIssuer),
                "must not start with https://: IAM condition keys use the bare issuer (oidc.eks.REGION.amazonaws.com/id/ID)");
        var sa = props.ServiceAccount;
        v.Check(sa is not null && Dns1123Label.IsMatch(sa.Namespace ?? ""), "ServiceAccount.Namespace",
            $"'{sa?.Namespace}' is not a Kubernetes namespace name (lowercase letters, digits, '-', at most 63)");
        v.Check(sa is not null && Dns1123Subdomain.IsMatch(sa.Name ?? ""), "ServiceAccount.Name",
            $"'{sa?.Name}' is not a Kubernetes service account name (lowercase letters, digits, '-', '.')");
        foreach (var s in props.Statements ?? [])
        {
            v.Check(s.Effect != "Allow" || s.Actions.All(a => a != "*" && !a.EndsWith(":*", StringComparison.Ordinal)), nameof(props.Statements),
                $"statement {s.Sid} allows a whole service or every action; list the actions the add-on needs");
        }
        v.ThrowIfInvalid();
    }
}
