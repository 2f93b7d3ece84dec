using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>NET: network segmentation through security groups.</summary>
public static class NetworkRules
{
    private static readonly double[] WebPorts = [80, 443];

    public static readonly StackRule WorldIngress = new("NET-001",
        "No ingress from 0.0.0.0/0 or ::/0, except TCP 80/443 to an application load balancer's security group",
        Severity.Critical, Applicability.AllEnvironments,
        "Only the ALB faces the internet; everything else is reached through it or from named peers.",
        ctx =>
        {
            var albGroups = AwsFacts.LoadBalancerSecurityGroups(ctx);
            return AwsFacts.Ingress(ctx)
                .Where(p => p.FromAnywhere)
                .Where(p => !(p.IsTcp && p.FromPort == p.ToPort && WebPorts.Contains(p.FromPort ?? -1)
                    && p.SecurityGroup is not null && albGroups.Contains(p.SecurityGroup)))
                .Select(p => ctx.Violation(p.Declaration, p.SecurityGroup is not null && albGroups.Contains(p.SecurityGroup)
                    ? $"opens {p.Protocol} {p.Ports} of the ALB to {string.Join(", ", p.Cidrs.Where(AwsFacts.IsWorld))}: only TCP 80 and 443 may face the internet"
                    : $"opens {p.Protocol} {p.Ports} to {string.Join(", ", p.Cidrs.Where(AwsFacts.IsWorld))} on a security group that no application load balancer uses: restrict the source"));
        })
    {
        Subjects = AwsFacts.SecurityGroupTypes,
    };

    public static readonly StackRule AllProtocols = new("NET-002",
        "No all-protocols (-1) ingress from address ranges; only from a named security group",
        Severity.High, Applicability.AllEnvironments,
        "Protocol -1 opens every port; acceptable only between named peers (node-to-node, which EKS needs for DNS, webhooks and pod traffic).",
        ctx => AwsFacts.Ingress(ctx)
            .Where(p => p.AllProtocols && (p.Cidrs.Count > 0 || p.FromPrefixList || !p.FromPeerGroup))
            .Select(p => ctx.Violation(p.Declaration,
                $"allows all protocols from {(p.Cidrs.Count > 0 ? string.Join(", ", p.Cidrs) : p.FromPrefixList ? "a prefix list" : "an unnamed source")}: name the protocol and ports, or use referenced_security_group_id")))
    {
        Subjects = AwsFacts.SecurityGroupTypes,
    };

    public static readonly StackRule DatabaseIngress = new("NET-003",
        "Databases are reachable only from named security groups and are never publicly accessible",
        Severity.Critical, Applicability.AllEnvironments,
        "The database answers its proxies, and the proxies the cluster's nodes/pods; a CIDR rule would admit anything in that range.",
        ctx =>
        {
            var databaseGroups = AwsFacts.DatabaseSecurityGroups(ctx);
            var ingress = AwsFacts.Ingress(ctx)
                .Where(p => p.SecurityGroup is not null && databaseGroups.Contains(p.SecurityGroup))
                .Where(p => p.Cidrs.Count > 0 || p.FromPrefixList || !p.FromPeerGroup)
                .Select(p => ctx.Violation(p.Declaration,
                    $"admits {p.Protocol} {p.Ports} to database security group {p.SecurityGroup!.Address} from {(p.Cidrs.Count > 0 ? string.Join(", ", p.Cidrs) : "a non-group source")}: use referenced_security_group_id"));
            var exposed = ctx.Resources("aws_db_instance", "aws_rds_cluster_instance")
                .Where(db => TfValue.IsTrue(db["publicly_accessible"]))
                .Select(db => ctx.Violation(db, "publicly_accessible is true: databases live in the isolated data subnets only"));
            return ingress.Concat(exposed);
        })
    {
        Subjects = ["aws_rds_cluster", "aws_db_instance", "aws_db_proxy", "aws_rds_cluster_instance"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [WorldIngress, AllProtocols, DatabaseIngress];
}
