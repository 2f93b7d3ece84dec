using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>NET (egress): what runs Terraform inside the VPC dials out only where it must.</summary>
public static class EgressRules
{
    public static readonly StackRule AgentEgress = new("NET-004",
        "ECS services (the HCP Terraform agents) have no ingress, and egress to address ranges outside the VPC only on TCP 443",
        Severity.High, Applicability.AllEnvironments,
        "The agents hold every workspace run's credentials; HTTPS to HCP Terraform, registries and AWS APIs is all they need beyond DNS inside the VPC.",
        ctx => ctx.Resources("aws_ecs_service").SelectMany(service =>
        {
            var groups = TfValue.Blocks(service["network_configuration"]).SelectMany(n => ctx.References(n["security_groups"])).Where(g => g.Type == "aws_security_group").ToHashSet();
            var problems = new List<Violation>();
            foreach (var group in groups)
            {
                if (TfValue.Blocks(group["ingress"]).Any() || TfValue.Blocks(group["egress"]).Any())
                {
                    problems.Add(ctx.Violation(group, "has inline ingress/egress blocks: declare each rule as a resource so it can be reviewed"));
                }
                foreach (var rule in ctx.Resources("aws_vpc_security_group_ingress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                {
                    problems.Add(ctx.Violation(rule, $"admits traffic into the agents' group {group.Address}: agents only dial out"));
                }
                foreach (var rule in ctx.Resources("aws_vpc_security_group_egress_rule").Where(r => ctx.RefersTo(r["security_group_id"], group)))
                {
                    var cidr = TfValue.Text(rule["cidr_ipv4"]) ?? TfValue.Text(rule["cidr_ipv6"]);
                    var protocol = TfValue.Text(rule["ip_protocol"]);
                    var https = protocol == "tcp" && TfValue.Number(rule["from_port"]) == 443 && TfValue.Number(rule["to_port"]) == 443;
                    var insideVpc = cidr is not null && !AwsFacts.IsWorld(cidr) && cidr.EndsWith("/32", StringComparison.Ordinal);
                    if (cidr is not null && AwsFacts.IsWorld(cidr) && !https)
                    {
                        problems.Add(ctx.Violation(rule, $"{protocol} {TfValue.Text(rule["from_port"])}-{TfValue.Text(rule["to_port"])} to {cidr}: only TCP 443 may leave for any address"));
                    }
                    else if (cidr is not null && !AwsFacts.IsWorld(cidr) && !insideVpc && !https)
                    {
                        problems.Add(ctx.Violation(rule, $"{protocol} to {cidr}: beyond HTTPS, only single in-VPC addresses (the DNS resolver) are allowed"));
                    }
                }
            }
            return problems;
        }))
    {
        Subjects = ["aws_ecs_service"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [AgentEgress];
}
