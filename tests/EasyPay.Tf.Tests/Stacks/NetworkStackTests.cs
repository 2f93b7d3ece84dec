using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>The network stack's endpoints as the app's egress policy relies on them.</summary>
public class NetworkStackTests
{
    public static TheoryData<string> Environments => ["dev", "staging", "prod"];

    /// <summary>Service name com.amazonaws.REGION.sts and its private DNS name sts.REGION.amazonaws.com: AWS PrivateLink,
    /// "AWS services that integrate with AWS PrivateLink" and IAM User Guide, "Create a VPC endpoint for AWS STS"
    /// (regional requests only: the global sts.amazonaws.com is not served, and EKS 1.22+ injects regional
    /// AWS_STS_REGIONAL_ENDPOINTS into IRSA pods, EKS User Guide "Configure the AWS STS endpoint for a service account").</summary>
    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_environment_serves_sts_from_an_interface_endpoint_in_the_private_subnets(string environment)
    {
        var env = TestEnvironments.Repository(environment);
        var json = SynthesizedApp.Repository.Stack($"{environment}-network");
        var sts = json.Resources("aws_vpc_endpoint").Select(e => e.Body)
            .Where(e => e.Str("service_name") == $"com.amazonaws.{env.Region}.sts").ShouldHaveSingleItem();
        sts.Str("vpc_endpoint_type").ShouldBe("Interface");
        // Private DNS: the SDK's regional hostname resolves to the endpoint's addresses inside the VPC
        // (needs enableDnsSupport and enableDnsHostnames, which the VPC sets).
        sts.Str("private_dns_enabled").ShouldBe("true");
        var privateSubnets = json.Resources("aws_subnet").Where(s => s.Body.Str("tags.Tier") == "private").Select(s => $"${{aws_subnet.{s.Name}.id}}").ToList();
        sts["subnet_ids"].Strings().ShouldBe(privateSubnets, ignoreOrder: true);
        privateSubnets.Count.ShouldBe(env.AvailabilityZones.Count);
        var vpc = json.Resources("aws_vpc").ShouldHaveSingleItem().Body;
        (vpc.Str("enable_dns_support"), vpc.Str("enable_dns_hostnames")).ShouldBe(("true", "true"));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_node_endpoints_follow_network_interface_endpoints(string environment)
    {
        var env = TestEnvironments.Repository(environment);
        var services = SynthesizedApp.Repository.Stack($"{environment}-network").Resources("aws_vpc_endpoint")
            .Where(e => e.Body.Str("vpc_endpoint_type") == "Interface").Select(e => e.Body.Str("service_name")!.Split('.', 4)[3]).ToList();
        services.ShouldBe(env.Network.InterfaceEndpoints ? MultiAzVpcProps.DefaultInterfaceEndpointServices : PlatformContract.AppAwsServices, ignoreOrder: true);
        MultiAzVpcProps.DefaultInterfaceEndpointServices.ShouldContain("sts");
    }
}
