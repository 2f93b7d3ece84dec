using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.IamRole;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Props of <see cref="ServiceRole"/>.</summary>
/// <param name="Name">Role name, e.g. easypay-prod-rds-monitoring.</param>
/// <param name="Service">The service principal allowed to assume it, e.g. rds.amazonaws.com.</param>
internal sealed record ServiceRoleProps(string Name, string Description, string Service)
{
    /// <summary>Only the stack's account's resources may make the service assume the role (aws:SourceAccount,
    /// confused-deputy protection); turn off for services that do not send aws:SourceAccount. @default true</summary>
    public bool RestrictToSourceAccount { get; init; } = true;

    /// <summary>AWS managed policies to attach, by ARN. @default none</summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];

    /// <summary>An inline policy scoped to this role's resources. @default none</summary>
    public IReadOnlyList<PolicyStatement> InlineStatements { get; init; } = [];
}

/// <summary>An IAM role that one AWS service assumes, with its managed and inline policies (the enhanced
/// monitoring, RDS Proxy and AWS Backup roles).</summary>
internal sealed class ServiceRole : Construct
{
    public string Arn { get; }
    public string Name { get; }

    /// <summary>The inline policy, when there is one: what a service that starts using the role right away
    /// (an ECS service launching tasks) must wait for, so it never runs with the role's trust but not yet its
    /// permissions.</summary>
    public ITerraformDependable? InlinePolicy { get; }

    public ServiceRole(Construct scope, string id, ServiceRoleProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ServiceRoleProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .Check(props.Service?.EndsWith(".amazonaws.com", StringComparison.Ordinal) == true, nameof(props.Service), $"'{props.Service}' is not a service principal such as rds.amazonaws.com")
            .ThrowIfInvalid();

        var role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = props.Name,
            Description = props.Description,
            AssumeRolePolicy = PolicyDocument.Render(new PolicyStatement(
                "ServiceAssume", ["sts:AssumeRole"],
                Principals: PolicyDocument.Service(props.Service!),
                Conditions: props.RestrictToSourceAccount
                    ? PolicyDocument.Condition("StringEquals", "aws:SourceAccount", AwsEnvironment.Of(this).AccountId)
                    : null)),
        });
        InlinePolicy = RolePolicies.Attach(this, role, props.Name!, props.ManagedPolicyArns, props.InlineStatements);
        Arn = role.Arn;
        Name = role.Name;
    }
}
