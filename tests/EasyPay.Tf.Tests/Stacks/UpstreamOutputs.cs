using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Network;
using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Realistic literal outputs of the upstream stacks for one environment: what the deployed
/// network, cluster and database stacks would return. Used where Terraform tokens cannot stand in, e.g.
/// rendering the chart with the values the platform stack generates.</summary>
public static class UpstreamOutputs
{
    public const string NodeSecurityGroupId = "sg-0a1b2c3d4e5f60001";

    public static NetworkOutputs Network(EnvironmentConfig env)
    {
        var plan = SubnetPlan.Compute(Ipv4Cidr.Parse(env.Network.VpcCidr), env.AvailabilityZones);
        IReadOnlyList<string> Cidrs(SubnetTier t) => [.. plan.Where(p => p.Tier == t).Select(p => p.Cidr.ToString())];
        IReadOnlyList<string> Ids(SubnetTier t) => [.. plan.Where(p => p.Tier == t).Select(p => $"subnet-0{(int)t}{p.AzIndex}a1b2c3d4e5f6a7")];
        return new NetworkOutputs
        {
            VpcId = "vpc-0a1b2c3d4e5f6a7b8",
            VpcCidr = env.Network.VpcCidr,
            AvailabilityZones = env.AvailabilityZones,
            PublicSubnetIds = Ids(SubnetTier.Public),
            PrivateSubnetIds = Ids(SubnetTier.Private),
            DataSubnetIds = Ids(SubnetTier.Data),
            PublicSubnetCidrs = Cidrs(SubnetTier.Public),
            PrivateSubnetCidrs = Cidrs(SubnetTier.Private),
            DataSubnetCidrs = Cidrs(SubnetTier.Data),
            NatGatewayIds = [.. env.AvailabilityZones.Select((_, i) => $"nat-0{i}a1b2c3d4e5f6a7b")],
            EndpointSecurityGroupId = "sg-0a1b2c3d4e5f60003",
            S3PrefixListId = "pl-6da54004",
        };
    }

    /// <summary>What a deployed account stack returns: its roles, the repositories, the certificates of the zone.</summary>
    public static AccountOutputs Account(EnvironmentConfig env)
    {
        var role = $"arn:aws:iam::{env.AccountId}:role";
        return new AccountOutputs
        {
            AutoScalingServiceLinkedRoleArn = $"{role}/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            AdminRoleArn = env.Cluster.AdminRoleArn ?? $"{role}/{AccountStack.AdminRoleName(env)}",
            DeveloperRoleArn = env.Cluster.DeveloperRoleArn ?? $"{role}/{AccountStack.DeveloperRoleName(env)}",
            DeployerRoleArn = env.TerraformCloud is null ? env.Cluster.DeployerRoleArn ?? $"{role}/{AccountStack.DeployerRoleName(env)}" : AccountStack.WorkspaceRoleArn(env, PlatformStack.Name),
            ImageRegistry = $"{env.AccountId}.dkr.ecr.{env.Region}.amazonaws.com",
            FrontendRepositoryUrl = $"{env.AccountId}.dkr.ecr.{env.Region}.amazonaws.com/{PlatformContract.FrontendRepository(env)}",
            BackendRepositoryUrl = $"{env.AccountId}.dkr.ecr.{env.Region}.amazonaws.com/{PlatformContract.BackendRepository(env)}",
            AlbCertificateArn = env.Monitoring.Dns is null ? env.Cluster.CertificateArn : $"arn:aws:acm:{env.Region}:{env.AccountId}:certificate/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f",
            MaintenanceCertificateArn = env.Monitoring.Dns is null ? null : $"arn:aws:acm:us-east-1:{env.AccountId}:certificate/7a6b5c4d-3e2f-4a1b-9c8d-0e1f2a3b4c5d",
        };
    }

    public static ClusterOutputs Cluster(EnvironmentConfig env)
    {
        var arn = $"arn:aws:iam::{env.AccountId}:role/{env.ResourcePrefix}";
        var elb = $"arn:aws:elasticloadbalancing:{env.Region}:{env.AccountId}";
        return new ClusterOutputs
        {
            ClusterName = env.ResourcePrefix,
            ClusterEndpoint = $"https://0123456789ABCDEF0123456789ABCDEF.gr7.{env.Region}.eks.amazonaws.com",
            ClusterCertificateAuthorityData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
            OidcProviderArn = $"arn:aws:iam::{env.AccountId}:oidc-provider/oidc.eks.{env.Region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
            OidcIssuer = $"oidc.eks.{env.Region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
            NodeSecurityGroupId = NodeSecurityGroupId,
            PersistentVolumeKeyArn = $"arn:aws:kms:{env.Region}:{env.AccountId}:key/3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f",
            ClusterSecurityGroupId = "sg-0a1b2c3d4e5f60002",
            AlbSecurityGroupId = "sg-0a1b2c3d4e5f60003",
            LoadBalancerControllerRoleArn = $"{arn}-aws-load-balancer-controller",
            ClusterAutoscalerRoleArn = $"{arn}-cluster-autoscaler",
            ExternalSecretsRoleArn = $"{arn}-external-secrets",
            BackendRoleArn = $"{arn}-backend",
            BackendRoleName = $"{env.ResourcePrefix}-backend",
            VeleroRoleArn = $"{arn}-velero",
            VeleroBucketName = $"{env.ResourcePrefix}-velero-{env.AccountId}",
            AlbArn = $"{elb}:loadbalancer/app/{env.ResourcePrefix}/0123456789abcdef",
            AlbArnSuffix = $"app/{env.ResourcePrefix}/0123456789abcdef",
            AlbDnsName = $"{env.ResourcePrefix}-123456789.{env.Region}.elb.amazonaws.com",
            AlbZoneId = "Z32O12XQLNTSW2",
            FrontendTargetGroupArn = $"{elb}:targetgroup/{env.ResourcePrefix}-frontend/0123456789abcdef",
            ApiTargetGroupArn = $"{elb}:targetgroup/{env.ResourcePrefix}-api/fedcba9876543210",
            FrontendTargetGroupArnSuffix = $"targetgroup/{env.ResourcePrefix}-frontend/0123456789abcdef",
            ApiTargetGroupArnSuffix = $"targetgroup/{env.ResourcePrefix}-api/fedcba9876543210",
            NodeGroupMinSize = env.Cluster.NodeGroup.MinSizePerAz * env.AvailabilityZones.Count,
            DeveloperGroup = "easypay-developers",
            ApplicationLogGroupName = $"/aws/containerinsights/{env.ResourcePrefix}/application",
            WebAclName = $"{env.ResourcePrefix}-edge",
            WafRateRuleMetricName = $"{env.ResourcePrefix}-api-rate",
            WafRuleMetricNames = [.. new[] { "aws-ip-reputation", "api-rate", "api-body-size", "aws-common", "aws-known-bad-inputs", "aws-sqli" }.Select(r => $"{env.ResourcePrefix}-{r}")],
            WafBlocks = env.Cluster.Ingress.Waf.Mode == EasyPay.Tf.Modules.Ingress.WafMode.Block,
        };
    }

    public static DatabaseOutputs Database(EnvironmentConfig env)
    {
        var host = $"{env.ResourcePrefix}.cluster-c1a2b3c4d5e6.{env.Region}.rds.amazonaws.com";
        return new DatabaseOutputs
        {
            ClusterIdentifier = env.ResourcePrefix,
            WriterEndpoint = host,
            ReaderEndpoint = host.Replace(".cluster-", ".cluster-ro-", StringComparison.Ordinal),
            ProxyEndpoint = $"{env.ResourcePrefix}.proxy-c1a2b3c4d5e6.{env.Region}.rds.amazonaws.com",
            // As the database stack decides it: a read-only endpoint only with two readers or more.
            ProxyReadOnlyEndpoint = env.Database.ReaderCount >= DatabaseStack.MinReadersForReadOnlyEndpoint
                ? $"{env.ResourcePrefix}-read-only.endpoint.proxy-c1a2b3c4d5e6.{env.Region}.rds.amazonaws.com"
                : $"{env.ResourcePrefix}.proxy-c1a2b3c4d5e6.{env.Region}.rds.amazonaws.com",
            Port = 5432,
            DatabaseName = env.Database.DatabaseName,
            SecretArn = $"arn:aws:secretsmanager:{env.Region}:{env.AccountId}:secret:rds!cluster-0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f-AbCdEf",
            ApplicationUser = PlatformContract.DatabaseUser,
            KmsKeyArn = $"arn:aws:kms:{env.Region}:{env.AccountId}:key/0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f",
            SecurityGroupId = "sg-0a1b2c3d4e5f60004",
            InstanceIdentifiers = [.. Enumerable.Range(1, env.Database.ReaderCount + 1).Select(i => $"{env.ResourcePrefix}-{i}")],
            MaxConnections = AuroraInstanceClass.Parse(env.Database.InstanceClass).DefaultMaxConnections,
            // Endpoint shapes of a TLS replication group, cluster mode disabled (ElastiCache user guide, "Finding
            // connection endpoints": master.<id>.<hash>.<region-code>.cache.amazonaws.com, replica.<...> for readers).
            Cache = new CacheOutputs
            {
                ReplicationGroupId = env.ResourcePrefix,
                PrimaryEndpoint = $"master.{env.ResourcePrefix}.a1b2c3.euw1.cache.amazonaws.com",
                ReaderEndpoint = $"replica.{env.ResourcePrefix}.a1b2c3.euw1.cache.amazonaws.com",
                Port = 6379,
                AuthMode = PlatformContract.CacheAuthMode,
                User = PlatformContract.CacheUser(env),
                MemberClusterIds = [.. Enumerable.Range(1, env.Cache.ReplicaCount + 1).Select(i => $"{env.ResourcePrefix}-{i:000}")],
                MultiAz = env.Cache.ReplicaCount > 0,
            },
            BackupVaultName = DatabaseStack.BackupVaultName(env),
        };
    }
}
