using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcEndpoint;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Network;

// The VPC's endpoints: the free S3 gateway endpoint on every private and data route table, and optional
// interface endpoints in the private subnets behind a security group that admits HTTPS from the VPC only.
// (Part of MultiAzVpc, not a construct of its own, so the resources keep their Terraform addresses.)
public sealed partial class MultiAzVpc
{
    /// <returns>The interface endpoints' security group, or null without interface endpoints.</returns>
    private string? CreateEndpoints(MultiAzVpcProps props, string vpcId, IReadOnlyList<string> routeTableIds, IReadOnlyList<string> privateSubnetIds)
    {
        // S3 gateway endpoint: free, and keeps ECR layer downloads and backups off the NAT gateways.
        new VpcEndpoint(this, "s3-endpoint", new VpcEndpointConfig
        {
            VpcId = vpcId,
            ServiceName = $"com.amazonaws.{AwsEnvironment.Of(this).Region}.s3",
            VpcEndpointType = "Gateway",
            RouteTableIds = [.. routeTableIds],
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
                    ServiceName = $"com.amazonaws.{AwsEnvironment.Of(this).Region}.{service}",
                    VpcEndpointType = "Interface",
                    PrivateDnsEnabled = true,
                    SubnetIds = [.. privateSubnetIds],
                    SecurityGroupIds = [sg.Id],
                    Tags = NameTag($"{props.Name}-{service}"),
                });
            }
            return sg.Id;
        }
        return null;
    }
}
