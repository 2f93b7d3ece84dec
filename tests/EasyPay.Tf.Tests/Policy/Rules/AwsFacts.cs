using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyPay.Tf.Tests.Policy.Engine;

namespace EasyPay.Tf.Tests.Policy.Rules;

/// <summary>One security group ingress permission, whichever of the three Terraform forms declares it
/// (aws_vpc_security_group_ingress_rule, aws_security_group_rule type=ingress, an inline ingress block).</summary>
/// <param name="Declaration">The resource that declares it (the security group itself for inline blocks).</param>
/// <param name="SecurityGroup">The group it opens, when it resolves in the app.</param>
/// <param name="Cidrs">IPv4 and IPv6 source ranges.</param>
/// <param name="FromPeerGroup">The source is a named security group (referenced group, source group or self).</param>
public sealed record IngressPermission(TfResource Declaration, TfResource? SecurityGroup, string Protocol, double? FromPort, double? ToPort,
    IReadOnlyList<string> Cidrs, bool FromPrefixList, bool FromPeerGroup)
{
    public bool AllProtocols => Protocol is "-1" or "all";

    public bool IsTcp => Protocol is "tcp" or "6";

    public bool FromAnywhere => Cidrs.Any(AwsFacts.IsWorld);

    public string Ports => FromPort == ToPort ? $"{FromPort}" : $"{FromPort}-{ToPort}";
}

/// <summary>Facts about AWS resources that several rules need.</summary>
public static partial class AwsFacts
{
    /// <summary>The resource types that declare security group ingress.</summary>
    public static readonly IReadOnlyList<string> SecurityGroupTypes =
        ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group", "aws_default_security_group"];

    /// <summary>0.0.0.0/0, ::/0 or any other zero-length prefix.</summary>
    public static bool IsWorld(string cidr) => cidr.Trim().EndsWith("/0", StringComparison.Ordinal);

    /// <summary>A customer-managed KMS key: a reference to a key (token) or a key ARN / customer alias
    /// literal; not empty and not an AWS-managed alias (alias/aws/...), whose policy we do not control.</summary>
    public static bool IsCustomerManagedKey(JsonNode? node)
    {
        var text = TfValue.Text(node);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (TfValue.IsToken(text))
        {
            return true;
        }
        return KeyArn().IsMatch(text) || (text.Contains("alias/", StringComparison.Ordinal) && !text.Contains("alias/aws/", StringComparison.Ordinal));
    }

    /// <summary>Every ingress permission of the stack, in all three forms.</summary>
    public static IEnumerable<IngressPermission> Ingress(PolicyContext ctx)
    {
        foreach (var rule in ctx.Resources("aws_vpc_security_group_ingress_rule"))
        {
            yield return new IngressPermission(rule, ctx.Resolve(rule["security_group_id"]), Protocol(rule["ip_protocol"]),
                TfValue.Number(rule["from_port"]), TfValue.Number(rule["to_port"]),
                [.. new[] { TfValue.Text(rule["cidr_ipv4"]), TfValue.Text(rule["cidr_ipv6"]) }.OfType<string>()],
                TfValue.IsSet(rule["prefix_list_id"]), TfValue.IsSet(rule["referenced_security_group_id"]));
        }
        foreach (var rule in ctx.Resources("aws_security_group_rule").Where(r => TfValue.Text(r["type"]) == "ingress"))
        {
            yield return new IngressPermission(rule, ctx.Resolve(rule["security_group_id"]), Protocol(rule["protocol"]),
                TfValue.Number(rule["from_port"]), TfValue.Number(rule["to_port"]),
                [.. TfValue.List(rule["cidr_blocks"]), .. TfValue.List(rule["ipv6_cidr_blocks"])],
                TfValue.List(rule["prefix_list_ids"]).Count > 0, TfValue.IsSet(rule["source_security_group_id"]) || TfValue.IsTrue(rule["self"]));
        }
        foreach (var group in ctx.Resources("aws_security_group", "aws_default_security_group"))
        {
            foreach (var block in TfValue.Blocks(group["ingress"]))
            {
                yield return new IngressPermission(group, group, Protocol(block["protocol"]),
                    TfValue.Number(block["from_port"]), TfValue.Number(block["to_port"]),
                    [.. TfValue.List(block["cidr_blocks"]), .. TfValue.List(block["ipv6_cidr_blocks"])],
                    TfValue.List(block["prefix_list_ids"]).Count > 0, TfValue.List(block["security_groups"]).Count > 0 || TfValue.IsTrue(block["self"]));
            }
        }
    }

    /// <summary>Application load balancers (aws_lb / aws_alb whose type is application, the default).</summary>
    public static IEnumerable<TfResource> ApplicationLoadBalancers(PolicyContext ctx) =>
        ctx.Resources("aws_lb", "aws_alb").Where(lb => (TfValue.Text(lb["load_balancer_type"]) ?? "application") == "application");

    /// <summary>The security groups attached to the stack's application load balancers.</summary>
    public static IReadOnlySet<TfResource> LoadBalancerSecurityGroups(PolicyContext ctx) =>
        ApplicationLoadBalancers(ctx).SelectMany(lb => ctx.References(lb["security_groups"])).Where(IsSecurityGroup).ToHashSet();

    /// <summary>The security groups of the stack's databases (Aurora clusters, RDS instances, RDS proxies).</summary>
    public static IReadOnlySet<TfResource> DatabaseSecurityGroups(PolicyContext ctx) =>
        ctx.Resources("aws_rds_cluster", "aws_db_instance", "aws_db_proxy")
            .SelectMany(db => ctx.References(db["vpc_security_group_ids"])).Where(IsSecurityGroup).ToHashSet();

    private static bool IsSecurityGroup(TfResource r) => r.Type is "aws_security_group" or "aws_default_security_group";

    /// <summary>The resources of <paramref name="type"/> whose <c>bucket</c> is <paramref name="bucket"/>
    /// (by reference or by literal name).</summary>
    public static IEnumerable<TfResource> ForBucket(PolicyContext ctx, TfResource bucket, string type) =>
        ctx.Resources(type).Where(r => IsBucket(ctx, r["bucket"], bucket));

    /// <summary>Whether a bucket-valued attribute (a token or a literal name) designates <paramref name="bucket"/>.</summary>
    public static bool IsBucket(PolicyContext ctx, JsonNode? value, TfResource bucket)
    {
        var text = TfValue.Text(value);
        if (text is null)
        {
            return false;
        }
        return TfValue.IsToken(text) ? ctx.RefersTo(value, bucket) : text == TfValue.Text(bucket["bucket"]);
    }

    /// <summary>AWS cannot deliver ALB access logs to an SSE-KMS bucket (only SSE-S3): a bucket that some
    /// application load balancer of the stack writes its access logs to.</summary>
    public static bool IsLoadBalancerLogBucket(PolicyContext ctx, TfResource bucket) =>
        ctx.Resources("aws_lb", "aws_alb").SelectMany(lb => TfValue.Blocks(lb["access_logs"]))
            .Any(logs => !TfValue.IsFalse(logs["enabled"]) && IsBucket(ctx, logs["bucket"], bucket));

    /// <summary>An S3 static website (the maintenance page): website endpoints serve anonymous plain-HTTP
    /// GETs, so they can neither read SSE-KMS objects nor require TLS, and must allow a public read policy.</summary>
    public static bool IsWebsiteBucket(PolicyContext ctx, TfResource bucket) =>
        ForBucket(ctx, bucket, "aws_s3_bucket_website_configuration").Any() || TfValue.Blocks(bucket["website"]).Any();

    /// <summary>The statements of an IAM/S3 policy attribute: a JSON document (literal with tokens) or a
    /// reference to a data.aws_iam_policy_document, normalized to (effect, principals, actions, conditions).</summary>
    public static IReadOnlyList<PolicyStatement>? Statements(PolicyContext ctx, JsonNode? policy)
    {
        var text = TfValue.Text(policy);
        if (text is null)
        {
            return null;
        }
        try
        {
            if (JsonNode.Parse(text) is JsonObject document)
            {
                return [.. TfValue.Blocks(document["Statement"]).Select(FromJson)];
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a JSON document: a token referring to a policy document data source.
        }
        var source = ctx.References(policy).FirstOrDefault(r => r.Type == "aws_iam_policy_document");
        return source is null ? null : [.. TfValue.Blocks(source["statement"]).Select(FromDataSource)];
    }

    private static PolicyStatement FromJson(JsonObject s)
    {
        var principals = s["Principal"] switch
        {
            JsonValue v => [v.ToString()],
            JsonObject o => o.SelectMany(kv => TfValue.List(kv.Value)).ToList(),
            _ => new List<string>(),
        };
        var conditions = TfValue.Blocks(s["Condition"])
            .SelectMany(c => c.SelectMany(test => TfValue.Blocks(test.Value)
                .SelectMany(vars => vars.Select(v => new PolicyCondition(test.Key, v.Key, TfValue.List(v.Value))))))
            .ToList();
        return new PolicyStatement(TfValue.Text(s["Effect"]) ?? "", principals, TfValue.List(s["Action"]), conditions);
    }

    private static PolicyStatement FromDataSource(JsonObject s) => new(
        TfValue.Text(s["effect"]) ?? "Allow",
        [.. TfValue.Blocks(s["principals"]).SelectMany(p => TfValue.List(p["identifiers"]))],
        TfValue.List(s["actions"]),
        [.. TfValue.Blocks(s["condition"]).Select(c => new PolicyCondition(TfValue.Text(c["test"]) ?? "", TfValue.Text(c["variable"]) ?? "", TfValue.List(c["values"])))]);

    private static string Protocol(JsonNode? node) => (TfValue.Text(node) ?? "").ToLowerInvariant();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/(?!aws/)")]
    private static partial Regex KeyArn();
}

/// <summary>One statement of a policy document, normalized.</summary>
public sealed record PolicyStatement(string Effect, IReadOnlyList<string> Principals, IReadOnlyList<string> Actions, IReadOnlyList<PolicyCondition> Conditions)
{
    public bool IsPublic => Principals.Contains("*");
}

public sealed record PolicyCondition(string Test, string Variable, IReadOnlyList<string> Values);
