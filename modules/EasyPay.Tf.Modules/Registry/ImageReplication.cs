using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.EcrReplicationConfiguration;

namespace EasyPay.Tf.Modules.Registry;

/// <summary>Props of <see cref="ImageReplication"/>.</summary>
/// <param name="RepositoryPrefix">Repositories whose name starts with this are replicated, e.g. "easypay/".</param>
/// <param name="DestinationRegion">Another region than the stack's.</param>
public sealed record ImageReplicationProps(string RepositoryPrefix, string DestinationRegion);

/// <summary>ECR cross-region replication of the account's registry in the stack's region: every image pushed to a
/// matching repository afterwards is copied to the same repository name in the destination region (ECR creates
/// it there). The registry has one replication configuration: this construct owns it, so no second stack of the
/// same account and region may declare one. Images pushed before it exist only in the source region.</summary>
public sealed class ImageReplication : Construct
{
    public ImageReplication(Construct scope, string id, ImageReplicationProps props) : base(scope, id)
    {
        var aws = AwsEnvironment.Of(this);
        new PropsValidator(nameof(ImageReplicationProps))
            // ECR RepositoryFilter: filter 2-256 characters, repository-name characters (ECR API reference).
            .Check(Regex.IsMatch(props.RepositoryPrefix ?? "", "^[a-z0-9][a-z0-9._/-]{1,255}$"), nameof(props.RepositoryPrefix),
                $"'{props.RepositoryPrefix}' is not a repository name prefix such as easypay/")
            .Check(Regex.IsMatch(props.DestinationRegion ?? "", AwsEnvironment.RegionPattern) && props.DestinationRegion != aws.Region,
                nameof(props.DestinationRegion), $"'{props.DestinationRegion}' must be a region name other than the stack's region {aws.Region}")
            .ThrowIfInvalid();

        new EcrReplicationConfiguration(this, "registry", new EcrReplicationConfigurationConfig
        {
            ReplicationConfiguration = new EcrReplicationConfigurationReplicationConfiguration
            {
                Rule = new[]
                {
                    new EcrReplicationConfigurationReplicationConfigurationRule
                    {
                        Destination = new[]
                        {
                            new EcrReplicationConfigurationReplicationConfigurationRuleDestination { Region = props.DestinationRegion!, RegistryId = aws.AccountId },
                        },
                        RepositoryFilter = new[]
                        {
                            new EcrReplicationConfigurationReplicationConfigurationRuleRepositoryFilter { Filter = props.RepositoryPrefix!, FilterType = "PREFIX_MATCH" },
                        },
                    },
                },
            },
        });
    }
}
