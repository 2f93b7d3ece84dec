using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.EksAddon;

namespace EasyPay.Tf.Modules.Cluster;

/// <summary>Props of <see cref="ClusterAddon"/>.</summary>
/// <param name="ClusterName">The cluster.</param>
/// <param name="AddonName">EKS add-on name, e.g. vpc-cni.</param>
/// <param name="Version">Pinned version, e.g. v1.19.5-eksbuild.3.</param>
public sealed record ClusterAddonProps(string ClusterName, string AddonName, string Version)
{
    /// <summary>IRSA role of the add-on's service account; null = the node role.</summary>
    public string? ServiceAccountRoleArn { get; init; }

    /// <summary>JSON configuration values (the add-on's schema: aws eks describe-addon-configuration).</summary>
    public string? ConfigurationValues { get; init; }

    /// <summary>What must exist first: node-running add-ons wait for the nodes, the CNI precedes them.</summary>
    public IReadOnlyList<ITerraformDependable> DependsOn { get; init; } = [];
}

/// <summary>An EKS managed add-on at a pinned version. EKS's copy wins over manual edits (OVERWRITE), so the
/// cluster always runs what the code says.</summary>
public sealed class ClusterAddon : Construct
{
    public string AddonName { get; }
    public string Version { get; }
    public ITerraformDependable Resource { get; }

    public ClusterAddon(Construct scope, string id, ClusterAddonProps props) : base(scope, id)
    {
        new PropsValidator(nameof(ClusterAddonProps))
            .CheckNotEmpty(props.ClusterName, nameof(props.ClusterName))
            .Check(Regex.IsMatch(props.AddonName ?? "", "^[a-z0-9][a-z0-9-]*$"), nameof(props.AddonName), $"'{props.AddonName}' is not an EKS add-on name")
            .Check(Regex.IsMatch(props.Version ?? "", @"^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$"), nameof(props.Version),
                $"'{props.Version}' is not a pinned add-on version such as v1.19.5-eksbuild.3 (aws eks describe-addon-versions)")
            .ThrowIfInvalid();

        var addon = new EksAddon(this, "addon", new EksAddonConfig
        {
            ClusterName = props.ClusterName,
            AddonName = props.AddonName!,
            AddonVersion = props.Version,
            ServiceAccountRoleArn = props.ServiceAccountRoleArn,
            ConfigurationValues = props.ConfigurationValues,
            ResolveConflictsOnCreate = "OVERWRITE",
            ResolveConflictsOnUpdate = "OVERWRITE",
            DependsOn = props.DependsOn.Count > 0 ? [.. props.DependsOn] : null,
        });
        AddonName = props.AddonName!;
        Version = props.Version!;
        Resource = addon;
    }
}
