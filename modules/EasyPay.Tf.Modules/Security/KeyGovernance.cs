using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Props of <see cref="KeyGovernance"/>.</summary>
public sealed record KeyGovernanceProps
{
    /// <summary>Role ARNs that administer the stack's keys: the identity that applies the stack (Terraform
    /// creates and updates the key policy, so it must stay an administrator or the next apply fails KMS's
    /// policy-lockout check) and the break-glass role. Empty: the account's IAM policies decide administration
    /// (the AWS default key policy), for stacks applied by whoever holds administrator credentials.
    /// @default none</summary>
    public IReadOnlyList<string> Administrators { get; init; } = [];

    /// <summary>Role ARNs that alone may schedule a key's deletion (and, with <see cref="Administrators"/>,
    /// replace its policy) when <see cref="ProtectFromDeletion"/> is on. @default none</summary>
    public IReadOnlyList<string> BreakGlass { get; init; } = [];

    /// <summary>Deny kms:ScheduleKeyDeletion to everyone but <see cref="BreakGlass"/> (and kms:PutKeyPolicy to
    /// everyone but them and the administrators): an account administrator cannot destroy the data a key
    /// protects. Off where environments are destroyed (a destroy schedules every key's deletion). @default false</summary>
    public bool ProtectFromDeletion { get; init; }
}

/// <summary>Who administers the customer-managed keys of one stack, decided once per stack: every
/// <see cref="EncryptionKey"/> under the stack reads it (no key of the stack can forget it). Without one, a key
/// has the AWS default key policy.</summary>
public sealed partial class KeyGovernance : Construct
{
    public const string ConstructId = "key-governance";

    /// <summary>The actions of a key administrator (KMS developer guide, "Default key policy": "Allows key
    /// administrators to administer the KMS key"), plus kms:RotateKeyOnDemand.</summary>
    public static readonly IReadOnlyList<string> AdministrationActions =
    [
        "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
        "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
        "kms:RotateKeyOnDemand",
    ];

    /// <summary>What the account's IAM policies may still grant once administration is separated: the key
    /// users' actions of the default key policy ("Allows key users to use the KMS key", with the grants AWS
    /// services create for their resources) and the reads Terraform's refresh makes.</summary>
    public static readonly IReadOnlyList<string> UseActions =
    [
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey",
        "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:RetireGrant",
        "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyRotations",
    ];

    [GeneratedRegex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")]
    private static partial Regex RoleArn();

    public IReadOnlyList<string> Administrators { get; }
    public IReadOnlyList<string> BreakGlass { get; }
    public bool ProtectFromDeletion { get; }

    public KeyGovernance(TerraformStack stack, KeyGovernanceProps props) : base(stack, ConstructId)
    {
        var v = new PropsValidator(nameof(KeyGovernanceProps))
            .Check(!props.ProtectFromDeletion || props.BreakGlass.Count > 0, nameof(props.BreakGlass),
                "is empty while ProtectFromDeletion is on: nobody could ever delete a key or change its policy; name the break-glass role")
            .Check(props.Administrators.Count == 0 || props.BreakGlass.All(props.Administrators.Contains), nameof(props.Administrators),
                "must include every BreakGlass role: the break-glass role is the administrator of last resort");
        foreach (var arn in props.Administrators.Concat(props.BreakGlass).Where(a => !RoleArn().IsMatch(a)))
        {
            v.Check(false, nameof(props.Administrators), $"'{arn}' is not an IAM role ARN");
        }
        v.ThrowIfInvalid();
        Administrators = props.Administrators;
        BreakGlass = props.BreakGlass;
        ProtectFromDeletion = props.ProtectFromDeletion;
    }

    /// <summary>The governance of <paramref name="scope"/>'s stack, or null when it has none.</summary>
    public static KeyGovernance? Of(IConstruct scope) => TerraformStack.Of(scope).Node.TryFindChild(ConstructId) as KeyGovernance;

    /// <summary>The key policy statements that decide administration, before any service statement. Principals
    /// are the account root with an <c>aws:PrincipalArn</c> condition rather than the roles themselves: KMS
    /// rejects a policy naming a role that does not exist, and a role re-created under the same name keeps its
    /// rights (KMS would otherwise pin the old role's unique id).</summary>
    public static IReadOnlyList<PolicyStatement> Statements(IConstruct scope)
    {
        var root = AwsEnvironment.Of(scope).AccountRootArn;
        var governance = Of(scope);
        if (governance is null || governance.Administrators.Count == 0)
        {
            var statements = new List<PolicyStatement> { new("EnableIamPolicies", ["kms:*"], ["*"], Principals: PolicyDocument.Aws(root)) };
            if (governance is { ProtectFromDeletion: true })
            {
                statements.Add(DenyDeletion(governance));
            }
            return statements;
        }
        return
        [
            new("EnableIamPolicies", UseActions, ["*"], Principals: PolicyDocument.Aws(root)),
            new("AllowKeyAdministrators", AdministrationActions, ["*"], Principals: PolicyDocument.Aws(root),
                Conditions: PolicyDocument.Condition("ArnEquals", "aws:PrincipalArn", [.. governance.Administrators])),
            .. governance.ProtectFromDeletion
                ? new[]
                {
                    DenyDeletion(governance),
                    new PolicyStatement("DenyPolicyChangesExceptAdministrators", ["kms:PutKeyPolicy"], ["*"], Effect: "Deny",
                        Principals: PolicyDocument.Aws("*"),
                        Conditions: PolicyDocument.Condition("ArnNotEquals", "aws:PrincipalArn", [.. governance.Administrators])),
                }
                : [],
        ];
    }

    private static PolicyStatement DenyDeletion(KeyGovernance governance) =>
        new("DenyKeyDeletionExceptBreakGlass", ["kms:ScheduleKeyDeletion"], ["*"], Effect: "Deny",
            Principals: PolicyDocument.Aws("*"),
            Conditions: PolicyDocument.Condition("ArnNotEquals", "aws:PrincipalArn", [.. governance.BreakGlass]));
}
