using EasyPay.Tf.Stacks.Configuration;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Policy.Engine;

/// <summary>What a <see cref="ChartRule"/> evaluates: the easypay chart rendered with one environment's values.</summary>
public sealed class ChartContext(EnvironmentConfig env, IReadOnlyList<KubeManifest> manifests) : IPolicyTarget
{
    public EnvironmentConfig Env { get; } = env ?? throw new ArgumentNullException(nameof(env));

    public IReadOnlyList<KubeManifest> Manifests { get; } = manifests ?? throw new ArgumentNullException(nameof(manifests));

    /// <summary>Stands where a stack id stands in violations and the report: "&lt;env&gt;-chart".</summary>
    public string Target => $"{Env.Name}-chart";

    public bool Production => Env.Production;

    public int AzCount => Env.AvailabilityZones.Count;

    public bool Contains(string subject) => OfKind(subject).Any();

    public IEnumerable<KubeManifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind && !m.IsHook);

    public static string Address(KubeManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return $"{manifest.Kind}/{manifest.Name}";
    }

    public Violation Violation(KubeManifest manifest, string message) => new(Target, Address(manifest), message);
}
