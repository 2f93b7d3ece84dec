using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>HYG: every resource can be attributed to its project, environment and stack.</summary>
public static class HygieneRules
{
    /// <summary>The attributes that name an AWS resource (plus the Name tag).</summary>
    public static readonly IReadOnlyList<string> NameAttributes =
    [
        "name", "name_prefix", "identifier", "identifier_prefix", "cluster_identifier", "bucket", "bucket_prefix",
        "alarm_name", "dashboard_name", "node_group_name", "node_group_name_prefix",
    ];

    /// <summary>Resource types whose names are not ours to choose, with the reason (shown in the docs).</summary>
    public static readonly IReadOnlyDictionary<string, string> NameExemptTypes = new Dictionary<string, string>
    {
        ["aws_iam_role_policy"] = "an inline policy's name is scoped by its role, whose name carries the environment",
        ["aws_route53_record"] = "a DNS record is named by the environment's configured zone and record name",
        ["aws_guardduty_detector_feature"] = "its name is the GuardDuty feature (EKS_AUDIT_LOGS, ...), an API enum",
    };

    /// <summary>Names AWS fixes, so they cannot carry the environment; each with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> AwsDefinedNames = new Dictionary<string, string>
    {
        ["RDSOSMetrics"] = "RDS enhanced monitoring writes every instance of the account and region to this one log group",
    };

    public static readonly StackRule DefaultTags = new("HYG-001",
        "Every AWS resource carries Project, Environment, Stack and ManagedBy through the provider's default_tags, never overridden",
        Severity.Medium, Applicability.AllEnvironments,
        "Cost allocation, ownership and blast-radius queries all key on these four tags.",
        DefaultTagProblems);

    public static readonly StackRule Names = new("HYG-002",
        "Every AWS resource name and Name tag carries the environment (easypay-<env>)",
        Severity.Medium, Applicability.AllEnvironments,
        "Names are what people read in the console and in alarms; the environment must be obvious, and names must not collide across environments.",
        NameProblems);

    public static readonly StackRule LaunchedResources = new("HYG-003",
        "Launch templates tag the instances and volumes they launch with the four default tags",
        Severity.Medium, Applicability.AllEnvironments,
        "The provider's default_tags stop at the launch template: without tag_specifications, nodes and their disks are untagged.",
        LaunchedResourceProblems)
    {
        Subjects = ["aws_launch_template"],
    };

    /// <summary>The resource types whose names AWS (or Kubernetes) keeps unique, with the attribute that names them,
    /// the namespace the name must be unique in (types sharing one compete: metric and composite alarms), and
    /// whether the namespace is per region or per account.</summary>
    public static readonly IReadOnlyList<(string Type, string Attribute, string Namespace, bool Regional)> PhysicalNames =
    [
        ("aws_cloudwatch_log_group", "name", "log group", true),
        ("aws_iam_role", "name", "IAM role", false),
        ("aws_iam_policy", "name", "IAM policy", false),
        ("aws_iam_service_linked_role", "aws_service_name", "service-linked role", false),
        ("aws_kms_alias", "name", "KMS alias", true),
        ("aws_ssm_parameter", "name", "SSM parameter", true),
        ("aws_s3_bucket", "bucket", "S3 bucket", false),
        ("aws_sns_topic", "name", "SNS topic", true),
        ("aws_cloudwatch_metric_alarm", "alarm_name", "CloudWatch alarm", true),
        ("aws_cloudwatch_composite_alarm", "alarm_name", "CloudWatch alarm", true),
        ("aws_cloudwatch_dashboard", "dashboard_name", "CloudWatch dashboard", false),
        ("aws_db_subnet_group", "name", "DB subnet group", true),
        ("aws_rds_cluster_parameter_group", "name", "DB cluster parameter group", true),
        ("aws_db_parameter_group", "name", "DB parameter group", true),
        ("aws_rds_cluster", "cluster_identifier", "DB cluster", true),
        ("aws_rds_cluster_instance", "identifier", "DB instance", true),
        ("aws_db_proxy", "name", "DB proxy", true),
        ("aws_db_event_subscription", "name", "RDS event subscription", true),
        ("aws_lb", "name", "load balancer", true),
        ("aws_lb_target_group", "name", "target group", true),
        ("aws_backup_vault", "name", "backup vault", true),
        ("aws_backup_plan", "name", "backup plan", true),
        ("aws_eks_cluster", "name", "EKS cluster", true),
        ("aws_launch_template", "name", "launch template", true),
        ("aws_ecr_repository", "name", "ECR repository", true),
        ("aws_cloudtrail", "name", "CloudTrail trail", true),
        ("aws_ecs_cluster", "name", "ECS cluster", true),
        ("aws_secretsmanager_secret", "name", "secret", true),
        ("aws_security_group", "name", "security group", true),
        ("helm_release", "name", "helm release", false),
    ];

    public static readonly StackRule OneOwner = new("HYG-004",
        "Every physical name has exactly one owning stack in its environment (names resolved through cross-stack lookups)",
        Severity.High, Applicability.AllEnvironments,
        "Two stacks creating the same name (a log group, a role, an alarm) fail the second apply with AlreadyExists, or fight over one resource.",
        OwnerProblems)
    {
        Subjects = [.. PhysicalNames.Select(p => p.Type).Distinct()],
    };

    public static IReadOnlyList<StackRule> All { get; } = [DefaultTags, Names, LaunchedResources, OneOwner];

    /// <summary>Every (namespace, region, name) a stack creates, with the resource, where the name is known at
    /// synth time (literals, and tokens that resolve to literals, also through remote state).</summary>
    public static IEnumerable<(string Key, TfResource Resource)> PhysicalNamesOf(PolicyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var providerRegions = ctx.Providers("aws").ToDictionary(p => TfValue.Text(p["alias"]) ?? "", p => TfValue.Text(p["region"]) ?? ctx.Env.Region);
        foreach (var (type, attribute, ns, regional) in PhysicalNames)
        {
            foreach (var resource in ctx.Resources(type))
            {
                if (ctx.SynthTimeValue(resource[attribute]) is not { Length: > 0 } name)
                {
                    continue; // name_prefix, or known only at apply time
                }
                // A helm release is unique per namespace; the rest per account, or per account and region.
                var scope = type == "helm_release" ? TfValue.Text(resource["namespace"]) ?? "default"
                    : !regional ? "global"
                    : TfValue.Text(resource["region"]) ?? providerRegions.GetValueOrDefault(
                        TfValue.Text(resource["provider"]) is { } p && p.Contains('.') ? p[(p.IndexOf('.') + 1)..] : "", ctx.Env.Region);
                yield return ($"{ns} '{name}' ({scope})", resource);
            }
        }
    }

    private static IEnumerable<Violation> OwnerProblems(PolicyContext ctx)
    {
        var mine = PhysicalNamesOf(ctx).ToList();
        var others = ctx.EnvironmentStackIds.Where(id => id != ctx.StackId)
            .SelectMany(id => PhysicalNamesOf(ctx.Sibling(id)).Select(n => (n.Key, Stack: id)))
            .ToLookup(n => n.Key, n => n.Stack);
        foreach (var group in mine.GroupBy(n => n.Key))
        {
            var owners = others[group.Key].Distinct().ToList();
            foreach (var (key, resource) in group)
            {
                if (group.Count() > 1)
                {
                    yield return ctx.Violation(resource, $"{key} is created {group.Count()} times in this stack");
                }
                if (owners.Count > 0)
                {
                    yield return ctx.Violation(resource, $"{key} is also created by {string.Join(", ", owners)}: give it one owning stack");
                }
            }
        }
    }

    /// <summary>The four tags and the value each must have in <paramref name="ctx"/>'s stack.</summary>
    public static IReadOnlyDictionary<string, string> ExpectedTags(PolicyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return new Dictionary<string, string>
        {
            ["Project"] = "EasyPay",
            ["Environment"] = ctx.Env.Name,
            ["Stack"] = ctx.StackName,
            ["ManagedBy"] = "cdktf",
        };
    }

    /// <summary>Whether a name literal carries the environment: easypay-&lt;env&gt; anywhere, or &lt;env&gt; as a
    /// segment of a path-like name under easypay (/easypay/&lt;env&gt;/...).</summary>
    public static bool CarriesEnvironment(string name, string env) =>
        name.Contains($"easypay-{env}", StringComparison.Ordinal) || name.Contains($"easypay/{env}/", StringComparison.Ordinal)
        || name.EndsWith($"easypay/{env}", StringComparison.Ordinal);

    private static IEnumerable<Violation> DefaultTagProblems(PolicyContext ctx)
    {
        var expected = ExpectedTags(ctx);
        var aws = ctx.AllResources().Where(r => r.Type.StartsWith("aws_", StringComparison.Ordinal)).ToList();
        var providers = ctx.Providers("aws").ToList();
        if (providers.Count == 0 && aws.Count > 0)
        {
            yield return ctx.Violation("provider.aws", "the stack has AWS resources but no aws provider with default_tags");
        }
        for (var i = 0; i < providers.Count; i++)
        {
            var tags = TfValue.Map(TfValue.Block(providers[i]["default_tags"])?["tags"]);
            var wrong = expected.Where(kv => tags.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToList();
            if (wrong.Count > 0)
            {
                var alias = TfValue.Text(providers[i]["alias"]);
                yield return ctx.Violation(alias is null ? "provider.aws" : $"provider.aws.{alias}", $"default_tags must contain {string.Join(", ", wrong)}");
            }
        }
        foreach (var resource in aws)
        {
            var tags = TfValue.Map(resource["tags"]);
            foreach (var (key, value) in expected.Where(kv => tags.TryGetValue(kv.Key, out var v) && v != kv.Value))
            {
                yield return ctx.Violation(resource, $"tags override {key} with '{tags[key]}' (expected '{value}' from the provider's default_tags): drop it");
            }
        }
    }

    private static IEnumerable<Violation> NameProblems(PolicyContext ctx)
    {
        var websiteRecord = ctx.Env.Monitoring.Dns?.RecordName.TrimEnd('.');
        foreach (var resource in ctx.AllResources().Where(r => r.Type.StartsWith("aws_", StringComparison.Ordinal) && !NameExemptTypes.ContainsKey(r.Type)))
        {
            var names = NameAttributes.Select(a => (Field: a, Value: TfValue.Text(resource[a])))
                .Append(("tags.Name", TfValue.Map(resource["tags"]).GetValueOrDefault("Name")));
            foreach (var (field, value) in names)
            {
                if (value is null || TfValue.IsToken(value) || CarriesEnvironment(value, ctx.Env.Name) || AwsDefinedNames.ContainsKey(value))
                {
                    continue;
                }
                // S3 website hosting behind a Route 53 alias requires the bucket to be named exactly like the record.
                if (resource.Type == "aws_s3_bucket" && field == "bucket" && value == websiteRecord && AwsFacts.IsWebsiteBucket(ctx, resource))
                {
                    continue;
                }
                yield return ctx.Violation(resource, $"{field} '{value}' does not carry the environment: prefix it with {ctx.Prefix}");
            }
        }
    }

    private static IEnumerable<Violation> LaunchedResourceProblems(PolicyContext ctx)
    {
        var expected = ExpectedTags(ctx);
        foreach (var template in ctx.Resources("aws_launch_template"))
        {
            var specs = TfValue.Blocks(template["tag_specifications"]).ToList();
            foreach (var launched in new[] { "instance", "volume" })
            {
                var tags = TfValue.Map(specs.FirstOrDefault(s => TfValue.Text(s["resource_type"]) == launched)?["tags"]);
                var missing = expected.Where(kv => tags.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToList();
                if (missing.Count > 0)
                {
                    yield return ctx.Violation(template, $"tag_specifications for {launched} lack {string.Join(", ", missing)}");
                }
            }
        }
    }
}
