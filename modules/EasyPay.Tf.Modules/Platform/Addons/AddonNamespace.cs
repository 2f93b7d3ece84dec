using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Kubernetes.NamespaceV1;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

namespace EasyPay.Tf.Modules.Platform.Addons;

/// <summary>Props of <see cref="AddonNamespace"/>.</summary>
/// <param name="Name">The namespace.</param>
/// <param name="PodSecurityLevel">privileged, baseline or restricted: enforced, audited and warned at.</param>
public sealed record AddonNamespaceProps(string Name, string PodSecurityLevel)
{
    /// <summary>The namespace already exists (helm created it for an earlier release): import it into state with its
    /// name as the id, and from then on manage its labels. A missing namespace fails the import, so a new cluster
    /// leaves this off. @default false</summary>
    public bool Adopt { get; init; }
}

/// <summary>An add-on's namespace with Pod Security Admission labels, created before its release (helm's
/// create_namespace adds no labels, so the add-on namespaces used to admit any pod).</summary>
public sealed class AddonNamespace : Construct
{
    public static readonly IReadOnlyList<string> Levels = ["privileged", "baseline", "restricted"];

    public ITerraformDependable Resource { get; }

    public AddonNamespace(Construct scope, string id, AddonNamespaceProps props, KubernetesProvider kubernetes) : base(scope, id)
    {
        new PropsValidator(nameof(AddonNamespaceProps))
            .CheckNotEmpty(props.Name, nameof(props.Name))
            .Check(Levels.Contains(props.PodSecurityLevel), nameof(props.PodSecurityLevel), $"'{props.PodSecurityLevel}' is not one of {string.Join(", ", Levels)}")
            .ThrowIfInvalid();
        var ns = new NamespaceV1(this, "namespace", new NamespaceV1Config
        {
            Provider = kubernetes,
            Metadata = new NamespaceV1Metadata
            {
                Name = props.Name,
                Labels = new Dictionary<string, string>
                {
                    ["pod-security.kubernetes.io/enforce"] = props.PodSecurityLevel,
                    ["pod-security.kubernetes.io/enforce-version"] = "latest",
                    ["pod-security.kubernetes.io/audit"] = props.PodSecurityLevel,
                    ["pod-security.kubernetes.io/warn"] = props.PodSecurityLevel,
                },
            },
        });
        if (props.Adopt)
        {
            ns.ImportFrom(props.Name);
        }
        Resource = ns;
    }
}
