using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Each Terraform Cloud workspace role can create what its stack's snapshot creates: every resource type
/// maps to the IAM service prefix of its API (Service Authorization Reference), and the role grants actions of
/// that service in every region the stack's resources are in.</summary>
public class DeployPermissionsTests
{
    /// <summary>Resource type → IAM service prefix of the API Terraform calls for it. A type missing here fails the
    /// test: decide which service it belongs to and whether its stack's role grants it.</summary>
    private static readonly Dictionary<string, string> ServiceOf = new(StringComparer.Ordinal)
    {
        ["aws_vpc"] = "ec2", ["aws_subnet"] = "ec2", ["aws_route"] = "ec2", ["aws_route_table"] = "ec2", ["aws_route_table_association"] = "ec2",
        ["aws_internet_gateway"] = "ec2", ["aws_nat_gateway"] = "ec2", ["aws_eip"] = "ec2", ["aws_vpc_endpoint"] = "ec2", ["aws_flow_log"] = "ec2", ["aws_network_acl"] = "ec2", ["aws_network_acl_rule"] = "ec2", ["aws_network_acl_association"] = "ec2",
        ["aws_security_group"] = "ec2", ["aws_default_security_group"] = "ec2", ["aws_vpc_security_group_ingress_rule"] = "ec2",
        ["aws_vpc_security_group_egress_rule"] = "ec2", ["aws_launch_template"] = "ec2", ["aws_ebs_encryption_by_default"] = "ec2",
        ["aws_cloudwatch_log_group"] = "logs", ["aws_kms_key"] = "kms", ["aws_kms_alias"] = "kms",
        ["aws_lambda_function"] = "lambda", ["aws_lambda_invocation"] = "lambda",
        ["aws_iam_role"] = "iam", ["aws_iam_role_policy"] = "iam", ["aws_iam_role_policy_attachment"] = "iam", ["aws_iam_openid_connect_provider"] = "iam",
        ["aws_eks_cluster"] = "eks", ["aws_eks_node_group"] = "eks", ["aws_eks_addon"] = "eks", ["aws_eks_access_entry"] = "eks", ["aws_eks_access_policy_association"] = "eks",
        ["aws_lb"] = "elasticloadbalancing", ["aws_lb_listener"] = "elasticloadbalancing", ["aws_lb_listener_rule"] = "elasticloadbalancing", ["aws_lb_target_group"] = "elasticloadbalancing",
        ["aws_ecr_replication_configuration"] = "ecr",
        ["aws_wafv2_web_acl"] = "wafv2", ["aws_wafv2_web_acl_association"] = "wafv2", ["aws_wafv2_web_acl_logging_configuration"] = "wafv2",
        ["aws_ecs_cluster"] = "ecs", ["aws_ecs_service"] = "ecs", ["aws_ecs_task_definition"] = "ecs",
        ["aws_secretsmanager_secret"] = "secretsmanager", ["aws_secretsmanager_secret_version"] = "secretsmanager",
        ["aws_s3_bucket"] = "s3", ["aws_s3_bucket_lifecycle_configuration"] = "s3", ["aws_s3_bucket_ownership_controls"] = "s3", ["aws_s3_bucket_policy"] = "s3",
        ["aws_s3_bucket_public_access_block"] = "s3", ["aws_s3_bucket_replication_configuration"] = "s3", ["aws_s3_bucket_server_side_encryption_configuration"] = "s3",
        ["aws_s3_bucket_versioning"] = "s3", ["aws_s3_object"] = "s3",
        ["aws_rds_cluster"] = "rds", ["aws_rds_cluster_instance"] = "rds", ["aws_rds_cluster_parameter_group"] = "rds", ["aws_db_subnet_group"] = "rds",
        ["aws_db_proxy"] = "rds", ["aws_db_proxy_default_target_group"] = "rds", ["aws_db_proxy_target"] = "rds", ["aws_db_proxy_endpoint"] = "rds", ["aws_db_event_subscription"] = "rds",
        ["aws_elasticache_replication_group"] = "elasticache", ["aws_elasticache_parameter_group"] = "elasticache", ["aws_elasticache_subnet_group"] = "elasticache",
        ["aws_elasticache_user"] = "elasticache", ["aws_elasticache_user_group"] = "elasticache",
        ["aws_backup_vault"] = "backup", ["aws_backup_plan"] = "backup", ["aws_backup_selection"] = "backup",
        ["aws_backup_vault_lock_configuration"] = "backup", ["aws_backup_vault_policy"] = "backup", ["aws_backup_vault_notifications"] = "backup",
        ["aws_backup_logically_air_gapped_vault"] = "backup", ["aws_s3_bucket_object_lock_configuration"] = "s3",
        ["aws_appautoscaling_target"] = "application-autoscaling", ["aws_appautoscaling_policy"] = "application-autoscaling",
        ["aws_ssm_parameter"] = "ssm", ["aws_sns_topic"] = "sns", ["aws_sns_topic_policy"] = "sns", ["aws_sns_topic_subscription"] = "sns",
        ["aws_cloudwatch_metric_alarm"] = "cloudwatch", ["aws_cloudwatch_composite_alarm"] = "cloudwatch", ["aws_cloudwatch_dashboard"] = "cloudwatch",
        ["aws_cloudwatch_event_rule"] = "events", ["aws_cloudwatch_event_target"] = "events",
        ["aws_route53_health_check"] = "route53", ["aws_route53_record"] = "route53",
        ["aws_cloudfront_distribution"] = "cloudfront", ["aws_cloudfront_origin_access_control"] = "cloudfront",
    };

    /// <summary>IAM, Route 53 and CloudFront are global: their API calls are in us-east-1, which no regional
    /// condition needs to list.</summary>
    private static readonly HashSet<string> GlobalServices = ["iam", "route53", "cloudfront"];

    private static IReadOnlyList<JsonNode> RoleStatements(string env, string stack)
    {
        var config = TestEnvironments.Repository(env);
        var policy = SynthesizedApp.Repository.Stack($"{env}-account").Resources("aws_iam_role_policy")
            .Single(p => p.Body.Str("name") == AccountStack.WorkspaceRoleName(config, stack)).Body.Str("policy")!;
        return [.. JsonNode.Parse(policy)!["Statement"]!.AsArray().Select(s => s!)];
    }

    /// <summary>IAM policy values are a string or a list of strings.</summary>
    private static IReadOnlyList<string> OneOrMany(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => x!.ToString())] : node is null ? [] : [node.ToString()];

    private static IEnumerable<string> Actions(JsonNode statement) => statement["Action"] is JsonArray a ? a.Select(x => x!.ToString()) : [statement.Str("Action")!];

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_workspace_role_grants_the_services_and_regions_of_what_its_stack_creates(string env)
    {
        var config = TestEnvironments.Repository(env);
        foreach (var stack in AccountStack.WorkspaceStacks)
        {
            var json = SynthesizedApp.Repository.Stack($"{env}-{stack}");
            var statements = RoleStatements(env, stack);
            foreach (var (type, name, body) in json.AllResources().Where(r => r.Type.StartsWith("aws_", StringComparison.Ordinal)))
            {
                ServiceOf.TryGetValue(type, out var service).ShouldBeTrue($"{type} ({env}-{stack}) has no IAM service in DeployPermissionsTests.ServiceOf");
                var granting = statements.Where(s => s.Str("Effect") == "Allow" && Actions(s).Any(a => a.StartsWith(service + ":", StringComparison.Ordinal))).ToList();
                granting.ShouldNotBeEmpty($"{env}-{stack}: nothing in {AccountStack.WorkspaceRoleName(config, stack)} allows {service}:* for {type}.{name}");
                if (GlobalServices.Contains(service!))
                {
                    continue;
                }
                var region = body.Str("region") ?? config.Region;
                granting.ShouldContain(s => s["Condition"] == null || OneOrMany(s["Condition"]!["StringEquals"]!["aws:RequestedRegion"]).Contains(region),
                    $"{env}-{stack}: {type}.{name} is in {region}, which no {service} statement of the role allows");
            }
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_cluster_workspace_may_set_up_waf_log_delivery_to_cloudwatch_logs(string env)
    {
        // CloudWatch Logs user guide, "Logs sent to CloudWatch Logs" (vended logs such as AWS WAF): the caller needs
        // logs:CreateLogDelivery, logs:PutResourcePolicy, logs:DescribeResourcePolicies and logs:DescribeLogGroups;
        // DeleteLogDelivery undoes the delivery on destroy.
        var allowed = RoleStatements(env, ClusterStack.Name).Where(s => s.Str("Effect") == "Allow" && OneOrMany(s["Resource"]).Contains("*"))
            .SelectMany(Actions).ToHashSet();
        new[] { "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups" }
            .Where(a => !allowed.Contains(a)).ShouldBeEmpty();
        allowed.ShouldContain("wafv2:*");
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Service_linked_roles_are_created_only_for_the_stacks_own_services_and_iam_only_on_the_environments_names(string env)
    {
        foreach (var stack in AccountStack.WorkspaceStacks)
        {
            foreach (var statement in RoleStatements(env, stack))
            {
                var actions = Actions(statement).ToList();
                if (actions.Contains("iam:CreateServiceLinkedRole"))
                {
                    // IAM condition key iam:AWSServiceName restricts CreateServiceLinkedRole to the named services.
                    OneOrMany(statement["Condition"]!["StringEquals"]!["iam:AWSServiceName"]).ShouldNotBeEmpty();
                }
                if (statement.Str("Effect") == "Allow" && actions.Any(a => a.StartsWith("iam:", StringComparison.Ordinal)) && !actions.Contains("iam:CreateServiceLinkedRole"))
                {
                    var resources = statement["Resource"] is JsonArray r ? r.Select(x => x!.ToString()).ToList() : [statement.Str("Resource")!];
                    resources.ShouldAllBe(res => res.Contains($":role/easypay-{env}-", StringComparison.Ordinal) || res.Contains($":policy/easypay-{env}-", StringComparison.Ordinal)
                        || res.Contains(":oidc-provider/oidc.eks.", StringComparison.Ordinal), $"{env}-{stack}");
                }
                Actions(statement).ShouldNotContain("*");
            }
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void No_workspace_can_change_the_peoples_roles_another_workspaces_role_or_the_audit_trail(string env)
    {
        var config = TestEnvironments.Repository(env);
        foreach (var stack in AccountStack.WorkspaceStacks.Where(s => s != PlatformStack.Name))
        {
            // IAM policy evaluation: an explicit Deny overrides every Allow (IAM user guide, policy evaluation logic).
            var deny = RoleStatements(env, stack).Single(s => s.Str("Sid") == "ProtectAccountResources");
            deny.Str("Effect").ShouldBe("Deny");
            var resources = OneOrMany(deny["Resource"]);
            resources.ShouldContain($"arn:aws:iam::{config.AccountId}:role/{AccountStack.AdminRoleName(config)}");
            resources.ShouldContain($"arn:aws:iam::{config.AccountId}:role/{AccountStack.WorkspaceRoleName(config, stack)}");
            // Roles the stacks themselves create must stay outside the deny (the agents' execution role is easypay-<env>-tfc-agent-...).
            foreach (var (_, name, body) in AccountStack.WorkspaceStacks.SelectMany(s => SynthesizedApp.Repository.Stack($"{env}-{s}").Resources("aws_iam_role").Select(r => (s, r.Name, r.Body))))
            {
                resources.ShouldNotContain($"arn:aws:iam::{config.AccountId}:role/{body.Str("name")}", name);
                resources.ShouldAllBe(r => !r.EndsWith('*') || !r.Contains(":role/", StringComparison.Ordinal));
            }
            resources.ShouldContain(r => r.StartsWith("${aws_s3_bucket.audit-trail", StringComparison.Ordinal) || r.Contains("${aws_s3_bucket.audit-trail", StringComparison.Ordinal));
            resources.ShouldContain(r => r.StartsWith("${aws_kms_key.audit-trail", StringComparison.Ordinal));
            OneOrMany(deny["Action"]).ShouldBe(["iam:*", "s3:*", "kms:*", "cloudtrail:*"]);
        }
    }
}
