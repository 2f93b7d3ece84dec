using EasyPay.Tf.Modules.Backup;
using System.Globalization;
using EasyPay.Tf.Modules.Cluster;
using EasyPay.Tf.Modules.Core;
using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Modules.Network;

namespace EasyPay.Tf.Stacks.Configuration;

/// <summary>The rules the schema cannot express: cross-field consistency and production floors. Each
/// problem names the field path and says how to fix it.</summary>
public static partial class EnvironmentRules
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^1\.[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex MinorVersion();

    /// <summary>AZs a production environment must span (nothing single-AZ on the request path).</summary>
    public const int ProductionAzs = 3;

    /// <summary>PCI DSS 10.5.1: keep audit logs for at least a year.</summary>
    public const int ProductionLogRetentionDays = 365;

    /// <summary>The business targets (README): 99.9% availability at least, RPO under 6 h, recovery in minutes.</summary>
    public const double ProductionAvailabilityPercent = 99.9;
    public const int ProductionRpoMinutes = 360;
    public const int ProductionRtoMinutes = 60;

    public const int ProductionBackupRetentionDays = 7;

    /// <summary>Problems of one environment, as (field path, message) pairs.</summary>
    public static IEnumerable<(string Field, string Problem)> Check(EnvironmentConfig env, string fileStem)
    {
        if (env.Name != fileStem)
        {
            yield return ("name", $"\"{env.Name}\" must equal the file name \"{fileStem}\" (stack ids and workspaces are derived from it)");
        }
        for (var i = 0; i < env.AvailabilityZones.Count; i++)
        {
            var az = env.AvailabilityZones[i];
            if (!az.StartsWith(env.Region, StringComparison.Ordinal) || az.Length != env.Region.Length + 1)
            {
                yield return ($"availabilityZones[{i}]", $"\"{az}\" is not an availability zone of region {env.Region}; use {env.Region}a, {env.Region}b, ...");
            }
        }

        // Network
        if (!Ipv4Cidr.TryParse(env.Network.VpcCidr, out var vpc, out var cidrError))
        {
            yield return ("network.vpcCidr", cidrError);
        }
        else if (vpc.Prefix is < SubnetPlan.MinVpcPrefix or > SubnetPlan.MaxVpcPrefix)
        {
            yield return ("network.vpcCidr", $"{vpc} is a /{vpc.Prefix}; use a prefix between /{SubnetPlan.MinVpcPrefix} and /{SubnetPlan.MaxVpcPrefix} (EKS pod IPs need room)");
        }
        else if (!IsPrivate(vpc))
        {
            yield return ("network.vpcCidr", $"{vpc} is not inside an RFC 1918 private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
        }

        // Cluster
        for (var i = 0; i < env.Cluster.PublicAccessCidrs.Count; i++)
        {
            if (!Ipv4Cidr.TryParse(env.Cluster.PublicAccessCidrs[i], out var c, out var error))
            {
                yield return ($"cluster.publicAccessCidrs[{i}]", error);
            }
            else if (env.Production && c.IsAnywhere)
            {
                yield return ($"cluster.publicAccessCidrs[{i}]", "0.0.0.0/0 opens the production Kubernetes API to the internet; list the office/VPN egress CIDRs instead");
            }
        }
        foreach (var problem in CheckRoles(env))
        {
            yield return problem;
        }
        var version = env.Cluster.KubernetesVersion;
        if (EksSupportCalendar.Find(version) is null)
        {
            yield return ("cluster.kubernetesVersion", $"\"{version}\" is not in EksSupportCalendar (modules/EasyPay.Tf.Modules/Cluster/EksSupportCalendar.cs, known: {string.Join(", ", EksSupportCalendar.Versions.Select(v => v.Version))}); add its row from the EKS release calendar first");
        }
        if (env.Cluster.UpgradePolicy is { SupportType: EksSupportType.Extended, Reason: null or "" })
        {
            yield return ("cluster.upgradePolicy.reason", "is missing: EXTENDED keeps paying the extended-support rate after standard support ends; say why this environment needs it");
        }
        // Rules also run on a file the schema rejected: parse only well-formed versions.
        if (env.Cluster.NodeGroup.KubernetesVersion is { } nodeVersion && MinorVersion().IsMatch(version) && MinorVersion().IsMatch(nodeVersion))
        {
            var skew = EksSupportCalendar.Minor(version) - EksSupportCalendar.Minor(nodeVersion);
            if (skew is < 0 or > 3)
            {
                yield return ("cluster.nodeGroup.kubernetesVersion", $"\"{nodeVersion}\" is {(skew < 0 ? "newer than" : "more than three minors behind")} the control plane's {version}: the Kubernetes version skew policy allows kubelets up to three minors older, never newer");
            }
        }
        // kube-proxy must run the control plane's minor version (the other add-ons span several).
        if (!env.Cluster.Addons.KubeProxy.StartsWith($"v{env.Cluster.KubernetesVersion}.", StringComparison.Ordinal))
        {
            yield return ("cluster.addons.kubeProxy", $"\"{env.Cluster.Addons.KubeProxy}\" is not a build for Kubernetes {env.Cluster.KubernetesVersion}; use a v{env.Cluster.KubernetesVersion}.x-eksbuild.N version (aws eks describe-addon-versions --addon-name kube-proxy)");
        }
        var ng = env.Cluster.NodeGroup;
        if (ng.MinSizePerAz > ng.MaxSizePerAz)
        {
            yield return ("cluster.nodeGroup.minSizePerAz", $"{ng.MinSizePerAz} is greater than maxSizePerAz {ng.MaxSizePerAz}");
        }
        if (ng.DesiredSizePerAz < ng.MinSizePerAz || ng.DesiredSizePerAz > ng.MaxSizePerAz)
        {
            yield return ("cluster.nodeGroup.desiredSizePerAz", $"{ng.DesiredSizePerAz} must lie between minSizePerAz {ng.MinSizePerAz} and maxSizePerAz {ng.MaxSizePerAz}");
        }

        foreach (var problem in CheckIngress(env))
        {
            yield return problem;
        }

        // Database
        if (!AuroraInstanceClass.TryParse(env.Database.InstanceClass, out var instanceClass, out var classError))
        {
            yield return ("database.instanceClass", classError);
        }
        if (instanceClass is { Burstable: true })
        {
            // The application's IAM database user is created through the Data API (IamDatabaseUser).
            yield return ("database.instanceClass", $"{instanceClass.Name} is burstable: the RDS Data API, through which the stack creates the application's IAM database user, does not run on T classes (Aurora User Guide, \"Data API limitations\"), and CPU credits run out under load; use db.r6g.large or larger");
        }
        if (env.Database.MaxReaderCount is { } maxReaders && (env.Database.ReaderCount < 1 || maxReaders <= env.Database.ReaderCount))
        {
            yield return ("database.maxReaderCount", $"{maxReaders} needs readerCount of at least 1 and below it (readerCount {env.Database.ReaderCount}): Aurora Auto Scaling scales on the readers' CPU and adds readers above the ones Terraform manages");
        }
        if (env.Database.ReaderCount + 1 > env.AvailabilityZones.Count)
        {
            yield return ("database.readerCount", $"{env.Database.ReaderCount} reader(s) plus the writer need {env.Database.ReaderCount + 1} AZs but the environment spans {env.AvailabilityZones.Count}; every instance gets its own AZ");
        }
        if (env.DisasterRecovery?.Region == env.Region)
        {
            yield return ("disasterRecovery.region", $"\"{env.Region}\" is the environment's own region; disaster recovery must be in another region (or drop disasterRecovery)");
        }
        foreach (var problem in CheckWindows(env.Database))
        {
            yield return problem;
        }

        // Cache
        if (env.Cache.ReplicaCount > 0 && env.AvailabilityZones.Count < 2)
        {
            yield return ("cache.replicaCount", "Multi-AZ needs at least 2 AZs");
        }
        foreach (var problem in CheckWindows("ElastiCache", "snapshot", 60, ("cache.snapshotWindow", env.Cache.SnapshotWindow), ("cache.maintenanceWindow", env.Cache.MaintenanceWindow)))
        {
            yield return problem;
        }
        if (WindowMinutes(env.Cache.MaintenanceWindow) is { } cacheMaintenance and < 60)
        {
            yield return ("cache.maintenanceWindow", $"\"{env.Cache.MaintenanceWindow}\" is {cacheMaintenance} minutes; ElastiCache needs at least 60");
        }

        // Application
        foreach (var (field, r) in new[] { ("application.frontendReplicas", env.Application.FrontendReplicas), ("application.backendReplicas", env.Application.BackendReplicas) })
        {
            var peak = (int)Math.Ceiling(r.Min * env.Application.PeakTrafficFactor);
            if (r.Max is { } max && max < peak)
            {
                yield return ($"{field}.max", $"{max} is below min × peakTrafficFactor ({r.Min} × {env.Application.PeakTrafficFactor.ToString(CultureInfo.InvariantCulture)} = {peak}): the HPA could not absorb the peak; remove max (the ceiling is then {peak}) or lower the factor");
            }
        }

        foreach (var problem in CheckPaymentProviders(env.Application.PaymentProviders))
        {
            yield return problem;
        }

        // A compliance lock cannot be removed after its grace time: the vault could never be destroyed again.
        if (!env.Production && env.BackupVaultLock == BackupVaultLockMode.Compliance)
        {
            yield return ("database.backupVaultLock", "\"compliance\" cannot be undone, and this environment is destroyed (production: false): use \"governance\" or \"none\"");
        }

        if (!env.Production)
        {
            yield break;
        }

        if (env.BackupVaultLock != BackupVaultLockMode.Compliance)
        {
            yield return ("database.backupVaultLock", $"\"{env.BackupVaultLock.ToString().ToLowerInvariant()}\" lets an administrator delete production recovery points: use \"compliance\" (or remove the field)");
        }

        // Production floors.
        if (env.AvailabilityZones.Count < ProductionAzs)
        {
            yield return ("availabilityZones", $"production needs {ProductionAzs} AZs (99.99% target: nothing single-AZ); {env.AvailabilityZones.Count} given");
        }
        if (env.Network.NatGateways != NatGatewayMode.PerAz)
        {
            yield return ("network.natGateways", "production needs \"perAz\": a single NAT gateway is a single point of failure for every private subnet");
        }
        if (env.Cluster.Ingress.Protocol != ListenerProtocol.Https)
        {
            yield return ("cluster.ingress.protocol", "production serves payments over HTTPS only: set \"https\" with an sslPolicy (and monitoring.dns or cluster.certificateArn for the certificate)");
        }
        if (env.Cluster.Ingress.Waf.Mode != Modules.Ingress.WafMode.Block)
        {
            yield return ("cluster.ingress.waf.mode", "production blocks what the web ACL matches: set \"block\" (count only logs attacks; tune in staging or dev)");
        }
        foreach (var (field, image) in new[] { ("application.frontendImage", env.Application.FrontendImage), ("application.backendImage", env.Application.BackendImage) })
        {
            if (string.IsNullOrEmpty(image.Digest))
            {
                yield return ($"{field}.digest", $"production pins its images by digest (the admission policy admits nothing else): add the sha256:... that docker push printed for tag {image.Tag} (aws ecr describe-images --image-ids imageTag={image.Tag})");
            }
        }
        if (env.Database.ReaderCount < 1)
        {
            yield return ("database.readerCount", "production needs at least 1 reader so Aurora can fail over to another AZ");
        }
        if (env.Database.BackupRetentionDays < ProductionBackupRetentionDays)
        {
            yield return ("database.backupRetentionDays", $"{env.Database.BackupRetentionDays} is below the production floor of {ProductionBackupRetentionDays} days");
        }
        if (env.Database.SnapshotRetentionDays < ProductionBackupRetentionDays)
        {
            yield return ("database.snapshotRetentionDays", $"{env.Database.SnapshotRetentionDays} is below the production floor of {ProductionBackupRetentionDays} days");
        }
        if (env.Cache.ReplicaCount < 1)
        {
            yield return ("cache.replicaCount", "production needs at least 1 replica in another AZ: with none there is no Multi-AZ failover and a node failure empties the cache");
        }
        if (env.Cache.SnapshotRetentionDays < ProductionBackupRetentionDays)
        {
            yield return ("cache.snapshotRetentionDays", $"{env.Cache.SnapshotRetentionDays} is below the production floor of {ProductionBackupRetentionDays} days");
        }
        if (env.Cache.NodeType.StartsWith("cache.t", StringComparison.Ordinal))
        {
            yield return ("cache.nodeType", $"{env.Cache.NodeType} is burstable: its CPU credits run out under sustained load and the engine slows exactly at peak; use cache.r7g.large or larger (or cache.m7g)");
        }
        if (env.LogRetentionDays < ProductionLogRetentionDays)
        {
            yield return ("logRetentionDays", $"{env.LogRetentionDays} is below the production floor of {ProductionLogRetentionDays} days (PCI DSS 10.5.1)");
        }
        if (env.Targets.AvailabilityPercent < ProductionAvailabilityPercent)
        {
            yield return ("targets.availabilityPercent", $"{env.Targets.AvailabilityPercent} is below the business target of {ProductionAvailabilityPercent}% for production");
        }
        foreach (var (field, target) in env.Targets.Recovery.All)
        {
            if (target.RpoMinutes > ProductionRpoMinutes)
            {
                yield return ($"targets.recovery.{field}.rpoMinutes", $"{target.RpoMinutes} is above the business RPO of {ProductionRpoMinutes} minutes (6 h)");
            }
            if (field != "region" && target.RtoMinutes > ProductionRtoMinutes)
            {
                yield return ($"targets.recovery.{field}.rtoMinutes", $"{target.RtoMinutes} is above {ProductionRtoMinutes} minutes: production recovers from anything short of a region loss in minutes");
            }
        }
        if (env.Monitoring.AlarmEmails.Count == 0)
        {
            yield return ("monitoring.alarmEmails", "production needs at least one alarm recipient: nobody would be paged");
        }
        foreach (var (field, r) in new[] { ("application.frontendReplicas", env.Application.FrontendReplicas), ("application.backendReplicas", env.Application.BackendReplicas) })
        {
            if (r.Min < env.AvailabilityZones.Count)
            {
                yield return ($"{field}.min", $"{r.Min} is below the AZ count {env.AvailabilityZones.Count}; production runs a replica in every AZ");
            }
        }
    }

    /// <summary>HTTPS exactly where a certificate exists, with a pinned policy; plain HTTP only with a reason.</summary>
    private static IEnumerable<(string, string)> CheckIngress(EnvironmentConfig env)
    {
        var ingress = env.Cluster.Ingress;
        var certificate = env.Monitoring.Dns is not null ? "monitoring.dns (the account stack issues the ALB's certificate)"
            : env.Cluster.CertificateArn is not null ? "cluster.certificateArn" : null;
        if (ingress.Protocol == ListenerProtocol.Https)
        {
            if (certificate is null && !env.Production)
            {
                yield return ("cluster.ingress.protocol", "\"https\" needs a certificate: configure monitoring.dns (the account stack then issues and validates it) or give cluster.certificateArn, or use \"http\" with an httpReason");
            }
            else if (certificate is null)
            {
                yield return ("cluster.ingress.protocol", "production serves payments over HTTPS only, and \"https\" needs a certificate: configure monitoring.dns (the account stack then issues and validates it) or give cluster.certificateArn");
            }
            if (ingress.SslPolicy is null)
            {
                yield return ("cluster.ingress.sslPolicy", "is missing: pin the HTTPS listener's TLS policy (e.g. \"ELBSecurityPolicy-TLS13-1-2-Res-2021-06\") so an AWS default never changes it silently");
            }
            if (ingress.HttpReason is not null)
            {
                yield return ("cluster.ingress.httpReason", "is set although protocol is \"https\"; remove it");
            }
        }
        else
        {
            if (certificate is not null)
            {
                yield return ("cluster.ingress.protocol", $"is \"http\" although {certificate} provides a certificate: serve \"https\" with an sslPolicy (HTTP then only redirects)");
            }
            if (ingress.HttpReason is null)
            {
                yield return ("cluster.ingress.httpReason", "is missing: plain HTTP sends every request unencrypted; say why this environment needs it (or use \"https\")");
            }
            if (ingress.SslPolicy is not null)
            {
                yield return ("cluster.ingress.sslPolicy", "is set although protocol is \"http\" (no HTTPS listener uses it); remove it or use \"https\"");
            }
        }
    }

    /// <summary>Who the roles are: the account stack's (account.humanRoles) or the caller's own (cluster.*RoleArn),
    /// never both; with Terraform Cloud the platform workspace's role is the deployer.</summary>
    private static IEnumerable<(string, string)> CheckRoles(EnvironmentConfig env)
    {
        var c = env.Cluster;
        // Each bring-your-own field with the role the account stack creates in its place.
        var own = new[]
        {
            (Field: "adminRoleArn", Arn: c.AdminRoleArn, Created: AccountStack.AdminRoleName(env)),
            (Field: "developerRoleArn", Arn: c.DeveloperRoleArn, Created: AccountStack.DeveloperRoleName(env)),
            (Field: "deployerRoleArn", Arn: c.DeployerRoleArn, Created: AccountStack.DeployerRoleName(env)),
        };
        if (env.Account.HumanRoles is { } human)
        {
            foreach (var (field, _, created) in own.Where(o => o.Arn is not null))
            {
                yield return ($"cluster.{field}", $"is set although account.humanRoles makes the account stack create {created}; remove it (or remove account.humanRoles to bring your own roles)");
            }
            foreach (var principal in human.AdminPrincipals.Intersect(human.DeveloperPrincipals, StringComparer.Ordinal))
            {
                yield return ("account.humanRoles.developerPrincipals", $"\"{principal}\" is also an admin principal; developers must not be able to become cluster admins: give them distinct identities");
            }
            // Break-glass is what may delete recovery points and keys: in production not every administrator's standing
            // access (separation of duties, PCI DSS 7.2), and not the admins' identity, whose re-provisioning would lock both out.
            if (env.Production && human.BreakGlassPrincipals is not { Count: > 0 })
            {
                yield return ("account.humanRoles.breakGlassPrincipals", "is missing: production's break-glass role (it alone may delete recovery points and keys) must not be open to every administrator; name a separate identity (an IAM Identity Center permission set assigned on request)");
            }
            foreach (var principal in (human.BreakGlassPrincipals ?? []).Intersect(env.Production ? human.AdminPrincipals.Concat(human.DeveloperPrincipals) : human.DeveloperPrincipals, StringComparer.Ordinal))
            {
                yield return ("account.humanRoles.breakGlassPrincipals", $"\"{principal}\" is also an everyday {(human.AdminPrincipals.Contains(principal) ? "admin" : "developer")} principal; break-glass needs an identity of its own");
            }
        }
        else
        {
            if (c.AdminRoleArn is null)
            {
                yield return ("cluster.adminRoleArn", "is missing: without account.humanRoles, give the admin role to map to cluster-admin (or add account.humanRoles so the account stack creates it)");
            }
            if (c.DeveloperRoleArn is null)
            {
                yield return ("cluster.developerRoleArn", "is missing: without account.humanRoles, give the developer role (or add account.humanRoles so the account stack creates it)");
            }
            if (c.DeployerRoleArn is null && env.TerraformCloud is null)
            {
                yield return ("cluster.deployerRoleArn", "is missing: without account.humanRoles and Terraform Cloud, give the role that applies the platform stack (or add account.humanRoles so the account stack creates it)");
            }
        }
        if (env.TerraformCloud is not null && c.DeployerRoleArn is not null)
        {
            yield return ("cluster.deployerRoleArn", "is set although the environment uses Terraform Cloud: the platform workspace's role is the deployer (its access entry comes from the account stack); remove it");
        }
        if (c.AdminRoleArn is not null && c.DeveloperRoleArn == c.AdminRoleArn)
        {
            yield return ("cluster.developerRoleArn", "is the same role as adminRoleArn; EKS allows one access entry per role, and developers must not be cluster admins");
        }
        if (c.DeployerRoleArn is not null && (c.DeployerRoleArn == c.AdminRoleArn || c.DeployerRoleArn == c.DeveloperRoleArn))
        {
            yield return ("cluster.deployerRoleArn", "is the same role as adminRoleArn or developerRoleArn; EKS allows one access entry per role: give the platform stack's deploy identity a role of its own");
        }
        if (env.Monitoring.Dns is not null && c.CertificateArn is not null)
        {
            yield return ("cluster.certificateArn", "is set although monitoring.dns names a zone: the account stack issues and DNS-validates the ALB's certificate there; remove it");
        }
    }

    /// <summary>The broadest range a payment provider may list: a /16 is 65,536 addresses, more than any provider's
    /// published API ranges (typically /20 to /32); a broader block is a hosting provider's or carrier's, shared
    /// with unrelated tenants, so allowing it would hand the backend most of the internet on those ports.</summary>
    public const int BroadestProviderPrefix = 16;

    /// <summary>Ranges that are not a provider on the internet, with why (IANA IPv4 special-purpose registry, RFC 6890).</summary>
    private static readonly (string Cidr, string Why)[] NonPublicRanges =
    [
        ("0.0.0.0/8", "\"this network\" (RFC 1122), not routable"),
        ("10.0.0.0/8", "private (RFC 1918): the VPC and peered networks; the database subnets and AWS endpoints have their own rules"),
        ("100.64.0.0/10", "shared address space (RFC 6598), carrier NAT and VPC secondary ranges, not a provider's public address"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local: it holds the instance metadata service (169.254.169.254), which pods must not reach"),
        ("172.16.0.0/12", "private (RFC 1918): the VPC and peered networks; the database subnets and AWS endpoints have their own rules"),
        ("192.168.0.0/16", "private (RFC 1918): the VPC and peered networks; the database subnets and AWS endpoints have their own rules"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved (and the broadcast address)"),
    ];

    /// <summary>application.paymentProviders: public, narrow, non-overlapping ranges and unique names.</summary>
    private static IEnumerable<(string, string)> CheckPaymentProviders(IReadOnlyList<PaymentProviderConfig> providers)
    {
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < providers.Count; i++)
        {
            var at = $"application.paymentProviders[{i}]";
            var provider = providers[i];
            if (!string.IsNullOrEmpty(provider.Name) && !firstByName.TryAdd(provider.Name, i))
            {
                yield return ($"{at}.name", $"\"{provider.Name}\" is also the name of paymentProviders[{firstByName[provider.Name]}]; give each provider one entry (all its ranges and ports together)");
            }
            var parsed = new List<(int Index, Ipv4Cidr Cidr)>();
            for (var c = 0; c < provider.Cidrs.Count; c++)
            {
                var field = $"{at}.cidrs[{c}]";
                if (!Ipv4Cidr.TryParse(provider.Cidrs[c], out var cidr, out var error))
                {
                    yield return (field, error);
                    continue;
                }
                if (cidr.IsAnywhere)
                {
                    yield return (field, "0.0.0.0/0 is the whole internet: list the ranges the provider publishes for its API");
                    continue;
                }
                if (cidr.Prefix < BroadestProviderPrefix)
                {
                    yield return (field, $"{cidr} is a /{cidr.Prefix}, broader than /{BroadestProviderPrefix}: list the provider's published ranges, not a hosting provider's or carrier's block shared with others");
                    continue;
                }
                var special = Array.FindIndex(NonPublicRanges, r => Ipv4Cidr.Parse(r.Cidr).Overlaps(cidr));
                if (special >= 0)
                {
                    yield return (field, $"{cidr} overlaps {NonPublicRanges[special].Cidr}, {NonPublicRanges[special].Why}; a payment provider is reached on public addresses through NAT");
                    continue;
                }
                var earlier = parsed.FindIndex(p => p.Cidr.Overlaps(cidr));
                if (earlier >= 0)
                {
                    yield return (field, $"{cidr} overlaps cidrs[{parsed[earlier].Index}] ({parsed[earlier].Cidr}) of the same provider; list each range once");
                    continue;
                }
                parsed.Add((c, cidr));
            }
        }
    }

    /// <summary>What the backend's provider egress looks like in an environment: names with their ports.</summary>
    private static string ProviderShape(EnvironmentConfig env) => string.Join(", ",
        env.Application.PaymentProviders.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name} on {string.Join("/", p.Ports.Order())}"));

    /// <summary>Rules over all environments together.</summary>
    public static IEnumerable<(string File, string Field, string Problem)> CheckTogether(IReadOnlyList<(string File, EnvironmentConfig Env)> envs)
    {
        // One egress policy everywhere: the providers (and ports) are the same in every environment, only the
        // addresses differ (sandbox or live), so what fails in prod fails in dev first.
        for (var j = 1; j < envs.Count; j++)
        {
            if (ProviderShape(envs[j].Env) is var shape && shape != ProviderShape(envs[0].Env))
            {
                yield return (envs[j].File, "application.paymentProviders",
                    $"lists [{shape}] but {envs[0].File} lists [{ProviderShape(envs[0].Env)}]; every environment calls the same providers on the same ports (sandbox endpoints outside production), so dev shows what prod will do: add or remove the provider in every file");
            }
        }
        for (var i = 0; i < envs.Count; i++)
        {
            for (var j = i + 1; j < envs.Count; j++)
            {
                if (Ipv4Cidr.TryParse(envs[i].Env.Network.VpcCidr, out var a, out _) &&
                    Ipv4Cidr.TryParse(envs[j].Env.Network.VpcCidr, out var b, out _) && a.Overlaps(b))
                {
                    yield return (envs[j].File, "network.vpcCidr", $"{b} overlaps {a} of {envs[i].File}; environments need disjoint CIDRs to be peered or routed later");
                }
                if (envs[i].Env.AccountId == envs[j].Env.AccountId)
                {
                    // A service-linked role exists once per account: only one environment's account stack may create it.
                    foreach (var service in AccountStack.ServiceLinkedRoleServices.Where(s =>
                                 !envs[i].Env.Account.ExistingServiceLinkedRoles.Contains(s) && !envs[j].Env.Account.ExistingServiceLinkedRoles.Contains(s)))
                    {
                        yield return (envs[j].File, "account.existingServiceLinkedRoles",
                            $"shares account {envs[j].Env.AccountId} with {envs[i].File}, and both would create the {service} service-linked role; list \"{service}\" here (the other environment creates it)");
                    }
                    // One GuardDuty detector per account and region, one IAM OIDC provider per URL.
                    if (envs[i].Env.Account.AuditBaseline == AuditBaseline.Account && envs[j].Env.Account.AuditBaseline == AuditBaseline.Account)
                    {
                        yield return (envs[j].File, "account.auditBaseline",
                            $"shares account {envs[j].Env.AccountId} with {envs[i].File}, and both would create the account's CloudTrail and GuardDuty detector; set \"organization\" here (the other environment's baseline covers the account)");
                    }
                    if (envs[i].Env.TerraformCloud is { } ti && envs[j].Env.TerraformCloud is { } tj && ti.Hostname == tj.Hostname)
                    {
                        yield return (envs[j].File, "terraformCloud",
                            $"shares account {envs[j].Env.AccountId} with {envs[i].File}, and both account stacks would create the IAM OIDC provider for {tj.Hostname}; give each environment its own account");
                    }
                    if (envs[i].Env.Region == envs[j].Env.Region &&
                        !envs[i].Env.Account.ExistingLogGroups.Contains(AuroraPostgresCluster.EnhancedMonitoringLogGroup) &&
                        !envs[j].Env.Account.ExistingLogGroups.Contains(AuroraPostgresCluster.EnhancedMonitoringLogGroup))
                    {
                        yield return (envs[j].File, "account.existingLogGroups",
                            $"shares account {envs[j].Env.AccountId} and region {envs[j].Env.Region} with {envs[i].File}, and both would create the {AuroraPostgresCluster.EnhancedMonitoringLogGroup} log group; list \"{AuroraPostgresCluster.EnhancedMonitoringLogGroup}\" here (the other environment creates it)");
                    }
                }
            }
        }
    }

    private static IEnumerable<(string, string)> CheckWindows(DatabaseConfig db) =>
        CheckWindows("Aurora", "backup", 30, ("database.preferredBackupWindow", db.PreferredBackupWindow), ("database.preferredMaintenanceWindow", db.PreferredMaintenanceWindow));

    /// <summary>A daily window (backup or snapshot) of at least <paramref name="minimumMinutes"/> that must not
    /// overlap the weekly maintenance window: RDS and ElastiCache reject both.</summary>
    private static IEnumerable<(string, string)> CheckWindows(string service, string dailyName, int minimumMinutes, (string Field, string Value) daily, (string Field, string Value) weekly)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(daily.Value, "^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$") ||
            !System.Text.RegularExpressions.Regex.IsMatch(weekly.Value, "^[a-z]{3}:[0-2][0-9]:[0-5][0-9]-[a-z]{3}:[0-2][0-9]:[0-5][0-9]$"))
        {
            yield break; // the schema reports the format
        }
        var backup = daily.Value.Split('-');
        var maintenance = weekly.Value.Split('-');
        var start = Minutes(backup[0]);
        var end = Minutes(backup[1]);
        var length = ((end - start) + 1440) % 1440;
        if (length < minimumMinutes)
        {
            yield return (daily.Field, $"\"{daily.Value}\" is {length} minutes; {service} needs at least {minimumMinutes}");
        }
        // Compare on the weekly clock: the daily window recurs every day.
        var mStart = WeekMinutes(maintenance[0]);
        var mEnd = WeekMinutes(maintenance[1]);
        for (var day = 0; day < 7; day++)
        {
            var bStart = (day * 1440) + start;
            var bEnd = bStart + length;
            if (Overlap(bStart, bEnd, mStart, mEnd))
            {
                yield return (weekly.Field, $"\"{weekly.Value}\" overlaps the daily {dailyName} window \"{daily.Value}\"; AWS rejects overlapping windows");
                yield break;
            }
        }
    }

    /// <summary>Length in minutes of a weekly "ddd:hh:mm-ddd:hh:mm" window; null when malformed (the schema reports it).</summary>
    private static int? WindowMinutes(string weekly)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(weekly, "^[a-z]{3}:[0-2][0-9]:[0-5][0-9]-[a-z]{3}:[0-2][0-9]:[0-5][0-9]$"))
        {
            return null;
        }
        var parts = weekly.Split('-');
        return ((WeekMinutes(parts[1]) - WeekMinutes(parts[0])) + (7 * 1440)) % (7 * 1440);
    }

    private static bool Overlap(int aStart, int aEnd, int bStart, int bEnd)
    {
        const int week = 7 * 1440;
        if (bEnd < bStart)
        {
            bEnd += week;
        }
        for (var shift = -week; shift <= week; shift += week)
        {
            if (aStart + shift < bEnd && bStart < aEnd + shift)
            {
                return true;
            }
        }
        return false;
    }

    private static int Minutes(string hhmm) =>
        (int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60) + int.Parse(hhmm[3..5], CultureInfo.InvariantCulture);

    private static int WeekMinutes(string dddhhmm)
    {
        string[] days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        return (Array.IndexOf(days, dddhhmm[..3]) * 1440) + Minutes(dddhhmm[4..]);
    }

    private static bool IsPrivate(Ipv4Cidr cidr) =>
        Ipv4Cidr.Parse("10.0.0.0/8").Contains(cidr) || Ipv4Cidr.Parse("172.16.0.0/12").Contains(cidr) || Ipv4Cidr.Parse("192.168.0.0/16").Contains(cidr);
}
