using Constructs;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Ingress;
using EasyPay.Tf.Modules.Logging;
using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Modules.Registry;
using EasyPay.Tf.Modules.Runner;
using EasyPay.Tf.Modules.Security;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Modules.Storage;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Stacks;

/// <summary>What the cluster stack gives database, monitoring and platform. Values are Terraform tokens
/// (outputs here, remote-state lookups in consumers) unless noted as known at synth time.</summary>
public sealed record ClusterOutputs
{
    public required string ClusterName { get; init; }
    public required string ClusterEndpoint { get; init; }
    /// <summary>Base64 PEM of the cluster CA, as EKS returns it.</summary>
    public required string ClusterCertificateAuthorityData { get; init; }
    public required string OidcProviderArn { get; init; }
    /// <summary>Issuer URL without the https:// scheme (the form IRSA trust conditions use).</summary>
    public required string OidcIssuer { get; init; }
    /// <summary>Security group of the nodes (and so of the pods, with the VPC CNI).</summary>
    public required string NodeSecurityGroupId { get; init; }
    /// <summary>The customer-managed key of Kubernetes persistent volumes (EBS CSI may use it).</summary>
    public required string PersistentVolumeKeyArn { get; init; }
    /// <summary>The EKS-managed cluster security group (control plane ⇄ nodes).</summary>
    public required string ClusterSecurityGroupId { get; init; }
    public required string AlbSecurityGroupId { get; init; }
    public required string LoadBalancerControllerRoleArn { get; init; }
    public required string ClusterAutoscalerRoleArn { get; init; }
    /// <summary>IRSA role of the External Secrets controller (external-secrets namespace): reads the application's
    /// own secrets only.</summary>
    public required string ExternalSecretsRoleArn { get; init; }
    /// <summary>IRSA role of the backend's service account.</summary>
    public required string BackendRoleArn { get; init; }
    /// <summary>Name of that role: the database stack allows it rds-db:connect through its proxy (the proxy does
    /// not exist yet when the cluster is built).</summary>
    public required string BackendRoleName { get; init; }
    public required string VeleroRoleArn { get; init; }
    public required string VeleroBucketName { get; init; }
    public required string AlbArn { get; init; }
    /// <summary>"app/name/id": the LoadBalancer dimension of ALB CloudWatch metrics.</summary>
    public required string AlbArnSuffix { get; init; }
    public required string AlbDnsName { get; init; }
    public required string AlbZoneId { get; init; }
    /// <summary>The listener's default target group: the frontend pods (nginx).</summary>
    public required string FrontendTargetGroupArn { get; init; }
    /// <summary>The target group of /api/*: also the frontend pods (nginx proxies /api/ to the backend), kept
    /// apart so the payment API's requests, errors and latency have ALB metrics of their own.</summary>
    public required string ApiTargetGroupArn { get; init; }
    /// <summary>"targetgroup/name/id": the TargetGroup dimension of ALB CloudWatch metrics.</summary>
    public required string FrontendTargetGroupArnSuffix { get; init; }
    public required string ApiTargetGroupArnSuffix { get; init; }
    /// <summary>Known at synth time: the cluster's minimum node count (per-AZ minimum × AZs), for the node-count alarm.</summary>
    public required int NodeGroupMinSize { get; init; }
    /// <summary>Known at synth time: the Kubernetes group developers are mapped to (chart RBAC binds it).</summary>
    public required string DeveloperGroup { get; init; }
    /// <summary>Known at synth time: the log group every pod's stdout/stderr goes to (Fluent Bit of the
    /// Container Insights add-on).</summary>
    public required string ApplicationLogGroupName { get; init; }
    /// <summary>Name of the ALB's web ACL, also its metric name: the WebACL dimension of AWS/WAFV2 metrics.</summary>
    public required string WebAclName { get; init; }
    /// <summary>Known at synth time: the Rule dimension of the per-IP rate rule on /api/*.</summary>
    public required string WafRateRuleMetricName { get; init; }
    /// <summary>Known at synth time: the Rule dimension of every rule of the web ACL.</summary>
    public required IReadOnlyList<string> WafRuleMetricNames { get; init; }
    /// <summary>Known at synth time: true when the rules block, false when they only count (the alarms watch
    /// BlockedRequests or CountedRequests accordingly).</summary>
    public required bool WafBlocks { get; init; }
}

/// <summary>&lt;env&gt;-cluster: the EKS control plane and managed nodes in the private subnets, the IRSA roles
/// of the platform add-ons, the EKS-managed add-ons, and the internet-facing ALB whose target groups the app
/// chart binds pods to. docs/cluster.md tells operators how to reach the cluster and who may do what.</summary>
public sealed class ClusterStack : EasyPayStack
{
    public const string Name = "cluster";

    // The service accounts of the EKS add-ons' IRSA roles (AWS names them); the helm add-ons' come from their
    // records (HelmAddons), the app's from PlatformContract.
    public static readonly KubernetesServiceAccount EbsCsiAccount = new("kube-system", "ebs-csi-controller-sa");
    public static readonly KubernetesServiceAccount VpcCniAccount = new("kube-system", "aws-node");
    public static readonly KubernetesServiceAccount CloudWatchAgentAccount = new("amazon-cloudwatch", "cloudwatch-agent");

    /// <summary>Container Insights (the metrics the monitoring stack alarms on: node_cpu_utilization,
    /// cluster_node_count, pod_number_of_container_restarts). Pinned here rather than per environment
    /// because no environment needs another; bump it with the Kubernetes version
    /// (aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability --kubernetes-version 1.35).
    /// v6.7.0-eksbuild.1: the default EKS returned for 1.35/1.36 in Sep 2026 (third-party records; docs/cluster.md
    /// "Add-on versions per Kubernetes version"); chart 6.4.0 still has containerLogs.enabled and the same
    /// /aws/containerinsights/&lt;cluster&gt;/{application,dataplane,host} groups.</summary>
    public const string CloudWatchObservabilityVersion = "v6.7.0-eksbuild.1";

    /// <summary>Container logs on: the add-on's Fluent Bit ships every pod's stdout/stderr (and the node's
    /// dataplane and host logs) to the Container Insights log groups, which this stack creates first so they
    /// are KMS-encrypted and expire.</summary>
    public const string CloudWatchObservabilityConfiguration = """{"containerLogs":{"enabled":true}}""";

    /// <summary>The log groups the amazon-cloudwatch-observability add-on writes to,
    /// /aws/containerinsights/&lt;cluster&gt;/&lt;type&gt;: the agent's performance events (the Container Insights
    /// metrics) and Fluent Bit's application (container), dataplane and host logs.</summary>
    public static readonly IReadOnlyList<string> ContainerInsightsLogTypes = ["application", "dataplane", "host", "performance"];

    /// <summary>The HCP Terraform agent image: the newest release found (1.32.0, 2026-09-21, HashiCorp's tfc-agent
    /// releases), from Docker Hub through the account's pull-through cache; the environment file adds its digest
    /// (terraformCloud.agentImageDigest), which could not be read where this was written (no registry access):
    /// docs/terraform-cloud.md says how to get it.</summary>
    public static readonly MirroredImage AgentImage = new(UpstreamRegistries.DockerHub, "hashicorp/tfc-agent", "1.32.0");

    public ClusterOutputs Outputs { get; }

    public ClusterStack(Construct scope, EnvironmentConfig env, AccountOutputs account, NetworkOutputs network) : base(scope, env, Name)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(network);
        var config = env.Cluster;
        var clusterName = PlatformContract.ClusterName(env);

        var eks = new EksControlPlane(this, "eks", new EksControlPlaneProps(
            clusterName, config.KubernetesVersion, network.PrivateSubnetIds, config.PublicAccessCidrs)
        {
            LogRetentionDays = env.LogRetentionDays,
            DeletionProtection = Posture.DeletionProtection,
            AllowPublicAccessFromAnywhere = Posture.AllowPublicApiFromAnywhere,
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            SupportType = config.UpgradePolicy?.SupportType ?? EksSupportType.Standard,
            AdditionalLogGroupNames = [.. ContainerInsightsLogTypes.Select(type => PlatformContract.ContainerInsightsLogGroupName(env, type))],
        });
        _ = new ClusterAccess(this, "admin-access", new ClusterAccessProps(eks.Name, account.AdminRoleArn)
        {
            ClusterScopePolicy = ClusterAccess.ClusterAdminPolicy,
        });
        // The cluster grants its creator nothing (bootstrap_cluster_creator_admin_permissions = false): the
        // identity that applies <env>-platform (its workspace's role, or the local deployer) needs its own entry.
        _ = new ClusterAccess(this, "deployer-access", new ClusterAccessProps(eks.Name, account.DeployerRoleArn)
        {
            ClusterScopePolicy = ClusterAccess.ClusterAdminPolicy,
        });
        if (account.BreakGlassRoleArn is { } breakGlass)
        {
            _ = new ClusterAccess(this, "break-glass-access", new ClusterAccessProps(eks.Name, breakGlass)
            {
                ClusterScopePolicy = ClusterAccess.ClusterAdminPolicy,
            });
        }
        _ = new ClusterAccess(this, "developer-access", new ClusterAccessProps(eks.Name, account.DeveloperRoleArn)
        {
            KubernetesGroups = [PlatformContract.DeveloperGroup],
        });

        var https = config.Ingress.Protocol == ListenerProtocol.Https;
        var alb = new PublicLoadBalancer(this, "alb", new PublicLoadBalancerProps(
            Prefix, network.VpcId, network.PublicSubnetIds,
            // Every target is a frontend pod: the internet reaches nginx only, and nginx proxies /api/ to the
            // backend Service inside the cluster. /api/* has a group of its own for the payment SLO's metrics.
            [
                new LoadBalancerTarget("frontend", PlatformContract.AppPort),
                new LoadBalancerTarget("api", PlatformContract.AppPort)
                {
                    PathPatterns = [PlatformContract.ApiPathPattern],
                    // Until every environment has applied this release once: the rule that sent /api/* to the
                    // removed backend target group becomes this one (same priority), updated in place.
                    RuleMovedFrom = "aws_lb_listener_rule.alb_rule-backend_E3F24EF6",
                },
            ])
        {
            // EnvironmentRules: https exactly where the account stack has a certificate, http with a reason elsewhere.
            CertificateArn = https
                ? account.AlbCertificateArn ?? throw new InvalidOperationException($"{env.Name}: cluster.ingress.protocol https without the account stack's ALB certificate")
                : null,
            SslPolicy = config.Ingress.SslPolicy ?? PublicLoadBalancer.DefaultSslPolicy,
            DeletionProtection = Posture.DeletionProtection,
            AccessLogRetentionDays = env.LogRetentionDays,
            ForceDestroyLogs = Posture.ForceDestroyBuckets,
        });
        var waf = new WebApplicationFirewall(this, "waf", new WebApplicationFirewallProps(Prefix, alb.Arn, env.LogRetentionDays)
        {
            Mode = config.Ingress.Waf.Mode,
            ApiPathPrefix = PlatformContract.ApiPathPattern.TrimEnd('*'),
            ApiRateLimit = config.Ingress.Waf.ApiRateLimitPer5Minutes,
            RateWindowSeconds = 300,
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
        });
        var nodeSg = new NodeSecurityGroup(this, "node-sg", new NodeSecurityGroupProps(
            $"{Prefix}-eks-nodes", network.VpcId, eks.ClusterSecurityGroupId, alb.SecurityGroupId,
            new NodeEgress(network.EndpointSecurityGroupId, network.S3PrefixListId,
                TerraformAgent.AmazonDnsServer(Modules.Core.Ipv4Cidr.Parse(network.VpcCidr)), network.DataSubnetCidrs)
            {
                DataPorts = [.. PlatformContract.DataPorts.Select(p => p.Port)],
                // HTTPS to anywhere is open anyway (egress-https); the providers' other ports only to their ranges.
                Destinations = [.. env.Application.PaymentProviders.SelectMany(p => p.Cidrs.SelectMany(c => p.Ports.Where(port => port != 443)
                    .Select(port => new NodeEgressDestination($"provider-{p.Name}", c, port))))],
            })
        {
            AppPorts = [PlatformContract.AppPort],
        });

        // Networking add-ons come before the nodes (a node is Ready only with the CNI); the rest run on nodes.
        // vpc-cni gets its own IRSA role (AWS: "Configure Amazon VPC CNI plugin to use IRSA", the recommended
        // setup), so the ENI permissions are not on the node role that every host-network pod reaches.
        var cni = Irsa("vpc-cni", VpcCniAccount, eks, [], [Aws.ManagedPolicyArn(ManagedNodeGroup.CniPolicy)]);
        var vpcCni = Addon(eks, "vpc-cni", config.Addons.VpcCni, [eks.Resource], cni.Arn);
        var kubeProxy = Addon(eks, "kube-proxy", config.Addons.KubeProxy, [eks.Resource]);
        var ng = config.NodeGroup;
        var zones = network.AvailabilityZones.Select((az, i) => new NodeGroupZone(az, network.PrivateSubnetIds[i])).ToList();
        var nodes = new ManagedNodeGroup(this, "nodes", new ManagedNodeGroupProps(
            // The node security group alone: the EKS cluster security group's allow-all egress would void its allowlist.
            $"{Prefix}-general", clusterName, zones, [nodeSg.Id], ng.InstanceTypes,
            account.AutoScalingServiceLinkedRoleArn)
        {
            CapacityType = ng.CapacityType,
            MinSizePerAz = ng.MinSizePerAz,
            DesiredSizePerAz = ng.DesiredSizePerAz,
            MaxSizePerAz = ng.MaxSizePerAz,
            DiskSizeGiB = ng.DiskSizeGiB,
            KubernetesVersion = ng.KubernetesVersion ?? config.KubernetesVersion,
            LaunchedResourceTags = DefaultTags(env, Name),
            // One general-purpose pool runs everything, so no taints; the label lets workloads pin to it and
            // keeps room for tainted special-purpose pools later.
            Labels = new Dictionary<string, string> { ["easypay.io/node-pool"] = "general" },
            KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
            // Upgrade only (cluster.keepCniPolicyOnNodeRole): aws-node keeps the node role's permissions for the apply
            // that moves it to the IRSA role; the next apply removes them (docs/cluster.md).
            CniPolicyOnNodeRole = config.KeepCniPolicyOnNodeRole,
            SessionManager = Posture.NodeSessionManager,
            PullThroughCachePrefixes = [.. AccountStack.MirroredRegistries.Select(r => r.Prefix)],
        }, [eks.Resource, vpcCni.Resource, kubeProxy.Resource, .. nodeSg.Rules]);

        // Globally unique with the account id; known at synth time, so the policy below names it literally.
        var veleroBucketName = $"{Prefix}-velero-{Aws.AccountId}";
        // Only Velero (its IRSA role, by name: the role is created below) and break-glass read the backups.
        var (veleroBucket, veleroKey) = VeleroStorage(veleroBucketName,
            [Aws.Arn("iam", $"role/{Prefix}-{HelmAddons.Velero.Name}", region: ""), .. account.BreakGlassRoleArn is { } breakGlassArn ? [breakGlassArn] : Array.Empty<string>()]);
        if (env.DisasterRecovery is { } dr)
        {
            // A cluster rebuilt in the DR region restores from the replica (docs/disaster-recovery.md).
            _ = new BucketReplica(this, "velero-replica", new BucketReplicaProps(veleroBucket, veleroKey.Arn, $"{Prefix}-velero-dr-{Aws.AccountId}", dr.Region)
            {
                PreventDestroy = Posture.DeletionProtection,
                ForceDestroy = Posture.ForceDestroyBuckets,
                KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
                ObjectLock = VeleroObjectLock,
            });
            _ = new ImageReplication(this, "image-replication", new ImageReplicationProps(PlatformContract.ImageRepositoryPrefix, dr.Region));
        }
        // One IRSA role per helm add-on that calls AWS, trusting exactly the service account its record names.
        var iamInputs = new AddonIamInputs(Aws, clusterName, [.. alb.TargetGroups.Select(t => t.Arn)], nodeSg.Id,
            SecureBucket.ArnOf(this, veleroBucketName), veleroKey.Arn, PlatformContract.ApplicationSecretsPrefix(env));
        var addonRoles = HelmAddons.WithIamRole.ToDictionary(a => a.Name, a => Irsa(a.Name, a.ServiceAccount!, eks, a.IamPolicy!(iamInputs)));
        // No permissions here: the database stack attaches rds-db:connect through its proxy to this role (by
        // name), because the proxy does not exist until the database does.
        var backend = Irsa("backend", PlatformContract.BackendAccount, eks, []);
        // Persistent volumes (the platform stack's default StorageClass) are encrypted with a key of their own, which
        // the driver's role may use for volumes only; AmazonEBSCSIDriverPolicy covers no customer-managed key.
        var volumeKey = new EncryptionKey(this, "persistent-volume-key", new EncryptionKeyProps($"{Prefix}-persistent-volumes", $"Kubernetes persistent volumes (EBS CSI) of {Prefix}")
        {
            DeletionWindowInDays = Posture.KeyDeletionWindowDays,
        });
        var ebsCsi = Irsa("ebs-csi-driver", EbsCsiAccount, eks, EncryptedStorageClass.DriverKeyStatements(volumeKey.Arn),
            [Aws.ManagedPolicyArn("service-role/AmazonEBSCSIDriverPolicy")]);
        var cloudWatch = Irsa("cloudwatch-agent", CloudWatchAgentAccount, eks, [],
            [Aws.ManagedPolicyArn("CloudWatchAgentServerPolicy")]);

        _ = Addon(eks, "coredns", config.Addons.CoreDns, nodes.Resources);
        _ = Addon(eks, "aws-ebs-csi-driver", config.Addons.EbsCsiDriver, nodes.Resources, ebsCsi.Arn);
        // The add-on writes to these groups and would create any that is missing (unencrypted, kept forever):
        // this stack owns them all and creates them before the add-on starts.
        var containerInsightsLogs = ContainerInsightsLogTypes.Select(type => new LogGroup(this, ContainerInsightsLogGroupId(type),
            new LogGroupProps(PlatformContract.ContainerInsightsLogGroupName(env, type), env.LogRetentionDays, eks.LogsKeyArn)).Resource).ToList();
        _ = Addon(eks, "amazon-cloudwatch-observability", CloudWatchObservabilityVersion, [.. nodes.Resources, .. containerInsightsLogs],
            cloudWatch.Arn, CloudWatchObservabilityConfiguration);

        if (env.TerraformCloud is { } tfc)
        {
            // The platform workspace runs on these agents: they reach the private endpoint (the cluster security
            // group admits them), and HCP Terraform's own workers never need to reach the cluster.
            var token = new TerraformVariable(this, TerraformCloudStack.AgentTokenVariable, new TerraformVariableConfig
            {
                Type = "string",
                Sensitive = true,
                Nullable = false,
                Description = "Agent pool token, set on this workspace by the terraform-cloud stack",
            });
            _ = new TerraformAgent(this, "tfc-agent", new TerraformAgentProps($"{Prefix}-tfc-agent", network.VpcId, network.VpcCidr,
                network.PrivateSubnetIds, AgentImage.ReferenceIn(account.ImageRegistry) + (tfc.AgentImageDigest is { } digest ? $"@{digest}" : ""), token.StringValue, env.LogRetentionDays)
            {
                ImageRepositoryArn = Aws.Arn("ecr", $"repository/{AgentImage.Registry.Prefix}/{AgentImage.Repository}"),
                TfcAddress = $"https://{tfc.Hostname}",
                ApiSecurityGroupIds = [eks.ClusterSecurityGroupId],
                KeyDeletionWindowInDays = Posture.KeyDeletionWindowDays,
                SecretRecoveryWindowInDays = Posture.KeyDeletionWindowDays,
            });
        }

        var frontend = alb.TargetGroup("frontend");
        var api = alb.TargetGroup("api");
        Outputs = new ClusterOutputs
        {
            ClusterName = eks.Name,
            ClusterEndpoint = eks.Endpoint,
            ClusterCertificateAuthorityData = eks.CertificateAuthorityData,
            OidcProviderArn = eks.OidcProviderArn,
            OidcIssuer = eks.OidcIssuer,
            NodeSecurityGroupId = nodeSg.Id,
            PersistentVolumeKeyArn = volumeKey.Arn,
            ClusterSecurityGroupId = eks.ClusterSecurityGroupId,
            AlbSecurityGroupId = alb.SecurityGroupId,
            LoadBalancerControllerRoleArn = addonRoles[HelmAddons.LoadBalancerController.Name].Arn,
            ClusterAutoscalerRoleArn = addonRoles[HelmAddons.ClusterAutoscaler.Name].Arn,
            ExternalSecretsRoleArn = addonRoles[HelmAddons.ExternalSecrets.Name].Arn,
            BackendRoleArn = backend.Arn,
            BackendRoleName = backend.Name,
            VeleroRoleArn = addonRoles[HelmAddons.Velero.Name].Arn,
            VeleroBucketName = veleroBucket.Name,
            AlbArn = alb.Arn,
            AlbArnSuffix = alb.ArnSuffix,
            AlbDnsName = alb.DnsName,
            AlbZoneId = alb.ZoneId,
            FrontendTargetGroupArn = frontend.Arn,
            ApiTargetGroupArn = api.Arn,
            FrontendTargetGroupArnSuffix = frontend.ArnSuffix,
            ApiTargetGroupArnSuffix = api.ArnSuffix,
            NodeGroupMinSize = ng.MinSizePerAz * zones.Count,
            DeveloperGroup = PlatformContract.DeveloperGroup,
            ApplicationLogGroupName = PlatformContract.ContainerInsightsLogGroupName(env, "application"),
            WebAclName = waf.WebAclName,
            WafRateRuleMetricName = waf.RateRuleMetricName,
            WafRuleMetricNames = waf.RuleMetricNames,
            WafBlocks = config.Ingress.Waf.Mode == WafMode.Block,
        };
        ExportOutputs();
    }

    /// <summary>The performance group keeps the construct id it has had since it was the only one, so its
    /// state address does not move.</summary>
    private static string ContainerInsightsLogGroupId(string type) => type == "performance" ? "container-insights" : $"container-insights-{type}";

    private ClusterAddon Addon(EksControlPlane eks, string name, string version, IReadOnlyList<ITerraformDependable> after,
        string? roleArn = null, string? configuration = null) =>
        new(this, $"addon-{name}", new ClusterAddonProps(eks.Name, name, version)
        {
            ServiceAccountRoleArn = roleArn,
            ConfigurationValues = configuration,
            DependsOn = after,
        });

    private IrsaRole Irsa(string name, KubernetesServiceAccount account, EksControlPlane eks,
        IReadOnlyList<Modules.Core.PolicyStatement> statements, IReadOnlyList<string>? managedPolicies = null) =>
        new(this, $"irsa-{name}", new IrsaRoleProps($"{Prefix}-{name}", eks.OidcProviderArn, eks.OidcIssuer, account)
        {
            Description = $"IRSA role of {account} in {Prefix}",
            Statements = statements,
            ManagedPolicyArns = managedPolicies ?? [],
        });

    /// <summary>Object Lock retention of each Velero object version: a week longer than the backups' TTL (168 h,
    /// PlatformAddonsProps.VeleroBackupTtl), and shorter than the 30 days after which noncurrent versions expire.</summary>
    public const int VeleroObjectLockDays = 14;

    private BucketObjectLock VeleroObjectLock => new(Posture.AuditLogLockMode, VeleroObjectLockDays) { AtCreation = false };

    /// <summary>Velero's bucket and its key. Production backups survive a destroy: no force_destroy and
    /// lifecycle prevent_destroy.</summary>
    private (SecureBucket Bucket, EncryptionKey Key) VeleroStorage(string name, IReadOnlyList<string> readers)
    {
        var key = new EncryptionKey(this, "velero-key", new EncryptionKeyProps($"{Prefix}-velero", $"Velero backups of {Prefix}")
        {
            DeletionWindowInDays = Posture.KeyDeletionWindowDays,
        });
        var bucket = new SecureBucket(this, "velero-bucket", new SecureBucketProps(name, key.Arn)
        {
            ForceDestroy = Posture.ForceDestroyBuckets,
            PreventDestroy = Posture.DeletionProtection,
            NoncurrentVersionExpirationDays = 30,
            AbortIncompleteUploadsAfterDays = 7,
            // Every version outlives Velero's TTL: an administrator (or Velero's own credentials) deleting a backup only
            // adds a delete marker, and the versions stay restorable until the lock ends (then noncurrent expiry
            // removes them). Compliance in production; governance elsewhere, which force_destroy bypasses.
            // Enabled by the lock configuration, so a running environment's bucket is not replaced.
            ObjectLock = VeleroObjectLock,
            // A backup holds every object of the cluster: an administrator's credentials alone do not read it.
            AdditionalPolicyStatements = [SecureBucket.DenyObjectReadsExcept(SecureBucket.ArnOf(this, name), readers)],
        });
        return (bucket, key);
    }

    /// <summary>Every ClusterOutputs field as a described stack output, for operators (cdktf output) and scripts;
    /// consumers still get their values through CDKTF's own cross-stack outputs. A test checks that the list
    /// covers every field.</summary>
    private void ExportOutputs()
    {
        var o = Outputs;
        Output("cluster_name", "EKS cluster name (aws eks update-kubeconfig --name)", o.ClusterName);
        Output("cluster_endpoint", "EKS API server endpoint", o.ClusterEndpoint);
        Output("cluster_certificate_authority_data", "Base64 PEM of the cluster CA, as EKS returns it", o.ClusterCertificateAuthorityData);
        Output("oidc_provider_arn", "IAM OIDC provider the IRSA roles trust", o.OidcProviderArn);
        Output("oidc_issuer", "Cluster OIDC issuer without https:// (the IRSA condition key prefix)", o.OidcIssuer);
        Output("node_security_group_id", "Security group of the nodes and, with the VPC CNI, of the pods", o.NodeSecurityGroupId);
        Output("persistent_volume_key_arn", "KMS key of the persistent volumes (the default StorageClass)", o.PersistentVolumeKeyArn);
        Output("cluster_security_group_id", "EKS-managed cluster security group (control plane to nodes)", o.ClusterSecurityGroupId);
        Output("alb_security_group_id", "Security group of the internet-facing ALB", o.AlbSecurityGroupId);
        Output("load_balancer_controller_role_arn", "IRSA role of the AWS Load Balancer Controller", o.LoadBalancerControllerRoleArn);
        Output("cluster_autoscaler_role_arn", "IRSA role of cluster-autoscaler", o.ClusterAutoscalerRoleArn);
        Output("external_secrets_role_arn", "IRSA role of the External Secrets controller (reads the application's own secrets only)", o.ExternalSecretsRoleArn);
        Output("backend_role_arn", "IRSA role of the backend's service account (IAM auth to the database proxy)", o.BackendRoleArn);
        Output("backend_role_name", "Name of that role; the database stack allows it rds-db:connect through its proxy", o.BackendRoleName);
        Output("velero_role_arn", "IRSA role of Velero", o.VeleroRoleArn);
        Output("velero_bucket_name", "Bucket Velero backs the cluster up to", o.VeleroBucketName);
        Output("alb_arn", "ARN of the internet-facing ALB", o.AlbArn);
        Output("alb_arn_suffix", "app/NAME/ID: the LoadBalancer dimension of the ALB's CloudWatch metrics", o.AlbArnSuffix);
        Output("alb_dns_name", "DNS name of the ALB (the DNS record's alias target)", o.AlbDnsName);
        Output("alb_zone_id", "Route 53 hosted zone id of the ALB, for alias records", o.AlbZoneId);
        Output("frontend_target_group_arn", "Default target group: the frontend pods", o.FrontendTargetGroupArn);
        Output("api_target_group_arn", $"Target group of {PlatformContract.ApiPathPattern}: also the frontend pods, apart for the payment API's metrics", o.ApiTargetGroupArn);
        Output("frontend_target_group_arn_suffix", "targetgroup/NAME/ID of the frontend group (CloudWatch TargetGroup dimension)", o.FrontendTargetGroupArnSuffix);
        Output("api_target_group_arn_suffix", "targetgroup/NAME/ID of the API group (CloudWatch TargetGroup dimension)", o.ApiTargetGroupArnSuffix);
        Output("node_group_min_size", "Minimum node count of the cluster (per-AZ minimum times AZs)", o.NodeGroupMinSize);
        Output("developer_group", "Kubernetes group the developer role is mapped to", o.DeveloperGroup);
        Output("application_log_group_name", "Log group every pod's stdout and stderr goes to", o.ApplicationLogGroupName);
        Output("web_acl_name", "AWS WAF web ACL of the ALB (its name is also the WebACL dimension of its metrics)", o.WebAclName);
        Output("waf_rate_rule_metric_name", $"Rule dimension of the per-IP rate rule on {PlatformContract.ApiPathPattern}", o.WafRateRuleMetricName);
        Output("waf_rule_metric_names", "Rule dimension of every rule of the web ACL, in priority order", o.WafRuleMetricNames.ToArray());
        Output("waf_blocks", "true when the web ACL blocks, false when its rules only count", o.WafBlocks);
    }
}
