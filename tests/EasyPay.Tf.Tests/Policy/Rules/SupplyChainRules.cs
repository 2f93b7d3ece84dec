using System.Text.Json.Nodes;
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

    public static readonly StackRule CachedRepositories = new("SUP-002",
        "Every ECR pull-through cache rule's prefix has a repository creation template for PULL_THROUGH_CACHE with immutable tags, a customer-managed key and the role that key needs; logins are secrets named ecr-pullthroughcache/...",
        Severity.High, Applicability.AllEnvironments,
        "ECR creates a cached repository on the first pull: without its template it gets mutable tags (a re-pointed upstream tag flows in) and the AWS-owned key. ECR reads a login only under the name prefix it requires (ECR user guide, pull-through cache credentials).",
        ctx => ctx.Resources("aws_ecr_pull_through_cache_rule").SelectMany(rule =>
        {
            var prefix = TfValue.Text(rule["ecr_repository_prefix"]);
            var template = ctx.Resources("aws_ecr_repository_creation_template").FirstOrDefault(t => TfValue.Text(t["prefix"]) == prefix);
            var encryption = TfValue.Block(template?["encryption_configuration"]);
            var secret = ctx.Resolve(rule["credential_arn"]);
            return ctx.Violations(rule,
                (template is null, $"no aws_ecr_repository_creation_template with prefix {prefix}: the cached repositories would get ECR's defaults"),
                (template is not null && !TfValue.Strings(template["applied_for"]).Contains("PULL_THROUGH_CACHE"), $"the template of {prefix} does not apply to PULL_THROUGH_CACHE"),
                (template is not null && TfValue.Text(template["image_tag_mutability"]) != "IMMUTABLE", $"the template of {prefix} leaves tags mutable"),
                (template is not null && (TfValue.Text(encryption?["encryption_type"]) != "KMS" || !AwsFacts.IsCustomerManagedKey(encryption?["kms_key"])), $"the template of {prefix} does not encrypt with a customer-managed key"),
                (template is not null && !TfValue.IsSet(template["custom_role_arn"]), $"the template of {prefix} has no custom_role_arn, which a KMS key requires (ECR user guide, repository creation templates)"),
                (secret is not null && !(TfValue.Text(secret["name"]) ?? "").StartsWith("ecr-pullthroughcache/", StringComparison.Ordinal), $"credential {secret?.Address} is not named ecr-pullthroughcache/..."),
                (secret is not null && TfValue.IsSet(secret["kms_key_id"]), $"credential {secret?.Address} names a KMS key: ECR's service-linked role reads only aws/secretsmanager-encrypted logins"));
        }))
    {
        Subjects = ["aws_ecr_pull_through_cache_rule"],
    };

    /// <summary>Values keys the platform's charts name images with (AddonImages: image.repository, a bare image, the
    /// Calico and operator registries), plus the Job containers and ECS container definitions the stacks declare.</summary>
    public static readonly StackRule ImagesFromOwnRegistry = new("SUP-011",
        "Every image the platform runs (add-on chart values, Jobs, the Terraform agent's task) comes from the environment's own ECR registry",
        Severity.High, Applicability.AllEnvironments,
        "A public registry by tag runs whatever its owner pushes next, goes down or rate-limits at the worst moment, and is reached over the internet; the account's pull-through cache scans, encrypts, pins and serves it through the VPC endpoints.",
        ctx =>
        {
            var registry = $"{ctx.Env.AccountId}.dkr.ecr.{ctx.Env.Region}.amazonaws.com/";
            var problems = new List<Violation>();
            foreach (var release in ctx.Resources("helm_release"))
            {
                foreach (var values in TfValue.List(release["values"]))
                {
                    var tree = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(values);
                    problems.AddRange(ImageValues(tree, "").Where(i => !i.Value.StartsWith(registry, StringComparison.Ordinal) && !i.Value.StartsWith("${", StringComparison.Ordinal))
                        .Select(i => ctx.Violation(release, $"{i.Path.TrimStart('.')} = {i.Value} is not in {registry}")));
                }
            }
            foreach (var job in ctx.Resources("kubernetes_job_v1"))
            {
                var containers = TfValue.Blocks(job["spec"]).SelectMany(s => TfValue.Blocks(s["template"])).SelectMany(t => TfValue.Blocks(t["spec"])).SelectMany(s => TfValue.Blocks(s["container"]));
                problems.AddRange(containers.Select(c => TfValue.Text(c["image"]) ?? "").Where(i => !i.StartsWith(registry, StringComparison.Ordinal))
                    .Select(i => ctx.Violation(job, $"runs {i}, not from {registry}")));
            }
            foreach (var task in ctx.Resources("aws_ecs_task_definition"))
            {
                var definitions = JsonNode.Parse(TfValue.Text(task["container_definitions"]) ?? "[]") as JsonArray ?? [];
                problems.AddRange(definitions.Select(d => TfValue.Text(d?["image"]) ?? "").Where(i => !i.StartsWith(registry, StringComparison.Ordinal))
                    .Select(i => ctx.Violation(task, $"runs {i}, not from {registry}")));
            }
            return problems;
        })
    {
        Subjects = ["helm_release", "kubernetes_job_v1", "aws_ecs_task_definition"],
    };

    /// <summary>Every string under a key named image, repository or registry, except tigeraOperator.image (the name the
    /// chart appends to tigeraOperator.registry, tigera-operator chart v3.30.7 _helpers.tpl).</summary>
    public static IEnumerable<(string Path, string Value)> ImageValues(object? node, string path = "") => node switch
    {
        IDictionary<object, object> map => map.SelectMany(kv => kv.Key is "image" or "repository" or "registry" && kv.Value is string value
            ? $"{path}.{kv.Key}" == ".tigeraOperator.image" ? [] : [($"{path}.{kv.Key}", value)]
            : ImageValues(kv.Value, $"{path}.{kv.Key}")),
        IList<object> list => list.SelectMany((item, i) => ImageValues(item, $"{path}[{i}]")),
        _ => [],
    };

    public static IReadOnlyList<StackRule> All { get; } = [ImageRepositories, CachedRepositories, ImagesFromOwnRegistry];
}
