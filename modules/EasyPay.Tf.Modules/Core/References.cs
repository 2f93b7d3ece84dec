namespace EasyPay.Tf.Modules.Core;

/// <summary>The name (not the ARN) of an IAM role: what role-scoped IAM APIs such as PutRolePolicy take. A
/// method taking one cannot be handed an ARN or a policy name by mistake. May be a Terraform token.</summary>
public readonly record struct IamRoleName(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The id of a VPC security group (sg-..., or a Terraform token): the source or target of a rule.</summary>
public readonly record struct SecurityGroupId(string Value)
{
    public override string ToString() => Value;
}
