using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>CAC: the ElastiCache tier holds sessions and rate limits of a payment service: encrypted, authenticated,
/// highly available in production, reachable from named peers only.</summary>
public static class CacheRules
{
    public const string GroupType = "aws_elasticache_replication_group";

    public static readonly StackRule EncryptedAndAuthenticated = new("CAC-001",
        "Every ElastiCache replication group encrypts at rest with a customer-managed key, requires TLS, and authenticates through a user group (no AUTH token)",
        Severity.Critical, Applicability.AllEnvironments,
        "Cached sessions and payment state are cardholder-adjacent data (PCI DSS 3.5, 4.2); an AUTH token is a shared password some pod holds, a user group gives the backend its own IAM-authenticated user.",
        ctx => ctx.Resources(GroupType).SelectMany(group => ctx.Violations(group,
            (!TfValue.IsTrue(group["at_rest_encryption_enabled"]), "at_rest_encryption_enabled is not true"),
            (!AwsFacts.IsCustomerManagedKey(group["kms_key_id"]), "kms_key_id is not a customer-managed key: the data and its snapshots would be under the AWS-managed key"),
            // transit_encryption_mode "preferred" accepts plain-text clients (provider: preferred | required).
            (!TfValue.IsTrue(group["transit_encryption_enabled"]) || TfValue.Text(group["transit_encryption_mode"]) is not (null or "required"),
                "TLS is not required (transit_encryption_enabled true, transit_encryption_mode required): clients could connect in plain text"),
            (TfValue.IsSet(group["auth_token"]), "auth_token is set: a shared password instead of per-user authentication"),
            (TfValue.List(group["user_group_ids"]).Count == 0, "no user_group_ids: without a user group ElastiCache's default user (no password, every command) answers anyone who reaches the port"))))
    {
        Subjects = [GroupType],
    };

    public static readonly StackRule ProductionMultiAz = new("CAC-002",
        "Production caches run Multi-AZ with automatic failover, a replica in another AZ, and daily snapshots kept 7 days or more",
        Severity.High, Applicability.ProductionOnly,
        "A single cache node is a single point of failure: its loss empties sessions and rate limits; ElastiCache promotes a replica only with Multi-AZ on.",
        ctx => ctx.Resources(GroupType).SelectMany(group =>
        {
            var azs = TfValue.List(group["preferred_cache_cluster_azs"]);
            return ctx.Violations(group,
                (!TfValue.IsTrue(group["multi_az_enabled"]) || !TfValue.IsTrue(group["automatic_failover_enabled"]), "multi_az_enabled and automatic_failover_enabled are not both true"),
                ((TfValue.Number(group["num_cache_clusters"]) ?? 1) < 2, "fewer than 2 nodes: there is no replica to fail over to"),
                (azs.Distinct().Count() < 2, "the nodes are not placed in two AZs or more (preferred_cache_cluster_azs)"),
                ((TfValue.Number(group["snapshot_retention_limit"]) ?? 0) < 7, "snapshot_retention_limit is below 7 days"));
        }))
    {
        Subjects = [GroupType],
    };

    public static readonly StackRule NamedPeersOnly = new("CAC-003",
        "Caches are reachable only from named security groups: no CIDR, prefix list or world rule on a cache's security group",
        Severity.Critical, Applicability.AllEnvironments,
        "Only the EKS nodes (and through the cluster's network policies only the backend) talk to the cache; a CIDR rule would admit anything in the range, 0.0.0.0/0 the internet's reach of any path.",
        ctx =>
        {
            var cacheGroups = ctx.Resources(GroupType).SelectMany(g => ctx.References(g["security_group_ids"]))
                .Where(r => r.Type is "aws_security_group" or "aws_default_security_group").ToHashSet();
            return AwsFacts.Ingress(ctx)
                .Where(p => p.SecurityGroup is not null && cacheGroups.Contains(p.SecurityGroup))
                .Where(p => p.Cidrs.Count > 0 || p.FromPrefixList || !p.FromPeerGroup)
                .Select(p => ctx.Violation(p.Declaration,
                    $"admits {p.Protocol} {p.Ports} to cache security group {p.SecurityGroup!.Address} from {(p.Cidrs.Count > 0 ? string.Join(", ", p.Cidrs) : "a non-group source")}: use referenced_security_group_id"));
        })
    {
        Subjects = [GroupType],
    };

    public static IReadOnlyList<StackRule> All { get; } = [EncryptedAndAuthenticated, ProductionMultiAz, NamedPeersOnly];
}
