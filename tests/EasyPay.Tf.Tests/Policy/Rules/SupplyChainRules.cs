using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>SUP: what runs is what was reviewed: images cannot be re-pointed and are scanned.</summary>
public static class SupplyChainRules
{
    public static readonly StackRule ImageRepositories = new("SUP-001",
        "ECR repositories have immutable tags, scan on push and a customer-managed KMS key",
        Severity.High, Applicability.AllEnvironments,
        "A mutable tag lets anyone with push rights change what a deployed tag runs; scanning and a CMK make every image reviewed and every pull auditable.",
        ctx => ctx.Resources("aws_ecr_repository").SelectMany(repo =>
        {
            var encryption = TfValue.Block(repo["encryption_configuration"]);
            return ctx.Violations(repo,
                (TfValue.Text(repo["image_tag_mutability"]) != "IMMUTABLE", "image_tag_mutability is not IMMUTABLE"),
                (!TfValue.IsTrue(TfValue.Block(repo["image_scanning_configuration"])?["scan_on_push"]), "image_scanning_configuration.scan_on_push is not true"),
                (TfValue.Text(encryption?["encryption_type"]) != "KMS" || !AwsFacts.IsCustomerManagedKey(encryption?["kms_key"]), "encryption_configuration is not KMS with a customer-managed key"));
        }))
    {
        Subjects = ["aws_ecr_repository"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [ImageRepositories];
}
