using Constructs;
using EasyPay.Tf.Modules.Platform;
using EasyPay.Tf.Modules.Platform.Addons;
using EasyPay.Tf.Stacks.Configuration;

namespace EasyPay.Tf.Stacks;

/// <summary>&lt;env&gt;-platform: turns the empty EKS cluster into the running payment platform. The helm and
/// kubernetes providers authenticate with a token from aws_eks_cluster_auth (no kubeconfig, no aws CLI),
/// so a Terraform Cloud remote run can apply it.</summary>
public sealed class PlatformStack : EasyPayStack
{
    public const string Name = "platform";

    public PlatformAddons Addons { get; }
    public EasypayApplication Application { get; }

    public PlatformStack(Construct scope, EnvironmentConfig env, NetworkOutputs network, ClusterOutputs cluster, DatabaseOutputs database, AppPaths paths)
        : base(scope, env, Name)
    {
        var connection = new ClusterConnection(this, "cluster", new ClusterConnectionProps(
            cluster.ClusterName, cluster.ClusterEndpoint, cluster.ClusterCertificateAuthorityData));

        Addons = new PlatformAddons(this, "addons", new PlatformAddonsProps(
            cluster.ClusterName, network.VpcId,
            new Dictionary<string, string>
            {
                [HelmAddons.LoadBalancerController.Name] = cluster.LoadBalancerControllerRoleArn,
                [HelmAddons.ClusterAutoscaler.Name] = cluster.ClusterAutoscalerRoleArn,
                [HelmAddons.Velero.Name] = cluster.VeleroRoleArn,
            },
            cluster.VeleroBucketName), connection.Helm, connection.Kubernetes);

        Application = new EasypayApplication(this, "easypay", new EasypayApplicationProps(
            paths.EasypayChart, ApplicationValues(env, network, cluster, database))
        {
            Namespace = PlatformContract.AppNamespace,
            DependsOn = Addons.ApplicationPrerequisites,
        }, connection.Kubernetes, connection.Helm);
    }

    /// <summary>The easypay chart's values for an environment, from its config and the other stacks' outputs.
    /// Public so tests can render the chart with exactly these values.</summary>
    public static EasypayChartValues ApplicationValues(EnvironmentConfig env, NetworkOutputs network, ClusterOutputs cluster, DatabaseOutputs database)
    {
        var app = env.Application;
        return new EasypayChartValues(
            env.Region,
            // Only the frontend faces the ALB; the backend is reached through nginx inside the cluster.
            Component(app.FrontendImage, app.FrontendReplicas, app.MaxReplicas(app.FrontendReplicas)) with
            {
                TargetGroupArn = cluster.FrontendTargetGroupArn,
                ApiTargetGroupArn = cluster.ApiTargetGroupArn,
            },
            Component(app.BackendImage, app.BackendReplicas, app.MaxReplicas(app.BackendReplicas)),
            new EasypayDatabaseValues(
                database.ProxyEndpoint, database.ProxyReadOnlyEndpoint, database.Port, database.DatabaseName,
                network.DataSubnetCidrs,
                new EasypayCredentialsValues(new EasypayExternalSecretValues(true, database.SecretArn))),
            new EasypayExternalSecretsValues(cluster.ExternalSecretsRoleArn),
            new EasypayNetworkValues(
                network.PublicSubnetCidrs,
                // With interface endpoints, AWS API calls stay inside the VPC: egress can be narrowed to it.
                env.Network.InterfaceEndpoints ? [network.VpcCidr] : ["0.0.0.0/0"],
                new EasypayCalicoPolicyValues(true)),
            // alb.securityGroupId stays empty: the cluster stack already admits the ALB to the pods on the app
            // port, and the controller must not edit the EKS-managed cluster security group.
            new EasypayRbacValues(cluster.DeveloperGroup),
            // The monitoring stack's Route 53 health check probes this path (EasypayDeepHealthCheckValues.DefaultPath).
            EasypayDeepHealthCheckValues.Default);

        static EasypayComponentValues Component(ImageConfig image, ReplicaConfig replicas, int maxReplicas) => new(
            new EasypayImageValues(image.Repository, image.Tag) { Digest = image.Digest },
            new EasypayAutoscalingValues(replicas.Min, maxReplicas),
            // One pod may be disrupted at a time; the chart rejects a PDB that would block every drain.
            // The zone spread stays the chart's (DoNotSchedule, nodeTaintsPolicy Honor, no minDomains): a lost
            // AZ's tainted nodes leave the spread, so its pods and any scale-out go to the remaining AZs.
            new EasypayPdbValues(replicas.Min - 1));
    }
}
