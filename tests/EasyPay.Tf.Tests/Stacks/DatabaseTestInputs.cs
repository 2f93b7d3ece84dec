using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Inputs of the database stack in tests: the real environments and network stack, and a fake
/// <see cref="ClusterOutputs"/> with literal ids (the cluster stack is built separately).</summary>
public static class DatabaseTestInputs
{
    public const string NodeSecurityGroupId = "sg-0fa4e0000000n0de5";

    public static EnvironmentConfig Environment(string name) => EnvironmentLoader.LoadAll(RepoPaths.Environments, [name])[0];

    public static ClusterOutputs Cluster(EnvironmentConfig env)
    {
        var account = env.AccountId;
        var prefix = env.ResourcePrefix;
        return new ClusterOutputs
        {
            ClusterName = prefix,
            ClusterEndpoint = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
            ClusterCertificateAuthorityData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
            OidcProviderArn = $"arn:aws:iam::{account}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF",
            OidcIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF",
            NodeSecurityGroupId = NodeSecurityGroupId,
            ClusterSecurityGroupId = "sg-0fa4e00000c1u5ter",
            AlbSecurityGroupId = "sg-0fa4e000000000a1b",
            LoadBalancerControllerRoleArn = $"arn:aws:iam::{account}:role/{prefix}-load-balancer-controller",
            ClusterAutoscalerRoleArn = $"arn:aws:iam::{account}:role/{prefix}-cluster-autoscaler",
            ExternalSecretsRoleArn = $"arn:aws:iam::{account}:role/{ExternalSecretsRoleName(env)}",
            ExternalSecretsRoleName = ExternalSecretsRoleName(env),
            VeleroRoleArn = $"arn:aws:iam::{account}:role/{prefix}-velero",
            VeleroBucketName = $"{prefix}-velero",
            AlbArn = $"arn:aws:elasticloadbalancing:eu-west-1:{account}:loadbalancer/app/{prefix}/0123456789abcdef",
            AlbArnSuffix = $"app/{prefix}/0123456789abcdef",
            AlbDnsName = $"{prefix}-123456789.eu-west-1.elb.amazonaws.com",
            AlbZoneId = "Z32O12XQLNTSW2",
            FrontendTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{account}:targetgroup/{prefix}-frontend/0123456789abcdef",
            BackendTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{account}:targetgroup/{prefix}-backend/0123456789abcdef",
            FrontendTargetGroupArnSuffix = $"targetgroup/{prefix}-frontend/0123456789abcdef",
            BackendTargetGroupArnSuffix = $"targetgroup/{prefix}-backend/0123456789abcdef",
            NodeGroupMinSize = env.Cluster.NodeGroup.MinSize,
            DeveloperGroup = "easypay-developers",
        };
    }

    public static string ExternalSecretsRoleName(EnvironmentConfig env) => $"{env.ResourcePrefix}-external-secrets";

    private static readonly ConcurrentDictionary<string, Lazy<Composed>> Cache = new();

    /// <summary>The network and database stacks of environment <paramref name="name"/>, synthesized once
    /// per test run.</summary>
    public static Composed Synth(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<Composed>(() => Compose(Environment(n)))).Value;

    public static Composed Compose(EnvironmentConfig env)
    {
        DatabaseStack? database = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            database = new DatabaseStack(app, env, network.Outputs, Cluster(env));
        });
        return new Composed(env, database!.Outputs, stacks[$"{env.Name}-network"], stacks[$"{env.Name}-database"]);
    }

    /// <summary>A synthesized environment; <see cref="Database"/> is shared between tests: do not mutate.</summary>
    public sealed record Composed(EnvironmentConfig Env, DatabaseOutputs Outputs, JsonObject Network, JsonObject Database);
}
