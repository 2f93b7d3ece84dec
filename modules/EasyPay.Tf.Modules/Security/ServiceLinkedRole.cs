using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.IamServiceLinkedRole;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Props of <see cref="ServiceLinkedRole"/>.</summary>
/// <param name="AwsServiceName">The service the role is linked to; one of <see cref="ServiceLinkedRole.Known"/>.</param>
public sealed record ServiceLinkedRoleProps(string AwsServiceName)
{
    /// <summary>True: the role already exists in the account (any earlier use of the service creates it), so
    /// only its ARN is exposed; creating it again fails ("has been taken in this account"). @default false</summary>
    public bool AlreadyExists { get; init; }
}

/// <summary>An IAM service-linked role the platform names in its policies before the service would create it
/// on first use. KMS rejects a key policy whose principal does not exist, so a fresh account must have the
/// role before any key policy names it: this construct creates it (or, for an account that has it, only
/// names it) and gives callers its ARN, so the dependency is explicit.</summary>
public sealed class ServiceLinkedRole : Construct
{
    /// <summary>EC2 Auto Scaling launches EKS nodes with it; the node volume key must let it use the key.</summary>
    public const string AutoScaling = "autoscaling.amazonaws.com";

    /// <summary>The services this construct knows, with the name IAM gives their role (IAM user guide,
    /// "AWS services that work with IAM", service-linked role column; EC2 Auto Scaling user guide,
    /// "Service-linked roles for Amazon EC2 Auto Scaling").</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>
    {
        [AutoScaling] = "AWSServiceRoleForAutoScaling",
    };

    /// <summary>The role's ARN: arn:PARTITION:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME; a Terraform token
    /// when this construct creates it, so consumers wait for it.</summary>
    public string Arn { get; }

    public string RoleName { get; }

    public ServiceLinkedRole(Construct scope, string id, ServiceLinkedRoleProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ServiceLinkedRoleProps))
            .Check(Known.ContainsKey(props.AwsServiceName ?? ""), nameof(props.AwsServiceName),
                $"'{props.AwsServiceName}' is not one of {string.Join(", ", Known.Keys)}; add it to ServiceLinkedRole.Known with its role name")
            .ThrowIfInvalid();

        RoleName = Known[props.AwsServiceName!];
        // The stack's account: the role's ARN is known at synth time.
        var arn = AwsEnvironment.Of(this).Arn("iam", $"role/aws-service-role/{props.AwsServiceName}/{RoleName}", region: "");
        if (props.AlreadyExists)
        {
            Arn = arn;
            return;
        }
        var role = new IamServiceLinkedRole(this, "role", new IamServiceLinkedRoleConfig
        {
            AwsServiceName = props.AwsServiceName!,
            Description = $"Created by EasyPay.Tf before any key policy names it ({props.AwsServiceName})",
        });
        Arn = role.Arn;
    }
}
