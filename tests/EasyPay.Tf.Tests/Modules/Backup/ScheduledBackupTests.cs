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
    public void Backs_up_every_3_hours_into_a_kms_encrypted_vault_and_expires_recovery_points()
    {
        var json = Synth(Props());
        var rule = json.Single("aws_backup_plan")["rule"]![0]!;
        // AWS Backup cron: six fields, UTC, '?' in day-of-week (Backup developer guide, "Schedule expressions").
        rule.Str("schedule").ShouldBe("cron(0 */3 * * ? *)");
        rule.Str("start_window").ShouldBe("60");
        rule.Str("completion_window").ShouldBe("120");
        rule.Str("lifecycle.delete_after").ShouldBe("14");
        rule.Str("copy_action").ShouldBeNull();
        json.Single("aws_backup_vault").Str("kms_key_arn").ShouldBe($"${{aws_kms_key.{json.Resources("aws_kms_key").Single().Name}.arn}}");
        json.Single("aws_backup_selection")["resources"].Strings().ShouldBe([ClusterArn]);
        json.Resources("aws_iam_role_policy_attachment").Select(a => a.Body.Str("policy_arn")).ShouldBe(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            ignoreOrder: true);
    }

    [Fact]
    public void Recovery_points_are_at_most_4_hours_apart_and_the_newest_usable_one_at_most_6_hours_old()
    {
        ScheduledBackup backup = null!;
        ConstructSynth.Stack((stack, _) => backup = new ScheduledBackup(stack, "backup", Props()));
        // 3 h interval + a start up to 60 min late (StartWindowMinutes, BackupRule API); + 120 min to complete.
        backup.MaxRecoveryPointSpacing.ShouldBe(TimeSpan.FromHours(4));
        backup.MaxTimeToNextUsableRecoveryPoint.ShouldBe(TimeSpan.FromHours(6));
    }

    [Fact]
    public void The_old_6_hourly_schedule_breaks_the_6_hour_spacing_promise()
    {
        // 6 h + a 60-minute start window: two recovery points up to 7 h apart.
        var message = Should.Throw<ArgumentException>(() => Synth(Props() with { IntervalHours = 6 })).Message;
        message.ShouldContain("ScheduledBackupProps.IntervalHours: every 6 h with a 60-minute start window puts recovery points up to 420 minutes apart, more than MaxRecoveryPointSpacingMinutes (360)");
    }

    [Fact]
    public void A_copy_region_gets_its_own_vault_and_key_there_through_the_per_resource_region()
    {
        var json = Synth(Props() with { CopyToRegion = "eu-central-1", AirGappedCopyVault = false });
        // One provider: provider 6's top-level region argument (enhanced region support guide) places the copy.
        json["provider"]!["aws"]!.AsArray().Count.ShouldBe(1);

        var copyResources = json.AllResources().Where(r => r.Body.Str("region") == "eu-central-1").Select(r => r.Type).ToList();
        copyResources.ShouldBe(["aws_backup_vault", "aws_kms_alias", "aws_kms_key"], ignoreOrder: true);
        json.AllResources().ShouldAllBe(r => r.Body["provider"] == null);
        var copyVault = json.Resources("aws_backup_vault").Single(v => v.Body.Str("region") == "eu-central-1");
        var rules = json.Single("aws_backup_plan")["rule"]!.AsArray();
        rules.Select(r => (r!.Str("schedule"), r.Str("copy_action.0.destination_vault_arn"))).ShouldBe(
            [("cron(0 3,6,9,12,15,18,21 * * ? *)", null), ("cron(0 0 * * ? *)", $"${{aws_backup_vault.{copyVault.Name}.arn}}")]);
        // Every copy is a full copy: seven are kept, not RetentionDays' worth.
        rules[1]!.Str("copy_action.0.lifecycle.delete_after").ShouldBe("7");

        ScheduledBackup backup = null!;
        ConstructSynth.Stack((stack, _) => backup = new ScheduledBackup(stack, "backup", Props() with { CopyToRegion = "eu-central-1", AirGappedCopyVault = false }));
        backup.MaxCopySpacing.ShouldBe(TimeSpan.FromHours(25)); // daily + a start up to 60 min late

        // Copying every point is a choice, not the default: one rule.
        var all = Synth(Props() with { CopyToRegion = "eu-central-1", CopyIntervalHours = 3 }).Single("aws_backup_plan")["rule"]!.AsArray();
        all.ShouldHaveSingleItem()!.Str("schedule").ShouldBe("cron(0 */3 * * ? *)");
        all[0]!.Str("copy_action.0.destination_vault_arn").ShouldNotBeNull();
    }

    [Fact]
    public void Without_deletion_protection_the_vault_destroys_with_its_recovery_points()
    {
        var json = Synth(Props() with { DeletionProtection = false, VaultLock = BackupVaultLockMode.Governance });
        json.Single("aws_backup_vault").Str("force_destroy").ShouldBe("true");
        // Governance: no changeable_for_days (provider docs, aws_backup_vault_lock_configuration), so destroy removes it first.
        json.Single("aws_backup_vault_lock_configuration")["changeable_for_days"].ShouldBeNull();
        json.Single("aws_backup_vault")["lifecycle"].ShouldBeNull();
        json.Single("aws_kms_key")["lifecycle"].ShouldBeNull();
    }

    [Fact]
    public void The_default_is_a_compliance_lock_as_long_as_the_retention()
    {
        var json = Synth(Props());
        var lockConfig = json.Single("aws_backup_vault_lock_configuration");
        // AWS Backup: changeable_for_days >= 3 (72-hour cooling-off) makes it compliance mode; no max retention,
        // so retention can still grow once the lock is immutable.
        (lockConfig.Str("changeable_for_days"), lockConfig.Str("min_retention_days"), lockConfig["max_retention_days"]).ShouldBe(("3", Props().RetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
        json.Resources("aws_backup_vault_policy").ShouldBeEmpty(); // no break-glass named: no policy
    }

    [Fact]
    public void With_break_glass_a_vault_policy_leaves_deletions_to_it_and_policy_changes_to_it_and_the_deployer()
    {
        const string breakGlass = "arn:aws:iam::123456789012:role/easypay-test-break-glass", deployer = "arn:aws:iam::123456789012:role/easypay-test-tfc-database";
        var json = Synth(Props() with { BreakGlassRoleArns = [breakGlass], DeployerRoleArns = [deployer, breakGlass] });
        var statements = JsonNode.Parse(json.Single("aws_backup_vault_policy").Str("policy")!)!["Statement"]!.AsArray();
        var deletion = statements.Single(s => s!.Str("Sid") == "DenyRecoveryPointDeletionExceptBreakGlass")!;
        (deletion.Str("Effect"), deletion.Str("Principal.AWS")).ShouldBe(("Deny", "*"));
        deletion["Action"].Strings().ShouldContain("backup:DeleteRecoveryPoint");
        deletion["Action"].Strings().ShouldContain("backup:UpdateRecoveryPointLifecycle");
        deletion["Condition"]!["ArnNotEquals"]!["aws:PrincipalArn"]!.ToString().ShouldBe(breakGlass);
        var changes = statements.Single(s => s!.Str("Sid") == "DenyPolicyChangesExceptDeployer")!;
        changes["Condition"]!["ArnNotEquals"]!["aws:PrincipalArn"].Strings().ShouldBe([deployer, breakGlass]);
    }

    [Fact]
    public void Restores_run_as_a_role_of_their_own()
    {
        var json = Synth(Props());
        var policies = json.Resources("aws_iam_role_policy_attachment").Select(a => (Role: a.Body.Str("role")!, Policy: a.Body.Str("policy_arn")!)).ToList();
        var selectionRole = json.Single("aws_backup_selection").Str("iam_role_arn")!.Split('.')[1];
        policies.Where(p => p.Role.Contains(selectionRole, StringComparison.Ordinal)).Select(p => p.Policy)
            .ShouldBe(["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]);
        policies.ShouldContain(p => p.Policy.EndsWith("/AWSBackupServiceRolePolicyForRestores", StringComparison.Ordinal) && !p.Role.Contains(selectionRole, StringComparison.Ordinal));
    }

    [Fact]
    public void The_dr_copy_goes_to_a_logically_air_gapped_vault_by_default()
    {
        var json = Synth(Props() with { CopyToRegion = "eu-central-1" });
        var vault = json.Single("aws_backup_logically_air_gapped_vault");
        // CreateLogicallyAirGappedBackupVault: MinRetentionDays at least 7; both retentions are required.
        (vault.Str("region"), vault.Str("min_retention_days"), vault.Str("max_retention_days")).ShouldBe(("eu-central-1", "7", Props().RetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        json.Single("aws_backup_plan")["rule"]!.AsArray()[1]!.Str("copy_action.0.destination_vault_arn").ShouldBe($"${{aws_backup_logically_air_gapped_vault.{json.Resources("aws_backup_logically_air_gapped_vault").Single().Name}.arn}}");
        Should.Throw<ArgumentException>(() => Synth(Props() with { CopyToRegion = "eu-central-1", CopyRetentionDays = 3 })).Message
            .ShouldContain("below the 7 days a logically air-gapped vault keeps at least");
    }

    [Fact]
    public void A_compliance_lock_is_refused_where_the_vault_is_destroyed()
    {
        Should.Throw<ArgumentException>(() => Synth(Props() with { DeletionProtection = false })).Message
            .ShouldContain("ScheduledBackupProps.VaultLock: Compliance cannot be undone");
        Should.Throw<ArgumentException>(() => Synth(Props() with { LockChangeableForDays = 2 })).Message
            .ShouldContain("below AWS Backup's 72-hour cooling-off");
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var props = new ScheduledBackupProps("easypay test", [], 0)
        {
            IntervalHours = 5,
            CompletionWindowMinutes = 90,
            CopyToRegion = ConstructSynth.Region,
        };
        var message = Should.Throw<ArgumentException>(() => Synth(props)).Message;
        message.ShouldContain("ScheduledBackupProps.Name: 'easypay test' is not a backup name");
        message.ShouldContain("ScheduledBackupProps.ResourceArns: is empty");
        message.ShouldContain("ScheduledBackupProps.RetentionDays: 0 keeps nothing");
        message.ShouldContain("ScheduledBackupProps.IntervalHours: 5 is not a divisor of 24");
        message.ShouldContain("ScheduledBackupProps.CompletionWindowMinutes: 90 must be at least 60 minutes longer than StartWindowMinutes (60)");
        message.ShouldContain("ScheduledBackupProps.CopyToRegion: 'eu-west-1' must be a region name other than the stack's region eu-west-1");
    }
}
