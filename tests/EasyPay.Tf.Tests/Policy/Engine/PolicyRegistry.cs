using EasyPay.Tf.Tests.Policy.Rules;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>Every policy rule of the suite. A rule that is not listed here is not run, documented or reported.</summary>
public static class PolicyRegistry
{
    // Declared first: static fields initialize in order, and All sorts by it.
    private static readonly string[] Families = ["ENC", "KMS", "NET", "CAC", "EDG", "IAM", "SEC", "SUP", "AUD", "EKS", "AVL", "PRT", "BKP", "OBS", "HYG"];

    public static IReadOnlyList<StackRule> StackRules { get; } =
    [
        .. EncryptionRules.All,
        .. KeyRules.All,
        .. NetworkRules.All,
        .. CacheRules.All,
        .. EdgeRules.All,
        .. EgressRules.All,
        .. SegmentationRules.All,
        .. IdentityRules.All,
        .. DataAccessRules.StackRules,
        .. SupplyChainRules.All,
        .. AuditRules.All,
        .. SecretRules.All,
        .. KubernetesRules.All,
        .. AvailabilityRules.All,
        .. ProtectionRules.All,
        .. BackupRules.All,
        .. ObservabilityRules.All,
        .. HygieneRules.All,
        .. LeastPrivilegeRules.StackAll,
    ];

    public static IReadOnlyList<ChartRule> ChartRules { get; } = [.. Rules.ChartRules.All, .. DataAccessRules.ChartRules, .. EgressRules.ChartAll, .. SegmentationRules.ChartAll, .. LeastPrivilegeRules.ChartAll];

    /// <summary>All rules, ordered by family as in the docs table.</summary>
    public static IReadOnlyList<PolicyRule> All { get; } =
        [.. StackRules.Cast<PolicyRule>().Concat(ChartRules).OrderBy(r => FamilyOrder(r.Id)).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public static PolicyRule Get(string id) =>
        All.SingleOrDefault(r => r.Id == id) ?? throw new KeyNotFoundException($"No policy rule {id}; known: {string.Join(", ", All.Select(r => r.Id))}");

    private static int FamilyOrder(string id) => Array.IndexOf(Families, id.Split('-')[0]) is var i and >= 0 ? i : Families.Length;
}
