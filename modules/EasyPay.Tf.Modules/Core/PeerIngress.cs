using Constructs;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Core;

/// <summary>Ingress between named peers: one TCP port into a security group from another security group, as a rule
/// resource of its own (never a CIDR; policy rules NET-003 and CAC-003 reject those on data services).</summary>
public static class PeerIngress
{
    public static void Allow(Construct scope, string id, SecurityGroupId target, SecurityGroupId source, int port, string description) =>
        _ = new VpcSecurityGroupIngressRule(scope, id, new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = target.Value,
            Description = description,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            ReferencedSecurityGroupId = source.Value,
        });
}
