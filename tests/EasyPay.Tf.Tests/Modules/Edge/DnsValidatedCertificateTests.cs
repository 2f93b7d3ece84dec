using EasyPay.Tf.Modules.Edge;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Edge;

public class DnsValidatedCertificateTests
{
    [Fact]
    public void The_certificate_is_validated_by_its_cname_in_the_zone_and_waited_for()
    {
        var json = ConstructSynth.Stack((stack, _) => new DnsValidatedCertificate(stack, "cert", new DnsValidatedCertificateProps("pay.example.com", "Z0123456789ABC")
        {
            Region = "us-east-1",
        }));
        var certificate = json.Resources("aws_acm_certificate").ShouldHaveSingleItem();
        // ACM RequestCertificate: ValidationMethod DNS | EMAIL; KeyAlgorithm RSA_2048 (the default) is what CloudFront accepts everywhere.
        (certificate.Body.Str("domain_name"), certificate.Body.Str("validation_method"), certificate.Body.Str("region"), certificate.Body.Str("key_algorithm"))
            .ShouldBe(("pay.example.com", "DNS", "us-east-1", "RSA_2048"));
        certificate.Body.Str("lifecycle.create_before_destroy").ShouldBe("true");
        var record = json.Single("aws_route53_record");
        record.Str("zone_id").ShouldBe("Z0123456789ABC");
        record.Str("allow_overwrite").ShouldBe("true");
        record.Str("name")!.ShouldContain($"aws_acm_certificate.{certificate.Name}.domain_validation_options");
        var validation = json.Single("aws_acm_certificate_validation");
        validation.Str("certificate_arn").ShouldBe($"${{aws_acm_certificate.{certificate.Name}.arn}}");
        validation.Str("region").ShouldBe("us-east-1");
        validation["validation_record_fqdns"].Strings().ShouldHaveSingleItem().ShouldStartWith("${aws_route53_record.");
    }

    [Fact]
    public void A_name_with_a_trailing_dot_or_capitals_and_a_bad_zone_are_reported_together()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new DnsValidatedCertificate(stack, "cert", new DnsValidatedCertificateProps("Pay.Example.com.", "zone-1")))).Message;
        message.ShouldContain("Invalid DnsValidatedCertificateProps (2 problem(s))");
    }
}
