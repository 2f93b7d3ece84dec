using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf.Providers.Aws.IamRole;

namespace EasyPay.Tf.Modules.Identity;

/// <summary>Props of <see cref="HumanRole"/>.</summary>
/// <param name="Name">Role name, e.g. easypay-prod-admin.</param>
/// <param name="Description">Who the role is for (IAM console).</param>
/// <param name="TrustedPrincipals">IAM principal ARNs allowed to assume the role: roles (an IAM Identity Center
/// permission-set role), users, or account roots (arn:...:root: any identity its account's IAM allows, with MFA).</param>
public sealed record HumanRoleProps(string Name, string Description, IReadOnlyList<string> TrustedPrincipals)
{
    /// <summary>AWS managed policies, by ARN. @default none</summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];

    /// <summary>An inline policy. @default none</summary>
    public IReadOnlyList<PolicyStatement> InlineStatements { get; init; } = [];

    /// <summary>Longest session, 1-12 hours (IAM MaxSessionDuration 3600-43200 s). @default 1</summary>
    public int MaxSessionHours { get; init; } = 1;
}

/// <summary>An IAM role people assume (admin, developer, local deployer). Role and user principals are trusted
/// by ARN through <c>aws:PrincipalArn</c> on their account rather than as principals themselves: IAM turns a
/// role principal into the role's unique id, so a permission-set role that IAM Identity Center re-creates
/// (same ARN) would silently lose access. Account roots need MFA (<c>aws:MultiFactorAuthPresent</c>); a
/// role session from Identity Center carries the IdP's MFA instead and has no such key.</summary>
public sealed partial class HumanRole : Construct
{
    [GeneratedRegex("^arn:(aws[a-z-]*):iam::([0-9]{12}):(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$")]
    private static partial Regex PrincipalArn();

    public string Arn { get; }
    public string Name { get; }

    public HumanRole(Construct scope, string id, HumanRoleProps props) : base(scope, id)
    {
        var principals = props.TrustedPrincipals ?? [];
        var validator = new PropsValidator(nameof(HumanRoleProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[A-Za-z0-9+=,.@_-]{1,64}$"), nameof(props.Name), $"'{props.Name}' is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)")
            .Check(principals.Count > 0, nameof(props.TrustedPrincipals), "is empty: name at least one principal who may assume the role")
            .Check(props.MaxSessionHours is >= 1 and <= 12, nameof(props.MaxSessionHours), $"{props.MaxSessionHours} is outside 1-12 hours (IAM MaxSessionDuration)");
        foreach (var p in principals)
        {
            validator.Check(PrincipalArn().IsMatch(p), nameof(props.TrustedPrincipals), $"'{p}' is not an IAM role, user or account-root ARN ('*' and service principals are not allowed)");
        }
        validator.ThrowIfInvalid();

        var parsed = principals.Select(p => PrincipalArn().Match(p)).ToList();
        var statements = new List<PolicyStatement>();
        var named = parsed.Where(m => m.Groups[3].Value != "root").ToList();
        if (named.Count > 0)
        {
            statements.Add(new PolicyStatement("AssumeByNamedPrincipal", ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
                Principals: PolicyDocument.Aws([.. named.Select(m => $"arn:{m.Groups[1].Value}:iam::{m.Groups[2].Value}:root").Distinct()]),
                Conditions: PolicyDocument.Condition("ArnEquals", "aws:PrincipalArn", [.. named.Select(m => m.Value)])));
        }
        var roots = parsed.Where(m => m.Groups[3].Value == "root").Select(m => m.Value).ToList();
        if (roots.Count > 0)
        {
            statements.Add(new PolicyStatement("AssumeWithMfa", ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
                Principals: PolicyDocument.Aws([.. roots]),
                Conditions: PolicyDocument.Condition("Bool", "aws:MultiFactorAuthPresent", "true")));
        }

        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = props.Name,
            Description = props.Description,
            MaxSessionDuration = props.MaxSessionHours * 3600,
            AssumeRolePolicy = PolicyDocument.Render(statements),
        });
        _ = RolePolicies.Attach(this, role, props.Name!, props.ManagedPolicyArns, props.InlineStatements);
        Arn = role.Arn;
        Name = role.Name;
    }
}
