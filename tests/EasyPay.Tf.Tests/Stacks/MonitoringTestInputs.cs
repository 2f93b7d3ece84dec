using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Literal stand-ins for the cluster and database stacks' outputs (written in parallel), so the
/// monitoring stack can be synthesized against the real network stack and environment files.</summary>
public static class MonitoringTestInputs
{
    public const string AlbArnSuffix = "app/easypay-test-alb/0123456789abcdef";
    public const string FrontendTargetGroup = "targetgroup/easypay-test-frontend/1111111111111111";
    public const string BackendTargetGroup = "targetgroup/easypay-test-backend/2222222222222222";
    public const string AlbDnsName = "easypay-test-alb-123456789.eu-west-1.elb.amazonaws.com";
    public const string AlbZoneId = "Z32O12XQLNTSW2";

    public static EnvironmentConfig Load(string env) => EnvironmentLoader.LoadAll(RepoPaths.Environments, [env])[0];

    public static ClusterOutputs Cluster(EnvironmentConfig env) => new()
    {
        ClusterName = NetworkStack.ClusterName(env),
        ClusterEndpoint = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
        ClusterCertificateAuthorityData = "LS0tLS1CRUdJTi1GQUtFLS0tLS0=",
        OidcProviderArn = $"arn:aws:iam::{env.AccountId}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF",
        OidcIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF",
        NodeSecurityGroupId = "sg-0000000000000node",
        ClusterSecurityGroupId = "sg-000000000cluster",
        AlbSecurityGroupId = "sg-00000000000000alb",
        LoadBalancerControllerRoleArn = $"arn:aws:iam::{env.AccountId}:role/{env.ResourcePrefix}-lbc",
        ClusterAutoscalerRoleArn = $"arn:aws:iam::{env.AccountId}:role/{env.ResourcePrefix}-autoscaler",
        ExternalSecretsRoleArn = $"arn:aws:iam::{env.AccountId}:role/{env.ResourcePrefix}-external-secrets",
        ExternalSecretsRoleName = $"{env.ResourcePrefix}-external-secrets",
        VeleroRoleArn = $"arn:aws:iam::{env.AccountId}:role/{env.ResourcePrefix}-velero",
        VeleroBucketName = $"{env.ResourcePrefix}-velero",
        AlbArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:loadbalancer/{AlbArnSuffix}",
        AlbArnSuffix = AlbArnSuffix,
        AlbDnsName = AlbDnsName,
        AlbZoneId = AlbZoneId,
        FrontendTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:{FrontendTargetGroup}",
        BackendTargetGroupArn = $"arn:aws:elasticloadbalancing:eu-west-1:{env.AccountId}:{BackendTargetGroup}",
        FrontendTargetGroupArnSuffix = FrontendTargetGroup,
        BackendTargetGroupArnSuffix = BackendTargetGroup,
        NodeGroupMinSize = env.Cluster.NodeGroup.MinSize,
        DeveloperGroup = "easypay-developers",
    };

    public static DatabaseOutputs Database(EnvironmentConfig env) => new()
    {
        ClusterIdentifier = env.ResourcePrefix,
        WriterEndpoint = $"{env.ResourcePrefix}.cluster-abcdefghijkl.eu-west-1.rds.amazonaws.com",
        ReaderEndpoint = $"{env.ResourcePrefix}.cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com",
        ProxyEndpoint = $"{env.ResourcePrefix}.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
        ProxyReadOnlyEndpoint = $"{env.ResourcePrefix}-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
        Port = 5432,
        DatabaseName = env.Database.DatabaseName,
        SecretArn = $"arn:aws:secretsmanager:eu-west-1:{env.AccountId}:secret:rds!cluster-0000-abcdef",
        KmsKeyArn = $"arn:aws:kms:eu-west-1:{env.AccountId}:key/00000000-0000-0000-0000-000000000000",
        SecurityGroupId = "sg-0000000000000db",
        InstanceIdentifiers = [.. Enumerable.Range(1, env.Database.ReaderCount + 1).Select(i => $"{env.ResourcePrefix}-{i}")],
        MaxConnections = AuroraInstanceClass.Parse(env.Database.InstanceClass).DefaultMaxConnections,
    };

    /// <summary>Synthesizes the real network stack and the monitoring stack of <paramref name="env"/>.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env) => Synth(env, out _);

    public static IReadOnlyDictionary<string, JsonObject> Synth(EnvironmentConfig env, out MonitoringOutputs outputs)
    {
        MonitoringOutputs? captured = null;
        var stacks = AppSynth.Run(app =>
        {
            var network = new NetworkStack(app, env);
            captured = new MonitoringStack(app, env, network.Outputs, Cluster(env), Database(env), RepoPaths.App).Outputs;
        });
        outputs = captured!;
        return stacks;
    }
}
