using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.Route53HealthCheck;
using HashiCorp.Cdktf.Providers.Aws.Route53Record;

namespace EasyPay.Tf.Modules.Edge;

/// <summary>Props of <see cref="DnsFailover"/>.</summary>
/// <param name="Name">Name prefix for tags, e.g. "easypay-prod".</param>
/// <param name="HostedZoneId">Route 53 zone that holds <paramref name="RecordName"/>.</param>
/// <param name="RecordName">The name customers use, e.g. pay.easypay.example.</param>
/// <param name="AlbDnsName">DNS name of the load balancer (health-check target and primary alias target).</param>
/// <param name="AlbZoneId">Canonical hosted zone of the load balancer.</param>
/// <param name="MaintenancePageHtml">The page served while the platform is down.</param>
/// <param name="MaintenanceCertificateArn">ACM certificate in us-east-1 for <paramref name="RecordName"/>: the
/// maintenance page's CloudFront distribution serves the name over HTTPS with it.</param>
public sealed record DnsFailoverProps(string Name, string HostedZoneId, string RecordName, string AlbDnsName, string AlbZoneId, string MaintenancePageHtml, string MaintenanceCertificateArn)
{
    /// <summary>Check over HTTPS (port 443); false = HTTP on port 80, for environments without a certificate.</summary>
    public bool Https { get; init; } = true;

    /// <summary>Path requested on the load balancer; should exercise the whole request path (frontend, backend,
    /// database), or a backend outage never fails over. @default "/health"</summary>
    public string HealthCheckPath { get; init; } = "/health";

    /// <summary>10 s (fast, extra cost) or 30 s between checks from each checker region (Route 53 accepts only
    /// these two). @default 10</summary>
    public int RequestIntervalSeconds { get; init; } = 10;

    /// <summary>Consecutive failures a checker needs before it reports the endpoint down (1-10). 3 × 10 s: a
    /// single slow answer (Route 53 allows 4 s to connect and 2 s to respond) never moves DNS, a real outage
    /// fails over in about 30-40 s, once 82 % of the checkers agree (Route 53 developer guide, "How Amazon
    /// Route 53 determines whether a health check is healthy"). @default 3</summary>
    public int FailureThreshold { get; init; } = 3;

    public bool ForceDestroyMaintenanceBucket { get; init; }

    /// <summary>Region of the maintenance page's bucket: the disaster-recovery region, so the SECONDARY answer
    /// works when the platform's region is down. @default null (the stack's region: no help in a region outage)</summary>
    public string? MaintenanceRegion { get; init; }

    /// <summary>Waiting period before a scheduled deletion of the maintenance bucket's key. @default 30</summary>
    public int MaintenanceKeyDeletionWindowInDays { get; init; } = 30;
}

/// <summary>Route 53 failover for the payments name: a health check on the load balancer's health endpoint,
/// a PRIMARY alias to the load balancer guarded by it, and a SECONDARY alias to a static maintenance page
/// served by CloudFront over HTTPS,
/// so customers see "briefly unavailable" instead of a connection error when the platform is down.
/// Alias records carry no TTL of their own: answers get the target's TTL (60 s for load balancers).</summary>
public sealed partial class DnsFailover : Construct
{
    public string HealthCheckId { get; }
    public string MaintenanceBucketName { get; }

    public DnsFailover(Construct scope, string id, DnsFailoverProps props) : base(scope, id)
    {
        new PropsValidator(nameof(DnsFailoverProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .CheckNotEmpty(props.HostedZoneId, nameof(props.HostedZoneId))
            .Check(RecordNamePattern().IsMatch(props.RecordName ?? "") && (props.RecordName ?? "").Length <= 63, nameof(props.RecordName),
                $"'{props.RecordName}' must be a lower-case DNS name of at most 63 characters (the maintenance bucket is named after it)")
            .CheckNotEmpty(props.AlbDnsName, nameof(props.AlbDnsName))
            .CheckNotEmpty(props.AlbZoneId, nameof(props.AlbZoneId))
            .Check(props.HealthCheckPath?.StartsWith('/') == true, nameof(props.HealthCheckPath), $"'{props.HealthCheckPath}' must start with '/'")
            .Check(props.RequestIntervalSeconds is 10 or 30, nameof(props.RequestIntervalSeconds), $"{props.RequestIntervalSeconds} must be 10 or 30 (Route 53's intervals)")
            .Check(props.FailureThreshold is >= 1 and <= 10, nameof(props.FailureThreshold), $"{props.FailureThreshold} must be 1-10")
            .ThrowIfInvalid();

        var healthCheck = new Route53HealthCheck(this, "health-check", new Route53HealthCheckConfig
        {
            // The load balancer itself, not the record: checking the record would follow the failover to
            // the maintenance page and declare the platform healthy again.
            Fqdn = props.AlbDnsName,
            Type = props.Https ? "HTTPS" : "HTTP",
            Port = props.Https ? 443 : 80,
            EnableSni = props.Https ? true : null,
            ResourcePath = props.HealthCheckPath,
            RequestInterval = props.RequestIntervalSeconds,
            FailureThreshold = props.FailureThreshold,
            Tags = new Dictionary<string, string> { ["Name"] = $"{props.Name}-alb-health" },
        });

        var aws = AwsEnvironment.Of(this);
        var site = new MaintenanceSite(this, "maintenance-page", new MaintenanceSiteProps(
            $"{props.Name}-maintenance-{aws.AccountId}", props.RecordName!, props.MaintenanceCertificateArn, props.MaintenancePageHtml)
        {
            ForceDestroy = props.ForceDestroyMaintenanceBucket,
            KeyDeletionWindowInDays = props.MaintenanceKeyDeletionWindowInDays,
            Region = props.MaintenanceRegion,
        });

        FailoverRecord("PRIMARY", "alb", healthCheck.Id, new Route53RecordAlias
        {
            Name = props.AlbDnsName,
            ZoneId = props.AlbZoneId,
            EvaluateTargetHealth = true, // also fail over when no target group has a healthy target
        });
        FailoverRecord("SECONDARY", "maintenance", null, new Route53RecordAlias
        {
            Name = site.AliasDomain,
            ZoneId = site.AliasZoneId,
            // Route 53 rejects true for a CloudFront alias; the last resort is answered regardless.
            EvaluateTargetHealth = false,
        }, site.Resources);

        void FailoverRecord(string failoverType, string target, string? healthCheckId, Route53RecordAlias alias, IReadOnlyList<ITerraformDependable>? waitFor = null) =>
            new Route53Record(this, failoverType.ToLowerInvariant(), new Route53RecordConfig
            {
                ZoneId = props.HostedZoneId,
                Name = props.RecordName!,
                Type = "A",
                SetIdentifier = $"{props.Name}-{failoverType.ToLowerInvariant()}-{target}",
                FailoverRoutingPolicy = new Route53RecordFailoverRoutingPolicy { Type = failoverType },
                HealthCheckId = healthCheckId,
                Alias = alias,
                DependsOn = waitFor is null ? null : [.. waitFor],
            });

        HealthCheckId = healthCheck.Id;
        MaintenanceBucketName = site.BucketName;
    }

    [GeneratedRegex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$")]
    private static partial Regex RecordNamePattern();
}
