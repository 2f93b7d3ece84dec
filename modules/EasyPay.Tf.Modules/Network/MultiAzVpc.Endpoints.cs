using System.Text.Encodings.Web;
using System.Text.Json;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcEndpoint;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Network;

// The VPC's endpoints: the free S3 gateway endpoint on every private and data route table, and optional
// interface endpoints in the private subnets behind a security group that admits HTTPS from the VPC only.
// Every endpoint carries a policy that admits only this account's principals (and, for S3, only this
// account's buckets plus the AWS-owned layer buckets image pulls need), so a pod with stolen credentials of
// another account cannot use them, and no pod can write to a bucket of another account through the VPC.
// (Part of MultiAzVpc, not a construct of its own, so the resources keep their Terraform addresses.)
public sealed partial class MultiAzVpc
{
    /// <summary>ECR serves image layers from this AWS-owned bucket of the region, through the S3 gateway endpoint
    /// (Amazon ECR user guide, "Amazon ECR interface VPC endpoints", minimum Amazon S3 bucket permissions:
    /// s3:GetObject on arn:aws:s3:::prod-REGION-starport-layer-bucket/*). The download URL is presigned by ECR, so
    /// the request's principal is not one of this account.</summary>
    public static string EcrLayerBucket(string region) => $"prod-{region}-starport-layer-bucket";

    /// <summary>registry.k8s.io redirects clients on AWS addresses (the NAT gateways') to a bucket of their region,
    /// anonymous GETs (kubernetes/registry.k8s.io cmd/archeio/internal/app/buckets.go, awsRegionToHostURL):
    /// prod-registry-k8s-io-REGION, except eu-west-2. metrics-server and cluster-autoscaler come from there.</summary>
    public static string KubernetesRegistryBucket(string region) => region == "eu-west-2"
        ? "767373bbdcb8270361b96548387bf2a9ad0d48758c35-eu-west-2"
        : $"prod-registry-k8s-io-{region}";

    /// <returns>The interface endpoints' security group, or null without interface endpoints.</returns>
    private (string? EndpointSecurityGroupId, string S3PrefixListId) CreateEndpoints(MultiAzVpcProps props, string vpcId, IReadOnlyList<string> routeTableIds, IReadOnlyList<string> privateSubnetIds)
    {
        var aws = AwsEnvironment.Of(this);
        // S3 gateway endpoint: free, and keeps ECR layer downloads and backups off the NAT gateways.
        var s3 = new VpcEndpoint(this, "s3-endpoint", new VpcEndpointConfig
        {
            VpcId = vpcId,
            ServiceName = $"com.amazonaws.{aws.Region}.s3",
            VpcEndpointType = "Gateway",
            RouteTableIds = [.. routeTableIds],
            Policy = EndpointPolicy(S3EndpointStatements(aws)),
            Tags = NameTag($"{props.Name}-s3"),
        });

        if (props.InterfaceEndpoints)
        {
            var sg = new SecurityGroup(this, "endpoints-sg", new SecurityGroupConfig
            {
                Name = $"{props.Name}-vpc-endpoints",
                Description = "Interface VPC endpoints: HTTPS from inside the VPC only",
                VpcId = vpcId,
                Tags = NameTag($"{props.Name}-vpc-endpoints"),
            });
            new VpcSecurityGroupIngressRule(this, "endpoints-https", new VpcSecurityGroupIngressRuleConfig
            {
                SecurityGroupId = sg.Id,
                Description = "HTTPS from the VPC",
                IpProtocol = "tcp",
                FromPort = 443,
                ToPort = 443,
                CidrIpv4 = props.Cidr,
            });
            foreach (var service in props.InterfaceEndpointServices)
            {
                new VpcEndpoint(this, $"endpoint-{service.Replace('.', '-')}", new VpcEndpointConfig
                {
                    VpcId = vpcId,
                    ServiceName = $"com.amazonaws.{aws.Region}.{service}",
                    VpcEndpointType = "Interface",
                    PrivateDnsEnabled = true,
                    SubnetIds = [.. privateSubnetIds],
                    SecurityGroupIds = [sg.Id],
                    Policy = EndpointPolicy(InterfaceEndpointStatements(aws, service)),
                    Tags = NameTag($"{props.Name}-{service}"),
                });
            }
            return (sg.Id, s3.PrefixListId);
        }
        return (null, s3.PrefixListId);
    }

    /// <summary>The S3 gateway endpoint's policy: this account's principals on this account's buckets (aws:ResourceAccount,
    /// which S3 sets for bucket and object requests), and reads of the two AWS-side layer buckets image pulls are
    /// redirected to. Nothing else: a pod cannot copy data to a bucket of another account, even with that account's keys.</summary>
    public static IReadOnlyList<EndpointStatement> S3EndpointStatements(AwsEnvironment aws) =>
    [
        OwnAccount(aws, "OwnAccountBuckets", resourceAccount: true),
        new("EcrImageLayers", ["s3:GetObject"], [$"arn:{aws.Partition}:s3:::{EcrLayerBucket(aws.Region)}/*"]),
        new("KubernetesRegistryImageLayers", ["s3:GetObject"], [$"arn:{aws.Partition}:s3:::{KubernetesRegistryBucket(aws.Region)}/*"]),
    ];

    /// <summary>An interface endpoint's policy: this account's principals only (aws:PrincipalAccount is in the context of
    /// every SigV4-signed request). STS also serves AssumeRoleWithWebIdentity, whose caller is a token, not a principal
    /// (IAM user guide, "Control access to AWS STS with VPC endpoint policies": federated callers have no
    /// aws:PrincipalAccount), so it may be called for this account's roles only (IRSA, HCP Terraform runs).</summary>
    public static IReadOnlyList<EndpointStatement> InterfaceEndpointStatements(AwsEnvironment aws, string service) => service == "sts"
        ? [OwnAccount(aws, "OwnAccountPrincipals", resourceAccount: false), new("WebIdentityToOwnRoles", ["sts:AssumeRoleWithWebIdentity"], [$"arn:{aws.Partition}:iam::{aws.AccountId}:role/*"])]
        : [OwnAccount(aws, "OwnAccountPrincipals", resourceAccount: false)];

    private static EndpointStatement OwnAccount(AwsEnvironment aws, string sid, bool resourceAccount) =>
        new(sid, ["*"], ["*"])
        {
            Conditions = resourceAccount
                ? new Dictionary<string, string> { ["aws:PrincipalAccount"] = aws.AccountId, ["aws:ResourceAccount"] = aws.AccountId }
                : new Dictionary<string, string> { ["aws:PrincipalAccount"] = aws.AccountId },
        };

    private static readonly JsonSerializerOptions PolicyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Renders an endpoint policy. Endpoint policies must name a principal (AWS PrivateLink guide, "Control
    /// access to VPC endpoints using endpoint policies"); "*" with conditions or exact resources is the documented form,
    /// since the endpoint cannot know every principal of the account up front.</summary>
    public static string EndpointPolicy(IReadOnlyList<EndpointStatement> statements) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = statements.Select(s =>
        {
            var json = new Dictionary<string, object>
            {
                ["Sid"] = s.Sid,
                ["Effect"] = "Allow",
                ["Principal"] = "*",
                ["Action"] = s.Actions.Count == 1 ? s.Actions[0] : s.Actions,
                ["Resource"] = s.Resources.Count == 1 ? s.Resources[0] : s.Resources,
            };
            if (s.Conditions.Count > 0)
            {
                json["Condition"] = new Dictionary<string, object> { ["StringEquals"] = s.Conditions };
            }
            return json;
        }).ToList(),
    }, PolicyJson);
}

/// <summary>One Allow statement of a VPC endpoint policy (principal "*", narrowed by <see cref="Conditions"/>, StringEquals).</summary>
public sealed record EndpointStatement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources)
{
    /// <summary>Condition key to the value it must equal. @default none</summary>
    public IReadOnlyDictionary<string, string> Conditions { get; init; } = new Dictionary<string, string>();
}
