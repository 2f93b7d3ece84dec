using System.Text.Json.Nodes;
using EasyPay.Tf.Report.Data;
using EasyPay.Tf.Report.Facts;

namespace EasyPay.Tf.Report.Cost;

/// <summary>One priced line: quantity × unit price, with the price's source and the usage assumption.</summary>
public sealed record CostLine(string Stack, string Item, double Quantity, string QuantityUnit, Figure? Price, string? Assumption)
{
    /// <summary>USD per month; null when the price is not in the table (the line is listed as unpriced).</summary>
    public double? MonthlyUsd => Price?.Value is { } p ? Quantity * p : null;
}

/// <summary>A resource type the table has no price for: listed, never silently zero.</summary>
public sealed record UnpricedItem(string Stack, string What, string Why);

public sealed record CostEstimate(string Environment, string Region, IReadOnlyList<CostLine> Lines, IReadOnlyList<UnpricedItem> Unpriced, IReadOnlyList<string> Assumptions)
{
    public double TotalUsd => Lines.Sum(l => l.MonthlyUsd ?? 0);

    /// <summary>The part of the total priced with a stand-in (another region's price).</summary>
    public double StandInUsd => Lines.Where(l => l.Price?.StandIn is not null).Sum(l => l.MonthlyUsd ?? 0);

    public IReadOnlyDictionary<string, double> ByStack => Lines.GroupBy(l => l.Stack).ToDictionary(g => g.Key, g => g.Sum(l => l.MonthlyUsd ?? 0));
}

/// <summary>Monthly cost of one environment from its synthesized stacks, the pinned price table and the usage
/// assumptions. Every resource type is either priced here, declared free of charge with the reason, or listed
/// as unpriced.</summary>
public static class CostModel
{
    /// <summary>Resource types AWS does not bill for (or that only configure a billed resource priced elsewhere).</summary>
    public static readonly IReadOnlyDictionary<string, string> NoCharge = new Dictionary<string, string>
    {
        ["aws_iam_role"] = "IAM is free",
        ["aws_iam_role_policy"] = "IAM is free",
        ["aws_iam_role_policy_attachment"] = "IAM is free",
        ["aws_iam_openid_connect_provider"] = "IAM is free",
        ["aws_iam_service_linked_role"] = "IAM is free",
        ["aws_vpc"] = "VPCs are free",
        ["aws_subnet"] = "subnets are free",
        ["aws_route_table"] = "route tables are free",
        ["aws_route"] = "routes are free",
        ["aws_route_table_association"] = "free",
        ["aws_internet_gateway"] = "internet gateways are free (traffic is billed as data transfer)",
        ["aws_default_security_group"] = "security groups are free",
        ["aws_security_group"] = "security groups are free",
        ["aws_vpc_security_group_ingress_rule"] = "security groups are free",
        ["aws_vpc_security_group_egress_rule"] = "security groups are free",
        ["aws_network_acl"] = "network ACLs are free",
        ["aws_network_acl_rule"] = "network ACLs are free",
        ["aws_network_acl_association"] = "network ACLs are free",
        ["aws_flow_log"] = "priced as log ingestion (aws_cloudwatch_log_group)",
        ["aws_cloudwatch_log_group"] = "priced below as log ingestion and storage",
        ["aws_kms_alias"] = "aliases are free",
        ["aws_launch_template"] = "launch templates are free",
        ["aws_eks_access_entry"] = "free",
        ["aws_eks_access_policy_association"] = "free",
        ["aws_eks_addon"] = "EKS add-ons are free; their pods run on the priced nodes",
        ["aws_lb_listener"] = "part of the ALB's price",
        ["aws_lb_listener_rule"] = "part of the ALB's price (rule evaluations count in LCUs)",
        ["aws_wafv2_web_acl_association"] = "free (the web ACL is priced)",
        ["aws_wafv2_web_acl_logging_configuration"] = "priced as log ingestion (aws_cloudwatch_log_group)",
        ["aws_lb_target_group"] = "part of the ALB's price",
        ["aws_s3_bucket_lifecycle_configuration"] = "configuration of a priced bucket",
        ["aws_s3_bucket_ownership_controls"] = "configuration of a priced bucket",
        ["aws_s3_bucket_policy"] = "configuration of a priced bucket",
        ["aws_s3_bucket_public_access_block"] = "configuration of a priced bucket",
        ["aws_s3_bucket_server_side_encryption_configuration"] = "configuration of a priced bucket",
        ["aws_s3_bucket_versioning"] = "configuration of a priced bucket",
        ["aws_s3_bucket_website_configuration"] = "configuration of a priced bucket",
        ["aws_s3_object"] = "a few KB in a priced bucket",
        ["aws_s3_bucket"] = "priced below as stored GB",
        ["aws_db_subnet_group"] = "free",
        ["aws_elasticache_subnet_group"] = "free",
        ["aws_elasticache_parameter_group"] = "free",
        ["aws_elasticache_user"] = "ElastiCache RBAC users are free",
        ["aws_elasticache_user_group"] = "free",
        ["aws_rds_cluster_parameter_group"] = "free",
        ["aws_rds_cluster"] = "priced below as storage, I/O and the managed secret",
        ["aws_db_proxy_default_target_group"] = "part of RDS Proxy",
        ["aws_db_proxy_target"] = "part of RDS Proxy",
        ["aws_backup_plan"] = "priced below as backup storage",
        ["aws_backup_selection"] = "free",
        ["aws_backup_vault_lock_configuration"] = "free (AWS Backup Vault Lock has no charge)",
        ["aws_backup_vault_policy"] = "free",
        ["aws_backup_vault_notifications"] = "free (SNS deliveries are priced with the alarm topic)",
        ["aws_backup_logically_air_gapped_vault"] = "priced below as backup storage (the DR copies)",
        ["aws_cloudfront_distribution"] = "per request and GB served: idle except while DNS has failed over to the maintenance page (cents)",
        ["aws_cloudfront_origin_access_control"] = "free",
        ["aws_s3_bucket_replication_configuration"] = "priced below as the replica's storage and the replication transfer",
        ["aws_ecr_pull_through_cache_rule"] = "free; cached images bill as ECR storage (the add-ons' images, a few GB, not modelled)",
        ["aws_ecr_repository_creation_template"] = "free (settings of the repositories ECR creates)",
        ["aws_ecr_registry_scanning_configuration"] = "free: basic scanning has no charge",
        ["aws_ecr_replication_configuration"] = "free; the replicated images bill as ECR storage in the DR region (a few GB, not modelled)",
        ["aws_appautoscaling_target"] = "free; the readers it adds at peak bill as instances while they run",
        ["aws_appautoscaling_policy"] = "free",
        ["aws_backup_vault"] = "priced below as backup storage",
        ["aws_db_event_subscription"] = "RDS event notifications are free; SNS deliveries priced with the topic",
        ["aws_ssm_parameter"] = "standard parameters are free",
        // Runs once per change of the database role's definition: well inside Lambda's always-free 1M requests and 400,000 GB-s a month.
        ["aws_lambda_function"] = "runs a few times a year (Lambda free tier)",
        ["aws_lambda_invocation"] = "one run of that function per change",
        ["aws_sns_topic_policy"] = "free",
        ["aws_sns_topic_subscription"] = "email deliveries within SNS's free tier",
        ["aws_route53_record"] = "alias queries to AWS resources are free; other queries priced with usage",
        ["aws_s3_bucket_object_lock_configuration"] = "configuration of a priced bucket",
        ["aws_ecr_lifecycle_policy"] = "free",
        ["aws_acm_certificate"] = "public ACM certificates are free",
        ["aws_acm_certificate_validation"] = "free",
        ["aws_cloudwatch_event_rule"] = "EventBridge rules matching AWS service events are free",
        ["aws_cloudwatch_event_target"] = "free; SNS deliveries priced with the topic",
        ["aws_ecs_cluster"] = "free; its tasks are priced (aws_ecs_service); Container Insights listed as unpriced",
        ["aws_ecs_task_definition"] = "free; the service running it is priced by its cpu and memory",
        ["aws_secretsmanager_secret_version"] = "part of the priced secret",
        ["aws_secretsmanager_secret"] = "priced below per secret",
        ["aws_guardduty_detector_feature"] = "priced with the detector (aws_guardduty_detector)",
        ["helm_release"] = "runs on the priced nodes",
        ["kubernetes_job_v1"] = "runs on the priced nodes",
        ["kubernetes_namespace_v1"] = "free",
        ["kubernetes_storage_class_v1"] = "free; volumes claimed through it bill as EBS (none today)",
        ["aws_ebs_encryption_by_default"] = "an account setting",
    };

    public static CostEstimate Estimate(EnvironmentFacts facts, ReportData data)
    {
        var prices = data.Prices;
        var usage = data.Usage;
        var env = facts.Env.Name;
        var lines = new List<CostLine>();
        var unpriced = new List<UnpricedItem>();
        var assumptions = new List<string>();
        var hours = prices.Root["hoursPerMonth"]?.GetValue<double>() ?? 730;

        double Use(string key)
        {
            var f = usage.Get($"{env}.{key}");
            assumptions.Add($"{key} = {f.Value} {f.Unit}{(f.Note is null ? "" : $" ({f.Note})")}");
            return f.Value ?? 0;
        }
        void Line(string stack, string item, double quantity, string unit, string priceKey, string? assumption = null)
        {
            if (quantity == 0)
            {
                return;
            }
            if (prices.TryGet(priceKey, out var price) && price.Known)
            {
                lines.Add(new CostLine(stack, item, quantity, unit, price, assumption));
            }
            else
            {
                unpriced.Add(new UnpricedItem(stack, $"{item} ({quantity:0.##} {unit})", $"no price \"{priceKey}\" in {Path.GetFileName(prices.File)}"));
            }
        }

        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "aws_nat_gateway", "aws_eip", "aws_vpc_endpoint", "aws_kms_key", "aws_eks_cluster", "aws_eks_node_group", "aws_lb",
            "aws_rds_cluster_instance", "aws_db_proxy", "aws_db_proxy_endpoint", "aws_cloudwatch_metric_alarm",
            "aws_cloudwatch_composite_alarm", "aws_cloudwatch_dashboard", "aws_route53_health_check", "aws_sns_topic",
            "aws_ecs_service", "aws_ecr_repository", "aws_cloudtrail", "aws_guardduty_detector", "aws_wafv2_web_acl",
            "aws_elasticache_replication_group",
        };
        foreach (var (stack, json) in facts.Stacks)
        {
            foreach (var type in json.ResourceTypes().Where(t => !known.Contains(t) && !NoCharge.ContainsKey(t) && !t.StartsWith("tfe_", StringComparison.Ordinal)))
            {
                unpriced.Add(new UnpricedItem(stack, type, "resource type the cost model does not know: add a price or a no-charge reason"));
            }
            var kms = json.Count("aws_kms_key");
            Line(stack, "KMS customer-managed keys", kms, "keys", "kms.key.month");
            Line(stack, "Secrets Manager secrets", json.Count("aws_secretsmanager_secret"), "secrets", "secretsmanager.secret.month");
            if (json.ResourceTypes().Where(t => t.StartsWith("tfe_", StringComparison.Ordinal)).Distinct().ToList() is { Count: > 0 } tfe)
            {
                unpriced.Add(new UnpricedItem(stack, $"HCP Terraform project, workspaces and agent pool ({string.Join(", ", tfe)})",
                    "billed by HashiCorp (per managed resource on paid plans), outside this AWS estimate"));
            }
            if (json.Count("aws_ecr_repository") > 0)
            {
                Line(stack, $"ECR image storage ({json.Count("aws_ecr_repository")} repositories)", Use("ecrStoredGb"), "GB-month", "ecr.storage.gbMonth", "ecrStoredGb");
            }
            FargateTasks(stack, json);
            // ElastiCache bills every node of a group by the hour, whatever its role (primary or replica).
            foreach (var (_, group) in json.Resources("aws_elasticache_replication_group"))
            {
                var nodeType = group.Str("node_type") ?? "unknown";
                var nodes = group.Num("num_cache_clusters") ?? 1;
                Line(stack, $"ElastiCache {group.Str("engine")} nodes ({nodes:0} × {nodeType})", nodes * hours, "node-hours", $"elasticache.node.hour.{nodeType}");
            }
        }

        void FargateTasks(string stack, JsonObject json)
        {
            var definitions = json.Resources("aws_ecs_task_definition").ToList();
            foreach (var (name, service) in json.Resources("aws_ecs_service"))
            {
                var label = service.Str("name") ?? name;
                // task_definition is a reference "${aws_ecs_task_definition.NAME.arn}" to the stack's definition.
                var reference = service.Str("task_definition") ?? "";
                var definition = definitions.Where(d => reference.Contains($"aws_ecs_task_definition.{d.Name}.", StringComparison.Ordinal))
                    .Select(d => d.Body).FirstOrDefault();
                var tasks = service.Num("desired_count") ?? 0;
                if (definition is null || service.Str("launch_type") != "FARGATE" || service["capacity_provider_strategy"] is not null)
                {
                    unpriced.Add(new UnpricedItem(stack, $"ECS service {label}", "not a Fargate on-demand service with a task definition in this stack"));
                    continue;
                }
                // ECS RuntimePlatform defaults: LINUX, X86_64. Fargate bills the task's cpu/memory, not what it uses.
                var os = (definition.Str("runtime_platform.operating_system_family") ?? definition.Str("runtime_platform.0.operating_system_family") ?? "LINUX").ToLowerInvariant();
                var arch = (definition.Str("runtime_platform.cpu_architecture") ?? definition.Str("runtime_platform.0.cpu_architecture") ?? "X86_64").ToLowerInvariant();
                var vcpu = (definition.Num("cpu") ?? 0) / 1024;
                var memoryGb = (definition.Num("memory") ?? 0) / 1024;
                var size = $"{tasks:0} × {vcpu:0.##} vCPU / {memoryGb:0.##} GB, {os}/{arch}";
                Line(stack, $"Fargate vCPU: {label} ({size})", tasks * vcpu * hours, "vCPU-hours", $"fargate.{os}.{arch}.vcpuHour");
                Line(stack, $"Fargate memory: {label} ({size})", tasks * memoryGb * hours, "GB-hours", $"fargate.{os}.{arch}.gbHour");
                if ((definition.Num("ephemeral_storage.size_in_gib") ?? definition.Num("ephemeral_storage.0.size_in_gib") ?? 20) > 20)
                {
                    unpriced.Add(new UnpricedItem(stack, $"Fargate ephemeral storage above 20 GiB ({label})", "the price table has no Fargate ephemeral-storage GB-hour entry"));
                }
            }
            if (json.Resources("aws_ecs_cluster").Any(c => c.Body["setting"] is JsonArray settings
                && settings.Any(x => x.Str("name") == "containerInsights" && x.Str("value") is "enabled" or "enhanced")))
            {
                unpriced.Add(new UnpricedItem(stack, "ECS Container Insights metrics of the agents' cluster",
                    "billed as CloudWatch custom metrics per cluster, service and task; their number is not in the usage assumptions"));
            }
        }

        // network
        var network = facts.Stacks["network"];
        Line("network", "NAT gateways", facts.NatGateways * hours, "gateway-hours", "natgateway.hour");
        Line("network", "NAT gateway data", Use("natGbPerMonth"), "GB", "natgateway.gb", "natGbPerMonth");
        Line("network", "Public IPv4 addresses (NAT EIPs)", network.Count("aws_eip") * hours, "address-hours", "ec2.publicIpv4.hour");
        var endpointAzHours = network.Resources("aws_vpc_endpoint").Where(e => e.Body.Str("vpc_endpoint_type") == "Interface")
            .Sum(e => (e.Body["subnet_ids"] as JsonArray)?.Count ?? facts.Zones.Count) * hours;
        Line("network", "Interface VPC endpoints", endpointAzHours, "endpoint-AZ-hours", "vpcendpoint.interface.azHour");
        if (facts.InterfaceEndpoints > 0)
        {
            Line("network", "Interface endpoint data", Use("interfaceEndpointGbPerMonth"), "GB", "vpcendpoint.interface.gb", "interfaceEndpointGbPerMonth");
        }

        // cluster
        // A version past the end of standard support (on the day the pinned calendar was read) bills the extended rate.
        var version = facts.Stacks["cluster"].Resources("aws_eks_cluster").Select(c => c.Body.Str("version")).FirstOrDefault();
        var extended = version is not null && EasyPay.Tf.Modules.Cluster.EksSupportCalendar.Find(version) is { } support
            && support.StandardSupportDaysLeft(EasyPay.Tf.Modules.Cluster.EksSupportCalendar.ReadOn) < 0;
        Line("cluster", extended ? $"EKS control plane (Kubernetes {version}: extended support)" : "EKS control plane",
            facts.Stacks["cluster"].Count("aws_eks_cluster") * hours, "cluster-hours", extended ? "eks.cluster.extendedSupport.hour" : "eks.cluster.hour");
        foreach (var group in facts.NodeGroups.GroupBy(g => (Type: g.InstanceTypes.FirstOrDefault() ?? "?", g.CapacityType)))
        {
            var nodes = group.Sum(g => g.Desired);
            var spot = group.Key.CapacityType == "SPOT";
            var discount = spot && prices.Root["prices"]?["ec2.spotDiscount"]?["typicalFraction"] is JsonValue fraction ? fraction.GetValue<double>() : 0;
            if (discount > 0)
            {
                assumptions.Add($"spot nodes at {discount:P0} below on-demand (prices-{facts.Env.Region}.json ec2.spotDiscount.typicalFraction: {prices.Root["prices"]?["ec2.spotDiscount"]?["source"]})");
            }
            if (spot && discount == 0)
            {
                assumptions.Add("SPOT nodes priced at the on-demand rate: the table has no spot discount");
            }
            Line("cluster", $"Nodes {group.Key.Type} {(spot ? "spot" : "on-demand")} ({nodes} at the desired size)", nodes * hours * (1 - discount),
                "instance-hours" + (discount > 0 ? $" after a {discount:P0} spot discount" : ""), $"ec2.hour.{group.Key.Type}");
            Line("cluster", "Node root volumes gp3", nodes * facts.NodeDiskGiB, "GB-month", "ebs.gp3.gbMonth");
        }
        Line("cluster", "Application Load Balancer", facts.Stacks["cluster"].Count("aws_lb") * hours, "ALB-hours", "alb.hour");
        Line("cluster", "ALB capacity units", Use("albAverageLcu") * hours, "LCU-hours", "alb.lcuHour", "albAverageLcu");
        // An internet-facing ALB has a public IPv4 address in each of its AZs (at least), billed like any other.
        Line("cluster", "Public IPv4 addresses (ALB, one per AZ)", facts.Stacks["cluster"].Count("aws_lb") * facts.Zones.Count * hours, "address-hours", "ec2.publicIpv4.hour");
        var acls = facts.Stacks["cluster"].Resources("aws_wafv2_web_acl").ToList();
        if (acls.Count > 0)
        {
            Line("cluster", "AWS WAF web ACL", acls.Count, "web ACL-months", "waf.webAcl.month");
            Line("cluster", "AWS WAF rules and managed rule groups", acls.Sum(a => a.Body["rule"]?.AsArray().Count ?? 0), "rule-months", "waf.rule.month");
            Line("cluster", "AWS WAF requests inspected", Use("wafRequestsMillionPerMonth"), "million requests", "waf.requests.million", "wafRequestsMillionPerMonth");
        }
        // WAF logs every request to its own group: added to the other log volume.
        var ingest = Use("logsIngestGbPerMonth") + (acls.Count > 0 ? Use("wafLogsGbPerMonth") : 0);
        Line("cluster", "CloudWatch Logs ingestion (all stacks)", ingest, "GB", "cloudwatch.logs.ingest.gb", acls.Count > 0 ? "logsIngestGbPerMonth + wafLogsGbPerMonth" : "logsIngestGbPerMonth");
        var retentionMonths = Math.Min(facts.Env.LogRetentionDays, 3653) / 30.0;
        Line("cluster", $"CloudWatch Logs storage ({facts.Env.LogRetentionDays} days kept)", ingest * Use("logsStoredCompression") * retentionMonths, "GB-month",
            "cloudwatch.logs.storage.gbMonth", "steady state: monthly ingest × compression × months kept");
        Line("cluster", "S3 storage (Velero, ALB logs, maintenance page)", Use("s3StoredGb"), "GB-month", "s3.standard.gbMonth", "s3StoredGb");
        if (facts.Stacks["cluster"].Count("aws_s3_bucket_replication_configuration") > 0)
        {
            // The replica lives in the DR region; the eu-west-1 S3 price stands in for it.
            Line("cluster", "S3 replica of the Velero bucket (DR region)", Use("veleroReplicaGb"), "GB-month", "s3.standard.gbMonth", "veleroReplicaGb");
            Line("cluster", "Velero replication transfer", Use("veleroReplicationGbPerMonth"), "GB", "backup.crossRegionTransfer.gb", "veleroReplicationGbPerMonth");
        }

        // database
        var database = facts.Stacks["database"];
        foreach (var group in facts.Database.Instances.GroupBy(i => i.InstanceClass))
        {
            Line("database", $"Aurora PostgreSQL {group.Key} × {group.Count()}", group.Count() * hours, "instance-hours", $"aurora.hour.{group.Key}");
        }
        Line("database", "Aurora storage", Use("auroraStorageGb"), "GB-month", "aurora.storage.gbMonth", "auroraStorageGb");
        Line("database", "Aurora I/O", Use("auroraIoMillionPerMonth"), "million requests", "aurora.io.million", "auroraIoMillionPerMonth");
        var vcpus = facts.Database.Instances.Sum(i => data.Size(i.InstanceClass).Vcpu);
        if (facts.Database.Proxy)
        {
            Line("database", $"RDS Proxy ({vcpus} vCPU of the instances, minimum 2)", Math.Max(2, vcpus) * hours, "vCPU-hours", "rdsproxy.vcpuHour");
        }
        if (facts.Database.PerformanceInsightsDays > 7)
        {
            Line("database", $"Performance Insights {facts.Database.PerformanceInsightsDays} days", vcpus, "vCPU-month", "rds.performanceInsights.vcpuMonth");
        }
        Line("database", "Secrets Manager (RDS-managed master secret)", database.Resources("aws_rds_cluster").Count(r => r.Body.Flag("manage_master_user_password")), "secrets", "secretsmanager.secret.month");
        Line("database", "AWS Backup snapshots", Use("backupStoredGb"), "GB-month", "backup.aurora.warm.gbMonth", "backupStoredGb");
        if (facts.Backup.CrossRegionCopy)
        {
            // Aurora snapshot copies are always full copies (Aurora user guide, "Copying a DB cluster snapshot").
            var copiesPerDay = 24 / facts.Backup.CopyIntervalHours;
            var size = Use("auroraStorageGb");
            Line("database", $"AWS Backup copies in the DR region ({copiesPerDay:0.#}/day kept {facts.Backup.CopyRetentionDays} days, full copies)", size * copiesPerDay * facts.Backup.CopyRetentionDays,
                "GB-month", "backup.aurora.warm.gbMonth", "auroraStorageGb × copies kept");
            Line("database", "Cross-region copy transfer (full copies)", size * copiesPerDay * 30, "GB", "backup.crossRegionTransfer.gb", "auroraStorageGb × copies per month");
        }
        if (database.Count("aws_db_proxy_endpoint") > 0)
        {
            unpriced.Add(new UnpricedItem("database", "aws_db_proxy_endpoint (read-only proxy endpoint)", "the price table has no source for additional RDS Proxy endpoints"));
        }

        // monitoring
        var monitoring = facts.Stacks["monitoring"];
        var alarms = monitoring.Resources("aws_cloudwatch_metric_alarm").ToList();
        // Metric math alarms are billed per metric in the expression (CloudWatch pricing, alarms).
        var alarmMetrics = alarms.Sum(a => a.Body["metric_query"] is JsonArray q ? q.Count(x => x?["metric"] is not null) : 1);
        Line("monitoring", $"CloudWatch alarms ({alarms.Count}, {alarmMetrics} metrics)", alarmMetrics, "alarm metrics", "cloudwatch.alarm.standard.month");
        Line("monitoring", "CloudWatch composite alarms", monitoring.Count("aws_cloudwatch_composite_alarm"), "alarms", "cloudwatch.alarm.composite.month");
        Line("monitoring", "CloudWatch dashboards", monitoring.Count("aws_cloudwatch_dashboard"), "dashboards", "cloudwatch.dashboard.month",
            "the account's first 3 dashboards are free; priced here as if used up");
        foreach (var check in monitoring.Resources("aws_route53_health_check"))
        {
            Line("monitoring", "Route 53 health check (AWS endpoint)", 1, "checks", "route53.healthCheck.aws.month");
            if (check.Body.Str("type") == "HTTPS")
            {
                Line("monitoring", "Route 53 health check HTTPS option", 1, "checks", "route53.healthCheck.https.month");
            }
            if (check.Body.Num("request_interval") == 10)
            {
                Line("monitoring", "Route 53 health check fast interval (10 s) option", 1, "checks", "route53.healthCheck.fastInterval.month");
            }
        }
        Line("monitoring", "Route 53 queries (non-alias)", Use("route53QueriesMillionPerMonth"), "million queries", "route53.queries.million", "route53QueriesMillionPerMonth");

        // account: audit trail and threat detection (absent with auditBaseline "organization").
        var account = facts.Stacks["account"];
        var trails = account.Resources("aws_cloudtrail").ToList();
        if (trails.Count > 0)
        {
            // CloudTrail pricing: the first copy of management events in each region is free; only further trails pay.
            if (trails.Count > 1)
            {
                Line("account", $"CloudTrail management events, {trails.Count - 1} additional copies", Use("cloudTrailManagementEventsMillionPerMonth") * 10 * (trails.Count - 1),
                    "100k events", "cloudtrail.managementEvents.additionalCopy.100k", "cloudTrailManagementEventsMillionPerMonth");
            }
            if (trails.Any(t => t.Body["event_selector"] is not null || t.Body["advanced_event_selector"] is not null))
            {
                unpriced.Add(new UnpricedItem("account", "CloudTrail data events", "the trail selects data events: no eu-west-1 price (cloudtrail.dataEvents.100k) and no event volume in the usage assumptions"));
            }
            // The trail's bucket expires log files after the environment's log retention (AccountStack: AuditTrailProps.RetentionDays).
            var trailMonths = Math.Min(facts.Env.LogRetentionDays, 3653) / 30.0;
            Line("account", $"CloudTrail log files in S3 ({facts.Env.LogRetentionDays} days kept)", Use("cloudTrailLogGbPerMonth") * trailMonths, "GB-month", "s3.standard.gbMonth",
                "steady state: cloudTrailLogGbPerMonth × months kept; management events of the first trail are delivered free");
        }
        if (account.Count("aws_guardduty_detector") > 0)
        {
            var features = account.Resources("aws_guardduty_detector_feature").Where(f => f.Body.Str("status") == "ENABLED")
                .ToDictionary(f => f.Body.Str("name") ?? f.Name, f => f.Body, StringComparer.Ordinal);
            bool Additional(string feature, string name) => features.TryGetValue(feature, out var body) && body["additional_configuration"] is JsonArray configs
                && configs.Any(c => c.Str("name") == name && c.Str("status") == "ENABLED");
            // Every quantity below stays within the first price tier (500 GB, 500 million S3 / 100 million EKS events, 500 vCPUs).
            Line("account", "GuardDuty: CloudTrail management events analysed", Use("cloudTrailManagementEventsMillionPerMonth"), "million events",
                "guardduty.cloudTrailEvents.million", "cloudTrailManagementEventsMillionPerMonth");
            Line("account", "GuardDuty: VPC flow and DNS logs analysed", Use("guardDutyFlowDnsLogGbPerMonth"), "GB", "guardduty.flowDnsLogs.gb", "guardDutyFlowDnsLogGbPerMonth");
            if (features.ContainsKey("S3_DATA_EVENTS"))
            {
                Line("account", "GuardDuty S3 Protection: data events analysed", Use("guardDutyS3DataEventsMillionPerMonth"), "million events",
                    "guardduty.s3DataEvents.million", "guardDutyS3DataEventsMillionPerMonth");
            }
            if (features.ContainsKey("EKS_AUDIT_LOGS"))
            {
                Line("account", "GuardDuty EKS Protection: audit log events analysed", Use("eksAuditLogEventsMillionPerMonth"), "million events",
                    "guardduty.eksAuditLogs.million", "eksAuditLogEventsMillionPerMonth");
            }
            if (features.ContainsKey("RDS_LOGIN_EVENTS"))
            {
                Line("account", $"GuardDuty RDS Protection (Aurora instances: {facts.Database.Instances.Count}, {vcpus} vCPU)", vcpus, "vCPU-months", "guardduty.rdsProtection.vcpuMonth");
            }
            // With automated agent configuration for EKS the agent runs on every node; Fargate and EC2 agents are off.
            if (Additional("RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"))
            {
                var nodeVcpus = facts.NodeGroups.Sum(g => g.Desired * data.Size(g.InstanceTypes.FirstOrDefault() ?? "?").Vcpu);
                Line("account", $"GuardDuty Runtime Monitoring (EKS nodes at the desired size, {nodeVcpus} vCPU)", nodeVcpus, "vCPU-months", "guardduty.runtimeMonitoring.vcpuMonth");
            }
            if (Additional("RUNTIME_MONITORING", "ECS_FARGATE_AGENT_MANAGEMENT") || Additional("RUNTIME_MONITORING", "EC2_AGENT_MANAGEMENT"))
            {
                unpriced.Add(new UnpricedItem("account", "GuardDuty Runtime Monitoring of Fargate tasks or EC2 agents", "the cost model counts only EKS node vCPUs"));
            }
            if (features.ContainsKey("EBS_MALWARE_PROTECTION"))
            {
                Line("account", "GuardDuty Malware Protection for EC2: EBS data scanned", Use("guardDutyMalwareScanGbPerMonth"), "GB", "guardduty.ebsMalware.gbScanned",
                    "guardDutyMalwareScanGbPerMonth");
            }
        }

        return new CostEstimate(env, facts.Env.Region, lines, unpriced, [.. assumptions.Distinct()]);
    }
}
