using System.Text.RegularExpressions;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>IAM: who may become what. Trust and resource policies name their principals; a web identity role
/// accepts exactly one subject's tokens.</summary>
public static partial class IdentityRules
{
    /// <summary>Policy attributes that admit principals: role trust, key, bucket and topic policies.</summary>
    private static readonly (string Type, string Attribute)[] PrincipalPolicies =
        [("aws_iam_role", "assume_role_policy"), ("aws_kms_key", "policy"), ("aws_s3_bucket_policy", "policy"), ("aws_sns_topic_policy", "policy")];

    public static readonly StackRule NoWildcardPrincipals = new("IAM-001",
        "No Allow statement of a trust, key, bucket or topic policy names the principal \"*\"",
        Severity.Critical, Applicability.AllEnvironments,
        "\"*\" admits every AWS account (and anonymous callers for S3/SNS); only Deny statements (TLS-only guards) may name everyone.",
        ctx => PrincipalPolicies.SelectMany(p => ctx.Resources(p.Type).SelectMany(resource =>
            (AwsFacts.Statements(ctx, resource[p.Attribute]) ?? []).Where(s => s.Effect == "Allow" && s.IsPublic)
                .Select(_ => ctx.Violation(resource, $"{p.Attribute} allows principal \"*\": name the accounts, roles or services instead")))))
    {
        Subjects = [.. PrincipalPolicies.Select(p => p.Type).Distinct()],
    };

    public static readonly StackRule ExactWebIdentityTrust = new("IAM-002",
        "Roles assumed with a web identity token (IRSA, HCP Terraform) pin its audience and subject with StringEquals, without wildcards; an HCP Terraform role's subjects all name one workspace",
        Severity.Critical, Applicability.AllEnvironments,
        "A wildcard or StringLike on :sub lets another service account, workspace, project or organization assume the role with a token of its own.",
        WebIdentityProblems)
    {
        Subjects = ["aws_iam_role"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [NoWildcardPrincipals, ExactWebIdentityTrust];

    private static IEnumerable<Violation> WebIdentityProblems(PolicyContext ctx)
    {
        foreach (var role in ctx.Resources("aws_iam_role"))
        {
            foreach (var s in (AwsFacts.Statements(ctx, role["assume_role_policy"]) ?? []).Where(s => s.Effect == "Allow" && s.Actions.Contains("sts:AssumeRoleWithWebIdentity")))
            {
                var exact = s.Conditions.Where(c => c.Test == "StringEquals").ToList();
                var sub = exact.Where(c => c.Variable.EndsWith(":sub", StringComparison.Ordinal)).SelectMany(c => c.Values).ToList();
                if (sub.Count == 0 || exact.All(c => !c.Variable.EndsWith(":aud", StringComparison.Ordinal)))
                {
                    yield return ctx.Violation(role, "the web identity trust does not pin both :aud and :sub with StringEquals");
                }
                foreach (var loose in s.Conditions.Where(c => c.Variable.EndsWith(":sub", StringComparison.Ordinal) && (c.Test != "StringEquals" || c.Values.Any(v => v.Contains('*') || v.Contains('?')))))
                {
                    yield return ctx.Violation(role, $"{loose.Test} {loose.Variable} [{string.Join(", ", loose.Values)}] matches more than one subject; list each exact subject with StringEquals");
                }
                var workspaces = sub.Select(v => TfcWorkspace().Match(v)).Where(m => m.Success).Select(m => m.Groups["ws"].Value).Distinct().ToList();
                if (workspaces.Count > 1)
                {
                    yield return ctx.Violation(role, $"trusts {workspaces.Count} HCP Terraform workspaces ({string.Join(", ", workspaces)}); give each workspace its own role");
                }
            }
        }
    }

    [GeneratedRegex("^organization:[^:]+:project:[^:]+:workspace:(?<ws>[^:]+):run_phase:")]
    private static partial Regex TfcWorkspace();
}
