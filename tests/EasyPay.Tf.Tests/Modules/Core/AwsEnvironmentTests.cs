using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Tests.Support;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Modules.Core;

public class AwsEnvironmentTests
{
    [Fact]
    public void Any_construct_finds_the_environment_of_its_own_stack()
    {
        AwsEnvironment? found = null;
        AwsEnvironment? created = null;
        ConstructSynth.Stack((stack, aws) =>
        {
            created = aws;
            found = AwsEnvironment.Of(new Construct(new Construct(stack, "outer"), "inner"));
        });
        found.ShouldBeSameAs(created);
        (found!.Region, found.AccountId, found.Partition).ShouldBe((ConstructSynth.Region, ConstructSynth.AccountId, "aws"));
    }

    [Fact]
    public void Arns_use_the_environments_partition_region_and_account()
    {
        var aws = ConstructSynth.Environment(new AwsEnvironmentProps("cn-north-1", "210987654321", new Dictionary<string, string>()) { Partition = "aws-cn" });
        aws.Arn("logs", "log-group:*").ShouldBe("arn:aws-cn:logs:cn-north-1:210987654321:log-group:*");
        aws.Arn("iam", "role/x", region: "").ShouldBe("arn:aws-cn:iam::210987654321:role/x");
        aws.ManagedPolicyArn("AmazonEKSClusterPolicy").ShouldBe("arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy");
        aws.AccountRootArn.ShouldBe("arn:aws-cn:iam::210987654321:root");
    }

    [Fact]
    public void A_stack_without_an_environment_is_an_error_that_says_what_to_create()
    {
        var stack = new TerraformStack(Testing.App(new TestingAppConfig { StackTraces = false }), "bare");
        var message = Should.Throw<InvalidOperationException>(() => AwsEnvironment.Of(new Construct(stack, "vpc"))).Message;
        message.ShouldContain("Stack 'bare' has no AwsEnvironment");
        message.ShouldContain("bare/vpc");
    }

    [Fact]
    public void Region_and_account_are_validated_together()
    {
        var stack = new TerraformStack(Testing.App(new TestingAppConfig { StackTraces = false }), "bad");
        var message = Should.Throw<ArgumentException>(() => new AwsEnvironment(stack, new AwsEnvironmentProps("Ireland", "42", new Dictionary<string, string>()))).Message;
        message.ShouldContain("AwsEnvironmentProps.Region: 'Ireland' is not an AWS region name");
        message.ShouldContain("AwsEnvironmentProps.AccountId: '42' is not a 12-digit AWS account id");
    }
}
