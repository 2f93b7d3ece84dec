using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Registry;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Registry;

public class ImageRepositoryTests
{
    private const string Key = "arn:aws:kms:eu-west-1:123456789012:key/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

    [Fact]
    public void Tags_are_immutable_pushes_scanned_and_images_kms_encrypted()
    {
        var repository = ConstructSynth.Stack((stack, _) => new ImageRepository(stack, "repo", new ImageRepositoryProps("easypay/payment-api", Key)))
            .Single("aws_ecr_repository");
        // ECR API: imageTagMutability MUTABLE | IMMUTABLE | ...; EncryptionConfiguration encryptionType AES256 | KMS.
        repository.Str("image_tag_mutability").ShouldBe("IMMUTABLE");
        repository.Str("image_scanning_configuration.scan_on_push").ShouldBe("true");
        repository.Str("encryption_configuration.0.encryption_type").ShouldBe("KMS");
        repository.Str("encryption_configuration.0.kms_key").ShouldBe(Key);
        repository.Str("force_delete").ShouldBe("false");
    }

    [Fact]
    public void The_lifecycle_expires_untagged_images_first_and_keeps_the_newest_releases()
    {
        var policy = JsonNode.Parse(ConstructSynth.Stack((stack, _) => new ImageRepository(stack, "repo", new ImageRepositoryProps("easypay/frontend", Key)))
            .Single("aws_ecr_lifecycle_policy").Str("policy")!)!["rules"]!.AsArray();
        // ECR lifecycle policies: a rule with tagStatus "any" must have the highest rulePriority value.
        policy.Select(r => (r!.Str("rulePriority"), r.Str("selection.tagStatus"), r.Str("selection.countType"), r.Str("selection.countNumber"))).ShouldBe(
        [
            ("1", "untagged", "sinceImagePushed", "14"),
            ("2", "any", "imageCountMoreThan", "100"),
        ]);
        policy[0]!.Str("selection.countUnit").ShouldBe("days");
    }

    [Fact]
    public void The_synth_time_url_has_the_form_ecr_documents()
    {
        // aws_ecr_repository repository_url: "aws_account_id.dkr.ecr.region.amazonaws.com/repositoryName".
        ImageRepository.UrlOf(ConstructSynth.Environment(), "easypay/frontend").ShouldBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/easypay/frontend");
    }

    [Fact]
    public void Bad_names_keys_and_counts_are_reported_together()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new ImageRepository(stack, "repo",
            new ImageRepositoryProps("EasyPay/Frontend", "alias/x") { UntaggedExpiryDays = 0, MaxImages = 5 }))).Message;
        message.ShouldContain("Invalid ImageRepositoryProps (4 problem(s))");
        message.ShouldContain("ImageRepositoryProps.Name: 'EasyPay/Frontend' is not an ECR repository name");
    }
}
