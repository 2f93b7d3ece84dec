using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Backup;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Backup;

public class ScheduledBackupTests
{
    private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:easypay-test";

    private static ScheduledBackupProps Props() =>
        new("easypay-test-database", [ClusterArn], 14);

    private static JsonObject Synth(ScheduledBackupProps props) =>
        ConstructSynth.Stack((stack, _) => new ScheduledBackup(stack, "backup", props));

    [Fact]
    public void Backs_up_every_6_hours_into_a_kms_encrypted_vault_and_expires_recovery_points()
    {
        var json = Synth(Props());
        var rule = json.Single("aws_backup_plan")["rule"]![0]!;
        rule.Str("schedule").ShouldBe("cron(0 */6 * * ? *)");
        rule.Str("lifecycle.delete_after").ShouldBe("14");
        rule.Str("copy_action").ShouldBeNull();
        json.Single("aws_backup_vault").Str("kms_key_arn").ShouldBe($"${{aws_kms_key.{json.Resources("aws_kms_key").Single().Name}.arn}}");
        json.Single("aws_backup_selection")["resources"].Strings().ShouldBe([ClusterArn]);
        json.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn")).ShouldBe(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            ignoreOrder: true);
    }

    [Fact]
    public void A_copy_region_gets_its_own_vault_and_key_there_through_the_per_resource_region()
    {
        var json = Synth(Props() with { CopyToRegion = "eu-central-1" });
        // One provider: provider 6's top-level region argument (enhanced region support guide) places the copy.
        json["provider"]!["aws"]!.AsArray().Count.ShouldBe(1);

        var copyResources = json.AllResources().Where(r => r.Body.Str("region") == "eu-central-1").Select(r => r.Type).ToList();
        copyResources.ShouldBe(["aws_backup_vault", "aws_kms_alias", "aws_kms_key"], ignoreOrder: true);
        json.AllResources().ShouldAllBe(r => r.Body["provider"] == null);
        var copyVault = json.Resources("aws_backup_vault").Single(v => v.Body.Str("region") == "eu-central-1");
        json.Single("aws_backup_plan").Str("rule.0.copy_action.0.destination_vault_arn").ShouldBe($"${{aws_backup_vault.{copyVault.Name}.arn}}");
        json.Single("aws_backup_plan").Str("rule.0.copy_action.0.lifecycle.delete_after").ShouldBe("14");
    }

    [Fact]
    public void Without_deletion_protection_the_vault_destroys_with_its_recovery_points()
    {
        var json = Synth(Props() with { DeletionProtection = false });
        json.Single("aws_backup_vault").Str("force_destroy").ShouldBe("true");
        json.Single("aws_backup_vault")["lifecycle"].ShouldBeNull();
        json.Single("aws_kms_key")["lifecycle"].ShouldBeNull();
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new ScheduledBackupProps("easypay test", [], 0)
        {
            Schedule = "every 6 hours",
            CompletionWindowMinutes = 90,
            CopyToRegion = ConstructSynth.Region,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("ScheduledBackupProps.Name: 'easypay test' is not a backup name");
        message.ShouldContain("ScheduledBackupProps.ResourceArns: is empty");
        message.ShouldContain("ScheduledBackupProps.RetentionDays: 0 keeps nothing");
        message.ShouldContain("ScheduledBackupProps.Schedule: 'every 6 hours' is not a schedule expression");
        message.ShouldContain("ScheduledBackupProps.CompletionWindowMinutes: 90 must be at least 60 minutes longer than StartWindowMinutes (60)");
        message.ShouldContain("ScheduledBackupProps.CopyToRegion: 'eu-west-1' must be a region name other than the stack's region eu-west-1");
    }
}
