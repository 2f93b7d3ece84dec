using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.AcmCertificate;
using HashiCorp.Cdktf.Providers.Aws.AcmCertificateValidation;
using HashiCorp.Cdktf.Providers.Aws.Route53Record;

namespace EasyPay.Tf.Modules.Edge;

/// <summary>Props of <see cref="DnsValidatedCertificate"/>.</summary>
/// <param name="DomainName">The one name the certificate covers, e.g. pay.example.com.</param>
/// <param name="HostedZoneId">Route 53 public zone the name lives in (the validation record goes there).</param>
public sealed record DnsValidatedCertificateProps(string DomainName, string HostedZoneId)
{
    /// <summary>Region of the certificate when not the stack's: us-east-1 for CloudFront, the only region it
    /// reads certificates from. @default the stack's region</summary>
    public string? Region { get; init; }
}

/// <summary>A public ACM certificate for one name, validated by a CNAME in the zone and waited for, so
/// <see cref="Arn"/> is usable as soon as a consumer sees it. ACM renews it automatically while the record
/// stays. The record is written with allow_overwrite: certificates for the same name in one account get the
/// same validation record whatever their region (a certificate per region for ALB and CloudFront), so a
/// second certificate's record is an idempotent upsert of the first's.</summary>
public sealed class DnsValidatedCertificate : Construct
{
    /// <summary>ARN of the validated certificate (a token that resolves only once validation succeeded).</summary>
    public string Arn { get; }

    public DnsValidatedCertificate(Construct scope, string id, DnsValidatedCertificateProps props) : base(scope, id)
    {
        new PropsValidator(nameof(DnsValidatedCertificateProps))
            .Check(Regex.IsMatch(props.DomainName ?? "", "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$") && props.DomainName!.Length <= 253, nameof(props.DomainName),
                $"'{props.DomainName}' is not a fully qualified domain name such as pay.example.com (lower case, no trailing dot)")
            .Check(Regex.IsMatch(props.HostedZoneId ?? "", "^Z[A-Z0-9]{1,31}$"), nameof(props.HostedZoneId), $"'{props.HostedZoneId}' is not a Route 53 hosted zone id (Z...)")
            .Check(props.Region is null || Regex.IsMatch(props.Region, AwsEnvironment.RegionPattern), nameof(props.Region), $"'{props.Region}' is not an AWS region name such as us-east-1")
            .ThrowIfInvalid();

        var certificate = new AcmCertificate(this, "certificate", new AcmCertificateConfig
        {
            DomainName = props.DomainName!,
            ValidationMethod = "DNS",
            KeyAlgorithm = "RSA_2048",
            Region = props.Region,
            // A replacement (new name) is issued before the old one is released from the listener.
            Lifecycle = new TerraformResourceLifecycle { CreateBeforeDestroy = true },
        });
        // One name, so exactly one validation option (the set has one element per domain name).
        var option = certificate.DomainValidationOptions.Get(0);
        var record = new Route53Record(this, "validation", new Route53RecordConfig
        {
            ZoneId = props.HostedZoneId!,
            Name = option.ResourceRecordName,
            Type = option.ResourceRecordType,
            Records = [option.ResourceRecordValue],
            Ttl = 300,
            AllowOverwrite = true,
        });
        var validation = new AcmCertificateValidation(this, "validated", new AcmCertificateValidationConfig
        {
            CertificateArn = certificate.Arn,
            ValidationRecordFqdns = [record.Fqdn],
            Region = props.Region,
        });
        Arn = validation.CertificateArn;
    }
}
