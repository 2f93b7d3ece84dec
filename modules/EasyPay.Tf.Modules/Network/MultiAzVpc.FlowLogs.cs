using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Security;
using HashiCorp.Cdktf.Providers.Aws.FlowLog;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;

namespace EasyPay.Tf.Modules.Network;

// The VPC's flow logs: every accepted and rejected flow, in one-minute records, to a log group under the
// VPC's own key, delivered by a role only VPC Flow Logs of this account can assume. (Part of MultiAzVpc, not
// a construct of its own, so the resources keep the Terraform addresses they have always had.)
public sealed partial class MultiAzVpc
{
    private string CreateFlowLogs(MultiAzVpcProps props, string vpcId)
    {
        var key = new EncryptionKey(this, "flow-logs-key", new EncryptionKeyProps(
            $"{props.Name}-vpc-flow-logs", $"VPC flow logs of {props.Name}")
        {
            AdditionalStatements = [EncryptionKey.AllowCloudWatchLogs(this, $"/aws/vpc/{props.Name}/flow-logs")],
            DeletionWindowInDays = props.KeyDeletionWindowInDays,
        });
        var group = new LogGroup(this, "flow-logs", new LogGroupProps(
            $"/aws/vpc/{props.Name}/flow-logs", props.FlowLogRetentionDays, key.Arn));

        var role = new IamRole(this, "flow-logs-role", new IamRoleConfig
        {
            Name = $"{props.Name}-vpc-flow-logs",
            Description = "Lets VPC Flow Logs deliver to its log group",
            AssumeRolePolicy = PolicyDocument.Render(new PolicyStatement(
                "VpcFlowLogsAssume", ["sts:AssumeRole"],
                Principals: PolicyDocument.Service("vpc-flow-logs.amazonaws.com"),
                Conditions: PolicyDocument.Condition("StringEquals", "aws:SourceAccount", AwsEnvironment.Of(this).AccountId))),
        });
        new IamRolePolicy(this, "flow-logs-policy", new IamRolePolicyConfig
        {
            Name = "deliver-flow-logs",
            Role = role.Id,
            Policy = PolicyDocument.Render(new PolicyStatement(
                "DeliverToOwnLogGroup",
                ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                [group.Arn, $"{group.Arn}:*"])),
        });
        new FlowLog(this, "flow-log", new FlowLogConfig
        {
            VpcId = vpcId,
            TrafficType = "ALL",
            LogDestinationType = "cloud-watch-logs",
            LogDestination = group.Arn,
            IamRoleArn = role.Arn,
            MaxAggregationInterval = 60, // one-minute records: fast enough to investigate an incident
            Tags = NameTag($"{props.Name}-flow-logs"),
        });
        return group.Name;
    }
}
