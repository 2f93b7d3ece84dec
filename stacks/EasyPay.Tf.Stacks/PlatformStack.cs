using Constructs;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>&lt;env&gt;-platform: turns the empty EKS cluster into the running payment platform, through the
/// helm and kubernetes providers (<see cref="Authentication"/>: how they reach the cluster). With Terraform
/// Cloud it runs on the agent inside the VPC (the EKS API is not open to HashiCorp's addresses).</summary>
public sealed class PlatformStack : EasyPayStack
{
    public const string Name = "platform";

    /// <summary>Local deploys run on an operator's machine with the AWS CLI: exec credentials that never expire.
    /// Terraform Cloud runs on the agent, whose image has no AWS CLI: an ephemeral token each run phase opens
    /// afresh (valid 15 minutes), so the releases' longest chain of timeouts must fit in one apply (a test checks).</summary>
    public static ClusterAuthentication Authentication(EnvironmentConfig env) =>
        env.TerraformCloud is null ? ClusterAuthentication.Exec : ClusterAuthentication.Token;

    /// <summary>With a 15-minute token: an add-on chart's controller is Ready in about a minute on a healthy
    /// cluster; three minutes or the apply fails (and is re-run) rather than outlive the token.</summary>
    public const int TokenReleaseTimeoutSeconds = 180;

    /// <summary>With a 15-minute token: how long Calico's API server may take after its operator.</summary>
    public const int TokenApiTimeoutSeconds = 180;

    /// <summary>The default StorageClass of the cluster (gp3, customer-managed key).</summary>
    public const string PersistentVolumeStorageClass = "gp3-encrypted";

    public PlatformAddons Addons { get; }
    public EasypayApplication Application { get; }

    public PlatformStack(Construct scope, EnvironmentConfig env, AccountOutputs account, NetworkOutputs network, ClusterOutputs cluster, DatabaseOutputs database, AppPaths paths)
        : base(scope, env, Name)
    {
        var connection = new ClusterConnection(this, "cluster", new ClusterConnectionProps(
            cluster.ClusterName, cluster.ClusterEndpoint, cluster.ClusterCertificateAuthorityData)
        {
            Authentication = Authentication(env),
        });

        // The cluster's default StorageClass: every persistent volume encrypted with the cluster stack's volume key
        // (EKS marks no class default on clusters created at 1.30 or later, so this one is the default).
        _ = new EncryptedStorageClass(this, "storage-class", new EncryptedStorageClassProps(PersistentVolumeStorageClass, cluster.PersistentVolumeKeyArn)
        {
            ReclaimPolicy = Posture.DeletionProtection ? "Retain" : "Delete",
        }, connection.Kubernetes);

        Addons = new PlatformAddons(this, "addons", new PlatformAddonsProps(
            cluster.ClusterName, network.VpcId,
            new Dictionary<string, string>
            {
                [HelmAddons.LoadBalancerController.Name] = cluster.LoadBalancerControllerRoleArn,
                [HelmAddons.ClusterAutoscaler.Name] = cluster.ClusterAutoscalerRoleArn,
                [HelmAddons.Velero.Name] = cluster.VeleroRoleArn,
                [HelmAddons.ExternalSecrets.Name] = cluster.ExternalSecretsRoleArn,
            },
            cluster.VeleroBucketName, account.ImageRegistry)
        {
            // A plan-time token must outlive the apply: the longest chain (Calico, its API, the app) gets
            // 180 + (180 + 60) + 270 = 690 s of the token's 900 (PlatformTimingTests).
            ReleaseTimeoutSeconds = Authentication(env) == ClusterAuthentication.Token ? TokenReleaseTimeoutSeconds : 600,
            ApiTimeoutSeconds = Authentication(env) == ClusterAuthentication.Token ? TokenApiTimeoutSeconds : 300,
            ApplicationNamespace = PlatformContract.AppNamespace,
            AdoptNamespaces = env.Cluster.AdoptAddonNamespaces,
        }, connection.Helm, connection.Kubernetes);

        Application = new EasypayApplication(this, "easypay", new EasypayApplicationProps(
            paths.EasypayChart, ApplicationValues(env, account, network, cluster, database))
        {
            Namespace = PlatformContract.AppNamespace,
            DependsOn = Addons.ApplicationPrerequisites,
        }, connection.Kubernetes, connection.Helm);
        // External Secrets' scoped Role lives in the application namespace, which must exist first.
        Addons.Release(HelmAddons.ExternalSecrets).WaitFor([Application.Namespace]);
    }

    /// <summary>The easypay chart's values for an environment, from its config and the other stacks' outputs.
    /// Public so tests can render the chart with exactly these values.</summary>
    public static EasypayChartValues ApplicationValues(EnvironmentConfig env, AccountOutputs account, NetworkOutputs network, ClusterOutputs cluster, DatabaseOutputs database)
    {
        ArgumentNullException.ThrowIfNull(account);
        var app = env.Application;
        return new EasypayChartValues(
            env.Region,
            // Only the frontend faces the ALB; the backend is reached through nginx inside the cluster.
            Component(account.FrontendRepositoryUrl, app.FrontendImage, app.FrontendReplicas, app.MaxReplicas(app.FrontendReplicas)) with
            {
                TargetGroupArn = cluster.FrontendTargetGroupArn,
                ApiTargetGroupArn = cluster.ApiTargetGroupArn,
            },
            // The backend's IRSA role may only rds-db:connect through the proxy as the application's database user.
            Component(account.BackendRepositoryUrl, app.BackendImage, app.BackendReplicas, app.MaxReplicas(app.BackendReplicas)) with
            {
                ServiceAccount = EasypayServiceAccountValues.WithRole(cluster.BackendRoleArn),
            },
            new EasypayDatabaseValues(
                database.ProxyEndpoint, database.ProxyReadOnlyEndpoint, database.Port, database.DatabaseName, database.ApplicationUser,
                network.DataSubnetCidrs),
            // The backend's IRSA role may also elasticache:Connect to the cache as its one user (the database stack grants it).
            new EasypayCacheValues(
                database.Cache.PrimaryEndpoint, database.Cache.ReaderEndpoint, database.Cache.Port, database.Cache.User,
                database.Cache.ReplicationGroupId, network.DataSubnetCidrs),
            
            new EasypayExternalSecretsValues(new EasypaySecretStoreValues(true, PlatformContract.ApplicationSecretsPrefix(env))),
            new EasypayNetworkValues(
                network.PublicSubnetCidrs,
                // Every environment has the interface endpoints the app calls (PlatformContract.AppAwsServices) in
                // the private subnets, so the backend's AWS egress never leaves the VPC.
                network.PrivateSubnetCidrs,
                [.. app.PaymentProviders.Select(p => new EasypayPaymentProviderValues(p.Name, p.Cidrs, p.Ports))],
                new EasypayCalicoPolicyValues(true),
                // Cluster-wide: no pod but the backend's opens a data port in the data subnets, whatever its namespace allows.
                new EasypayDataGuardValues(true, [.. PlatformContract.DataPorts.Select(p => p.Port)])),
            // alb.securityGroupId stays empty: the cluster stack already admits the ALB to the pods on the app
            // port, and the controller must not edit the EKS-managed cluster security group.
            // Production: developers read and follow logs; anything more goes through the break-glass role.
            new EasypayRbacValues(cluster.DeveloperGroup, Posture.Of(env).DevelopersOperatePods ? EasypayRbacValues.Operate : EasypayRbacValues.ReadOnly),
            // The monitoring stack's Route 53 health check probes this path (EasypayDeepHealthCheckValues.DefaultPath).
            EasypayDeepHealthCheckValues.Default,
            // Every image of the app namespace comes from the environment's own ECR registry (immutable tags, scanned),
            // by digest in production (EnvironmentRules requires the digests there).
            new EasypayPodAdmissionValues(true, account.ImageRegistry, Posture.Of(env).ImageDigestsRequired),
            // The test pod's curl comes through the account's pull-through cache like the add-ons' images; where digests
            // are required it runs only once application.testImageDigest names the cached image's digest.
            new EasypayTestValues(!Posture.Of(env).ImageDigestsRequired || app.TestImageDigest is not null,
                new EasypayImageValues(AddonImages.Curl.RepositoryIn(account.ImageRegistry), AddonImages.Curl.Tag) { Digest = app.TestImageDigest }));

        static EasypayComponentValues Component(string repository, ImageConfig image, ReplicaConfig replicas, int maxReplicas) => new(
            new EasypayImageValues(repository, image.Tag) { Digest = image.Digest },
            new EasypayAutoscalingValues(replicas.Min, maxReplicas),
            // One pod may be disrupted at a time; the chart rejects a PDB that would block every drain.
            // The zone spread stays the chart's (DoNotSchedule, nodeTaintsPolicy Honor, no minDomains): a lost
            // AZ's tainted nodes leave the spread, so its pods and any scale-out go to the remaining AZs.
            new EasypayPdbValues(replicas.Min - 1));
    }
}
