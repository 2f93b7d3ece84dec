using EasyPay.Tf.Modules.Registry;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Registry;

public class ImageReplicationTests
{
    [Fact]
    public void Repositories_with_the_prefix_replicate_to_the_same_account_in_the_other_region()
    {
        var json = ConstructSynth.Stack((stack, aws) => new ImageReplication(stack, "images", new ImageReplicationProps("easypay", "eu-central-1")));
        var rule = json.Single("aws_ecr_replication_configuration")["replication_configuration"]!["rule"]![0]!;
        // ECR RepositoryFilter: filterType PREFIX_MATCH is the only valid value (ECR API reference).
        (rule.Str("repository_filter.0.filter"), rule.Str("repository_filter.0.filter_type")).ShouldBe(("easypay", "PREFIX_MATCH"));
        (rule.Str("destination.0.region"), rule.Str("destination.0.registry_id")).ShouldBe(("eu-central-1", "123456789012"));
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) =>
            new ImageReplication(stack, "images", new ImageReplicationProps("Easy Pay", ConstructSynth.Region)))).Message;
        message.ShouldContain("ImageReplicationProps.RepositoryPrefix: 'Easy Pay' is not a repository name prefix");
        message.ShouldContain("ImageReplicationProps.DestinationRegion");
    }
}
