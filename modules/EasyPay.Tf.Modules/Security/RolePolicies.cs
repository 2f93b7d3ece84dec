using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;

namespace EasyPay.Tf.Modules.Security;

/// <summary>What a role construct attaches: AWS managed policies (children managed-0, managed-1, ...) and one
/// inline policy named like the role (child "inline"), the ids every role construct of the project uses.</summary>
internal static class RolePolicies
{
    /// <summary>Attaches the policies to <paramref name="role"/> inside <paramref name="scope"/>; returns the inline
    /// policy, if any, for whatever must wait until the role has its permissions.</summary>
    public static ITerraformDependable? Attach(Construct scope, IamRole role, string policyName,
        IReadOnlyList<string> managedPolicyArns, IReadOnlyList<PolicyStatement> inlineStatements)
    {
        for (var i = 0; i < managedPolicyArns.Count; i++)
        {
            new IamRolePolicyAttachment(scope, $"managed-{i}", new IamRolePolicyAttachmentConfig
            {
                Role = role.Name,
                PolicyArn = managedPolicyArns[i],
            });
        }
        return inlineStatements.Count == 0 ? null : new IamRolePolicy(scope, "inline", new IamRolePolicyConfig
        {
            Name = policyName,
            Role = role.Id,
            Policy = PolicyDocument.Render(inlineStatements),
        });
    }
}
