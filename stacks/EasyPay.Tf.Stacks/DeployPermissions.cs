using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>What each stack's Terraform Cloud workspace role may do, as one table a reviewer can read: per stack,
/// the services its resources belong to (the resource types in its snapshot), whole-service actions where the
/// stack owns that service's resources of the environment, and IAM, S3, Secrets Manager, SSM and KMS narrowed to
/// the environment's own names (every role, bucket, secret and parameter is easypay-&lt;env&gt;-... or
/// /easypay/&lt;env&gt;/...; every key carries the Environment tag). Regional services are limited to the
/// environment's regions (aws:RequestedRegion); IAM, Route 53 and CloudFront are global. Service-linked roles a
/// service creates on first use are allowed only for that stack's services (iam:AWSServiceName).
/// The account stack itself is applied with administrator credentials, never by a workspace.</summary>
public static class DeployPermissions
{
    /// <summary>The statements of stack <paramref name="stack"/>'s workspace role. <paramref name="protectedArns"/>:
    /// what the account stack owns inside the environment's name patterns (its roles, the audit trail's bucket and
    /// key), denied to every workspace so none can take over another's role, the people's roles or the audit log.</summary>
    public static IReadOnlyList<PolicyStatement> For(string stack, EnvironmentConfig env, IReadOnlyList<string>? protectedArns = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var allows = Allows(stack, env);
        return protectedArns is { Count: > 0 } && stack != PlatformStack.Name
            ? [.. allows, new PolicyStatement("ProtectAccountResources", ["iam:*", "s3:*", "kms:*", "cloudtrail:*"], protectedArns, Effect: "Deny")]
            : allows;
    }

    /// <summary>What enabling and removing a web ACL's CloudWatch Logs destination needs besides wafv2.</summary>
    public static readonly IReadOnlyList<string> WafLogDeliveryActions =
        ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"];

    /// <summary>What enabling, changing and removing ElastiCache's log delivery to CloudWatch Logs needs besides elasticache
    /// (ElastiCache user guide, "Log delivery", permissions to configure logging).</summary>
    public static readonly IReadOnlyList<string> CacheLogDeliveryActions =
        ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
         "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"];

    private static IReadOnlyList<PolicyStatement> Allows(string stack, EnvironmentConfig env)
    {
        // The monitoring stack also works in us-east-1 with a DNS zone: Route 53 health-check metrics exist only
        // there, so its DNS alarm, topic and key live there (MonitoringStack.Route53MetricsRegion).
        var t = new Table(env, stack == MonitoringStack.Name && env.Monitoring.Dns is not null ? [MonitoringStack.Route53MetricsRegion] : []);
        return stack switch
        {
            NetworkStack.Name =>
            [
                t.Regional("Vpc", ["ec2:*"]),
                t.Logs(), .. t.Keys(), t.Roles(),
                // Interface endpoints with private DNS associate the VPC with the service's private hosted zone.
                Table.Global("EndpointPrivateDns", ["route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone"]),
            ],
            ClusterStack.Name =>
            [
                t.Regional("ClusterAndIngress", ["eks:*", "ec2:*", "elasticloadbalancing:*", "wafv2:*", "ecs:*", "autoscaling:Describe*", "ecr:PutReplicationConfiguration", "ecr:DescribeRegistry"]),
                t.Logs(), .. t.Keys(), t.Roles(), t.Buckets(), t.Secrets(),
                // WAF logging to CloudWatch Logs is a vended log delivery: the caller creates the delivery and WAF
                // adds the log groups' resource policy with the caller's rights (CloudWatch Logs user guide, "Logs
                // sent to CloudWatch Logs"); none of these take a log-group resource.
                t.Regional("WafLogDelivery", WafLogDeliveryActions),
                Table.Global("IrsaProvider", ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:GetOpenIDConnectProvider",
                    "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
                    "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider"],
                    [t.Arn("iam", $"oidc-provider/oidc.eks.{env.Region}.amazonaws.com/id/*", region: "")]),
                // ECR replication's role (AWSServiceRoleForECRReplication) appears with the first replication configuration.
                t.LinkedRoles("eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.amazonaws.com", "replication.ecr.amazonaws.com"),
            ],
            DatabaseStack.Name =>
            [
                t.Regional("DatabaseAndBackup", ["rds:*", "elasticache:*", "ec2:*", "backup:*", "backup-storage:*", "application-autoscaling:*", "cloudwatch:PutMetricAlarm",
                    "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource"]),
                t.Logs(), .. t.Keys(), t.Roles(), t.Secrets(),
                // RDS creates the managed master secret (rds!cluster-...) with the caller's permissions.
                t.Regional("ManagedMasterSecret", ["secretsmanager:*"], [t.Arn("secretsmanager", "secret:rds!*")]),
                t.Regional("Parameters", ["ssm:*"], [t.Arn("ssm", $"parameter/easypay/{env.Name}/*")]),
                t.Regional("ParameterDescribe", ["ssm:DescribeParameters"]),
                // The function that creates the application's database role (and Terraform's invocation of it).
                t.Regional("DatabaseUserFunction", ["lambda:*"], [t.Arn("lambda", $"function:easypay-{env.Name}-*")]),
                // ElastiCache's slow and engine logs are a vended log delivery, as WAF's are (ElastiCache user guide,
                // "Log delivery": the caller needs logs:CreateLogDelivery and the log-group resource policy actions).
                t.Regional("CacheLogDelivery", CacheLogDeliveryActions),
                t.LinkedRoles("rds.amazonaws.com", "rds.application-autoscaling.amazonaws.com", "backup.amazonaws.com", "elasticache.amazonaws.com"),
            ],
            MonitoringStack.Name =>
            [
                t.Regional("AlarmsAndEvents", ["sns:*", "cloudwatch:*", "events:*", "rds:CreateEventSubscription", "rds:DeleteEventSubscription",
                    "rds:ModifyEventSubscription", "rds:DescribeEventSubscriptions", "rds:AddSourceIdentifierToSubscription",
                    "rds:RemoveSourceIdentifierFromSubscription", "rds:AddTagsToResource", "rds:RemoveTagsFromResource", "rds:ListTagsForResource"]),
                ..t.Keys(), t.Buckets(),
                // Notifications of the database stack's vault (BackupAlerts); nothing else of AWS Backup.
                t.Regional("BackupVaultNotifications", ["backup:PutBackupVaultNotifications", "backup:GetBackupVaultNotifications", "backup:DeleteBackupVaultNotifications", "backup:DescribeBackupVault"],
                    [t.Arn("backup", $"backup-vault:easypay-{env.Name}-*")]),
                Table.Global("DnsFailover", ["route53:*"], env.Monitoring.Dns is { } dns
                    ? [t.Arn("route53", $"hostedzone/{dns.HostedZoneId}", region: "", account: ""), t.Arn("route53", "healthcheck/*", region: "", account: ""), t.Arn("route53", "change/*", region: "", account: "")]
                    : [t.Arn("route53", "healthcheck/*", region: "", account: "")]),
                Table.Global("DnsRead", ["route53:CreateHealthCheck", "route53:GetHealthCheckCount", "route53:ListHealthChecks", "route53:ListHostedZones", "route53:GetChange"]),
                Table.Global("MaintenancePageCdn", ["cloudfront:*"]),
            ],
            PlatformStack.Name =>
            [
                // Kubernetes rights come from the cluster's access entry for this role; AWS needs only the cluster.
                t.Regional("ReadCluster", ["eks:DescribeCluster"], [t.Arn("eks", $"cluster/{PlatformContract.ClusterName(env)}")]),
            ],
            _ => throw new ArgumentException($"No deploy permissions for stack '{stack}': add its row to DeployPermissions", nameof(stack)),
        };
    }

    private sealed class Table(EnvironmentConfig env, IReadOnlyList<string> extraRegions)
    {
        private readonly string[] _regions = [.. new[] { env.Region, env.DisasterRecovery?.Region }.Concat(extraRegions).OfType<string>().Distinct()];

        public string Arn(string service, string resource, string? region = null, string? account = null) =>
            $"arn:aws:{service}:{region ?? "*"}:{account ?? env.AccountId}:{resource}";

        public PolicyStatement Regional(string sid, IReadOnlyList<string> actions, IReadOnlyList<string>? resources = null) =>
            new(sid, actions, resources ?? ["*"], Conditions: PolicyDocument.Condition("StringEquals", "aws:RequestedRegion", _regions));

        public static PolicyStatement Global(string sid, IReadOnlyList<string> actions, IReadOnlyList<string>? resources = null) =>
            new(sid, actions, resources ?? ["*"]);

        public PolicyStatement Logs() => Regional("LogGroups", ["logs:*"], [Arn("logs", "log-group:*")]);

        /// <summary>Creating a key cannot be scoped to a resource, so it is allowed only with the environment's tag in
        /// the request (the provider's default tags go into CreateKey); everything else only on keys carrying that
        /// tag and on the environment's aliases.</summary>
        public PolicyStatement[] Keys() =>
        [
            new("CreateTaggedKeys", ["kms:CreateKey", "kms:TagResource"], ["*"], Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>> { ["aws:RequestedRegion"] = _regions, ["aws:RequestTag/Environment"] = [env.Name] },
            }),
            Regional("ListKeys", ["kms:ListKeys", "kms:ListAliases"]),
            new("EnvironmentKeys", ["kms:*"], [Arn("kms", "key/*")], Conditions: new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["StringEquals"] = new Dictionary<string, IReadOnlyList<string>> { ["aws:RequestedRegion"] = _regions, ["aws:ResourceTag/Environment"] = [env.Name] },
            }),
            Regional("EnvironmentAliases", ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], [Arn("kms", $"alias/easypay-{env.Name}-*")]),
        ];

        public PolicyStatement Roles() => Global("EnvironmentRoles", ["iam:*"],
            [Arn("iam", $"role/easypay-{env.Name}-*", region: ""), Arn("iam", $"policy/easypay-{env.Name}-*", region: "")]);

        public PolicyStatement Buckets() => Regional("EnvironmentBuckets", ["s3:*"], [$"arn:aws:s3:::easypay-{env.Name}-*"]);

        public PolicyStatement Secrets() => Regional("EnvironmentSecrets", ["secretsmanager:*"], [Arn("secretsmanager", $"secret:easypay-{env.Name}-*")]);

        public PolicyStatement LinkedRoles(params string[] services) => new("ServiceLinkedRoles", ["iam:CreateServiceLinkedRole"],
            [Arn("iam", "role/aws-service-role/*", region: "")], Conditions: PolicyDocument.Condition("StringEquals", "iam:AWSServiceName", services));
    }
}
