using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>PRT: production cannot be destroyed by accident; non-production can be torn down cheaply.</summary>
public static class ProtectionRules
{
    /// <summary>The longest KMS deletion window: 30 days to notice and cancel a scheduled key deletion.</summary>
    public const int ProductionKeyDeletionWindowDays = 30;

    public static readonly StackRule ProductionDatabases = new("PRT-001",
        "Production databases: deletion protection on, final snapshot taken, lifecycle prevent_destroy",
        Severity.Critical, Applicability.ProductionOnly,
        "Deleting the payment database must take several deliberate steps and still leave a snapshot.",
        ctx => ctx.Resources("aws_rds_cluster", "aws_db_instance").SelectMany(db => ctx.Violations(db,
            (!TfValue.IsTrue(db["deletion_protection"]), "deletion_protection is not true"),
            (TfValue.IsTrue(db["skip_final_snapshot"]), "skip_final_snapshot is true: destroying it would leave no snapshot"),
            (!TfValue.IsSet(db["final_snapshot_identifier"]), "final_snapshot_identifier is not set (Terraform refuses to destroy without one, or the snapshot is lost)"),
            (!TfValue.IsTrue(TfValue.Block(db["lifecycle"])?["prevent_destroy"]), "lifecycle.prevent_destroy is not true"))))
    {
        Subjects = ["aws_rds_cluster", "aws_db_instance"],
    };

    public static readonly StackRule NonProductionDestroyable = new("PRT-002",
        "Non-production databases and load balancers: no deletion protection, no final snapshot",
        Severity.Medium, Applicability.NonProduction,
        "Dev and staging are rebuilt often; protection there only leaves orphaned, billed resources behind.",
        ctx => ctx.Resources("aws_rds_cluster", "aws_db_instance").SelectMany(db => ctx.Violations(db,
                (TfValue.IsTrue(db["deletion_protection"]), "deletion_protection is true outside production"),
                (!TfValue.IsTrue(db["skip_final_snapshot"]), "skip_final_snapshot is not true outside production: every destroy leaves a billed snapshot"),
                (TfValue.IsTrue(TfValue.Block(db["lifecycle"])?["prevent_destroy"]), "lifecycle.prevent_destroy blocks terraform destroy outside production")))
            .Concat(ctx.Resources("aws_lb", "aws_alb")
                .Where(lb => TfValue.IsTrue(lb["enable_deletion_protection"]))
                .Select(lb => ctx.Violation(lb, "enable_deletion_protection is true outside production"))))
    {
        Subjects = ["aws_rds_cluster", "aws_db_instance", "aws_lb", "aws_alb"],
    };

    public static readonly StackRule ProductionEdgeAndStorage = new("PRT-003",
        "Production load balancers have deletion protection; production buckets are never force-destroyed",
        Severity.High, Applicability.ProductionOnly,
        "Losing the ALB takes payments offline; force_destroy empties a bucket of backups and logs on destroy.",
        ctx => ctx.Resources("aws_lb", "aws_alb")
                .Where(lb => !TfValue.IsTrue(lb["enable_deletion_protection"]))
                .Select(lb => ctx.Violation(lb, "enable_deletion_protection is not true"))
            .Concat(ctx.Resources("aws_s3_bucket")
                .Where(b => TfValue.IsTrue(b["force_destroy"]))
                .Select(b => ctx.Violation(b, "force_destroy is true in production"))))
    {
        Subjects = ["aws_lb", "aws_alb", "aws_s3_bucket"],
    };

    public static readonly StackRule ProductionKeyDeletionWindow = new("PRT-004",
        "Production KMS keys have the 30-day deletion window",
        Severity.Medium, Applicability.ProductionOnly,
        "A key scheduled for deletion takes all data encrypted with it; 30 days leaves time to cancel.",
        ctx => ctx.Resources("aws_kms_key")
            .Select(k => (Key: k, Days: TfValue.Number(k["deletion_window_in_days"]) ?? ProductionKeyDeletionWindowDays)) // AWS default: 30
            .Where(k => k.Days < ProductionKeyDeletionWindowDays)
            .Select(k => ctx.Violation(k.Key, $"deletion_window_in_days is {k.Days}; production uses {ProductionKeyDeletionWindowDays}")))
    {
        Subjects = ["aws_kms_key"],
    };

    public static IReadOnlyList<StackRule> All { get; } = [ProductionDatabases, NonProductionDestroyable, ProductionEdgeAndStorage, ProductionKeyDeletionWindow];
}
