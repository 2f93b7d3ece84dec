using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Storage;
using HashiCorp.Cdktf.Providers.Aws.DataAwsElbServiceAccount;
using HashiCorp.Cdktf.Providers.Aws.Lb;
using HashiCorp.Cdktf.Providers.Aws.LbListener;
using HashiCorp.Cdktf.Providers.Aws.LbListenerRule;
using HashiCorp.Cdktf.Providers.Aws.LbTargetGroup;
using HashiCorp.Cdktf.Providers.Aws.SecurityGroup;
using HashiCorp.Cdktf.Providers.Aws.VpcSecurityGroupIngressRule;

namespace EasyPay.Tf.Modules.Ingress;

/// <summary>A target group the application binds pods to (TargetGroupBinding, IP targets).</summary>
/// <param name="Key">Short name, e.g. "frontend"; the group is named NAME-KEY.</param>
/// <param name="Port">The pods' container port.</param>
public sealed record LoadBalancerTarget(string Key, int Port)
{
    /// <summary>Path patterns routed here, e.g. /api/*. Empty = the listener's default target.</summary>
    public IReadOnlyList<string> PathPatterns { get; init; } = [];

    public string HealthCheckPath { get; init; } = "/health";

    /// <summary>Terraform address this target's listener rule had in an earlier release: a moved block makes an
    /// upgrade update that rule in place instead of creating a second rule with the same priority while the old
    /// one is being deleted (PriorityInUse). Null = no history.</summary>
    public string? RuleMovedFrom { get; init; }
}

/// <summary>Props of <see cref="PublicLoadBalancer"/>.</summary>
/// <param name="Name">Name prefix, e.g. easypay-prod (ALB NAME-alb, target groups NAME-KEY: at most 32 characters).</param>
/// <param name="VpcId">VPC of the targets.</param>
/// <param name="SubnetIds">Public subnets of every AZ.</param>
/// <param name="Targets">Exactly one default target (no path patterns) plus path-routed ones.</param>
public sealed record PublicLoadBalancerProps(string Name, string VpcId, IReadOnlyList<string> SubnetIds, IReadOnlyList<LoadBalancerTarget> Targets)
{
    /// <summary>ACM certificate: HTTPS on 443 and HTTP redirected to it. Null = HTTP only (non-production).</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The HTTPS listener's security policy, one of <see cref="PublicLoadBalancer.Tls13Policies"/>.
    /// @default <see cref="PublicLoadBalancer.DefaultSslPolicy"/></summary>
    public string SslPolicy { get; init; } = PublicLoadBalancer.DefaultSslPolicy;

    public bool DeletionProtection { get; init; } = true;

    /// <summary>Days access log objects are kept.</summary>
    public int AccessLogRetentionDays { get; init; } = 365;

    /// <summary>Lets terraform destroy the access log bucket with its logs (development).</summary>
    public bool ForceDestroyLogs { get; init; }

    public int HealthCheckIntervalSeconds { get; init; } = 5;
    public int HealthyThreshold { get; init; } = 2;
    public int UnhealthyThreshold { get; init; } = 2;

    /// <summary>Connection draining on deregistration: long enough for in-flight payment calls, short enough for 5-minute deploys.</summary>
    public int DeregistrationDelaySeconds { get; init; } = 30;
}

/// <summary>What a created target group is called and where it is.</summary>
public sealed record TargetGroupRef(string Key, string Name, string Arn, string ArnSuffix);

/// <summary>The internet-facing ALB in the public subnets with its own security group (80/443 from the
/// internet), access logs to a private bucket, invalid headers dropped, an HTTPS listener with HTTP→HTTPS
/// redirect when a certificate is given (HTTP only otherwise), and IP target groups with fast health checks
/// that the app chart binds pods to.</summary>
public sealed class PublicLoadBalancer : Construct
{
    public string Arn { get; }

    /// <summary>"app/NAME/ID": the LoadBalancer dimension of ALB metrics.</summary>
    public string ArnSuffix { get; }
    public string DnsName { get; }
    public string ZoneId { get; }
    public string SecurityGroupId { get; }
    public string AccessLogBucket { get; }
    public IReadOnlyList<TargetGroupRef> TargetGroups { get; }

    public TargetGroupRef TargetGroup(string key) => TargetGroups.Single(t => t.Key == key);

    public PublicLoadBalancer(Construct scope, string id, PublicLoadBalancerProps props) : base(scope, id)
    {
        Validate(props);
        var https = props.CertificateArn is not null;

        var sg = new SecurityGroup(this, "sg", new SecurityGroupConfig
        {
            Name = $"{props.Name}-alb",
            Description = "Internet-facing ALB: HTTP/HTTPS in; out only to the pods (rules owned by the node group)",
            VpcId = props.VpcId,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-alb" },
        });
        foreach (var port in https ? new[] { 80, 443 } : [80])
        {
            new VpcSecurityGroupIngressRule(this, $"ingress-{port}", new VpcSecurityGroupIngressRuleConfig
            {
                SecurityGroupId = sg.Id,
                Description = port == 443 ? "HTTPS from the internet" : https ? "HTTP from the internet (redirected to HTTPS)" : "HTTP from the internet",
                IpProtocol = "tcp",
                FromPort = port,
                ToPort = port,
                CidrIpv4 = "0.0.0.0/0",
            });
        }

        var logs = AccessLogs(props);
        var alb = new Lb(this, "alb", new LbConfig
        {
            Name = $"{props.Name}-alb",
            Internal = false,
            LoadBalancerType = "application",
            IpAddressType = "ipv4",
            Subnets = [.. props.SubnetIds],
            SecurityGroups = [sg.Id],
            DropInvalidHeaderFields = true, // no request smuggling through malformed headers
            EnableDeletionProtection = props.DeletionProtection,
            AccessLogs = new LbAccessLogs { Bucket = logs.Name, Prefix = AccessLogPrefix, Enabled = true },
            DependsOn = [logs.Policy], // ELB checks it may write to the bucket when logging is switched on
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-alb" },
        });

        var groups = new List<(LoadBalancerTarget Target, LbTargetGroup Group)>();
        foreach (var target in props.Targets)
        {
            groups.Add((target, new LbTargetGroup(this, $"tg-{target.Key}", new LbTargetGroupConfig
            {
                Name = $"{props.Name}-{target.Key}",
                VpcId = props.VpcId,
                TargetType = "ip", // pods register directly (VPC CNI IPs): no NodePort hop
                Protocol = "HTTP",
                Port = target.Port,
                DeregistrationDelay = props.DeregistrationDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                HealthCheck = new LbTargetGroupHealthCheck
                {
                    Enabled = true,
                    Protocol = "HTTP",
                    Path = target.HealthCheckPath,
                    Port = "traffic-port",
                    Matcher = "200",
                    Interval = props.HealthCheckIntervalSeconds,
                    Timeout = Math.Max(2, props.HealthCheckIntervalSeconds - 2), // must be shorter than the interval
                    HealthyThreshold = props.HealthyThreshold,
                    UnhealthyThreshold = props.UnhealthyThreshold,
                },
                Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-{target.Key}" },
            })));
        }

        var defaultGroup = groups.Single(g => g.Target.PathPatterns.Count == 0).Group;
        var forward = new LbListenerDefaultAction { Type = "forward", TargetGroupArn = defaultGroup.Arn };
        LbListener serving;
        if (https)
        {
            serving = new LbListener(this, "https", new LbListenerConfig
            {
                LoadBalancerArn = alb.Arn,
                Port = 443,
                Protocol = "HTTPS",
                SslPolicy = props.SslPolicy,
                CertificateArn = props.CertificateArn,
                DefaultAction = new[] { forward },
            });
            new LbListener(this, "http-redirect", new LbListenerConfig
            {
                LoadBalancerArn = alb.Arn,
                Port = 80,
                Protocol = "HTTP",
                DefaultAction = new[]
                {
                    new LbListenerDefaultAction
                    {
                        Type = "redirect",
                        Redirect = new LbListenerDefaultActionRedirect { Protocol = "HTTPS", Port = "443", StatusCode = "HTTP_301" },
                    },
                },
            });
        }
        else
        {
            serving = new LbListener(this, "http", new LbListenerConfig
            {
                LoadBalancerArn = alb.Arn,
                Port = 80,
                Protocol = "HTTP",
                DefaultAction = new[] { forward },
            });
        }

        var priority = 10;
        foreach (var (target, group) in groups.Where(g => g.Target.PathPatterns.Count > 0))
        {
            var rule = new LbListenerRule(this, $"rule-{target.Key}", new LbListenerRuleConfig
            {
                ListenerArn = serving.Arn,
                Priority = priority,
                Condition = new[]
                {
                    new LbListenerRuleCondition { PathPattern = new LbListenerRuleConditionPathPattern { Values = [.. target.PathPatterns] } },
                },
                Action = new[] { new LbListenerRuleAction { Type = "forward", TargetGroupArn = group.Arn } },
            });
            if (target.RuleMovedFrom is { } previous)
            {
                rule.MoveFromId(previous);
            }
            priority += 10;
        }

        Arn = alb.Arn;
        ArnSuffix = alb.ArnSuffix;
        DnsName = alb.DnsName;
        ZoneId = alb.ZoneId;
        SecurityGroupId = sg.Id;
        AccessLogBucket = logs.Name;
        TargetGroups = [.. groups.Select(g => new TargetGroupRef(g.Target.Key, g.Group.Name, g.Group.Arn, g.Group.ArnSuffix))];
    }

    public const string AccessLogPrefix = "alb";

    /// <summary>TLS 1.3 and TLS 1.2 with forward-secret AEAD ciphers only ("Res": no CBC, no RSA key exchange).</summary>
    public const string DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

    /// <summary>The ELB security policies this module accepts: TLS 1.3 with at most restricted TLS 1.2 (names from the
    /// ELB user guide, "Security policies for your Application Load Balancer"; the PQ one adds hybrid post-quantum key
    /// exchange and is the console's default since 2025-09).</summary>
    public static readonly IReadOnlyList<string> Tls13Policies = [DefaultSslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"];

    /// <summary>The access log bucket. ALB log delivery only writes to buckets encrypted with SSE-S3, not
    /// SSE-KMS, so this bucket is the one documented exception to the CMK rule; it is still private,
    /// versioned and TLS-only, and holds nothing but access logs.</summary>
    private SecureBucket AccessLogs(PublicLoadBalancerProps props)
    {
        var aws = AwsEnvironment.Of(this);
        // The account id makes the globally unique bucket name unique per account.
        var name = $"{props.Name}-alb-logs-{aws.AccountId}";
        var objects = SecureBucket.ArnOf(this, $"{name}/{AccessLogPrefix}/AWSLogs/{aws.AccountId}/*");
        // Regions from before August 2022 deliver as the regional ELB account; newer ones as the log
        // delivery service. Granting both keeps the module region-independent; either may only add objects
        // under this account's prefix.
        var elbAccount = new DataAwsElbServiceAccount(this, "elb-account");
        return new SecureBucket(this, "access-logs", new SecureBucketProps(name, KmsKeyArn: null)
        {
            AdditionalPolicyStatements =
            [
                new("AllowElbAccountLogDelivery", ["s3:PutObject"], [objects], Principals: PolicyDocument.Aws(elbAccount.Arn)),
                new("AllowLogDeliveryService", ["s3:PutObject"], [objects], Principals: PolicyDocument.Service("logdelivery.elasticloadbalancing.amazonaws.com")),
            ],
            ExpireAfterDays = props.AccessLogRetentionDays,
            // Log objects are never overwritten: only a deletion leaves a noncurrent version, and it stays recoverable
            // for as long as the logs are kept (PCI DSS 10.5.1: a deleted access log is not gone after a day).
            NoncurrentVersionExpirationDays = props.AccessLogRetentionDays,
            ForceDestroy = props.ForceDestroyLogs,
        });
    }

    private static void Validate(PublicLoadBalancerProps props)
    {
        var v = new PropsValidator(nameof(PublicLoadBalancerProps))
            .Check(Regex.IsMatch(props.Name ?? "", "^[a-z0-9][a-z0-9-]*$") && (props.Name ?? "").Length <= 28, nameof(props.Name),
                $"'{props.Name}' must be lowercase letters, digits and '-', at most 28 characters (ALB names: 32 with -alb)")
            .CheckNotEmpty(props.VpcId, nameof(props.VpcId))
            .Check((props.SubnetIds ?? []).Count >= 2, nameof(props.SubnetIds), "an ALB needs public subnets in at least two AZs")
            .Check((props.Targets ?? []).Count(t => t.PathPatterns.Count == 0) == 1, nameof(props.Targets),
                "needs exactly one default target (without PathPatterns) for requests no rule matches")
            .Check((props.Targets ?? []).Select(t => t.Key).Distinct().Count() == (props.Targets ?? []).Count, nameof(props.Targets), "has duplicate keys")
            .CheckReferenceOr(props.CertificateArn, "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$",
                nameof(props.CertificateArn), $"'{props.CertificateArn}' is not an ACM certificate ARN", optional: true)
            .Check(Tls13Policies.Contains(props.SslPolicy), nameof(props.SslPolicy),
                $"'{props.SslPolicy}' is not one of the TLS 1.3 policies {string.Join(", ", Tls13Policies)}")
            .Check(props.HealthCheckIntervalSeconds is >= 5 and <= 300, nameof(props.HealthCheckIntervalSeconds), "must be 5-300 seconds")
            .Check(props.HealthyThreshold is >= 2 and <= 10, nameof(props.HealthyThreshold), "must be 2-10")
            .Check(props.UnhealthyThreshold is >= 2 and <= 10, nameof(props.UnhealthyThreshold), "must be 2-10")
            .Check(props.DeregistrationDelaySeconds is >= 0 and <= 3600, nameof(props.DeregistrationDelaySeconds), "must be 0-3600 seconds")
            .Check(props.AccessLogRetentionDays >= 1, nameof(props.AccessLogRetentionDays), "must be at least 1 day");
        foreach (var t in props.Targets ?? [])
        {
            v.Check(Regex.IsMatch(t.Key ?? "", "^[a-z0-9-]+$") && $"{props.Name}-{t.Key}".Length <= 32, nameof(props.Targets),
                $"target '{t.Key}': the group name {props.Name}-{t.Key} must be lowercase letters, digits, '-' and at most 32 characters");
            v.Check(t.Port is > 0 and < 65536, nameof(props.Targets), $"target '{t.Key}': port {t.Port} is not 1-65535");
            v.Check(t.HealthCheckPath.StartsWith('/'), nameof(props.Targets), $"target '{t.Key}': health check path '{t.HealthCheckPath}' must start with /");
        }
        v.ThrowIfInvalid();
    }
}
