using Constructs;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Modules.Core;

/// <summary>Settings applied to the Terraform resources a construct created, for constructs (such as
/// EncryptionKey) that do not expose their resources: keeps their props free of rarely used knobs.</summary>
internal static class ConstructTree
{
    /// <summary>Adds lifecycle prevent_destroy to every resource of <paramref name="type"/> under
    /// <paramref name="root"/>: a plan that would destroy one fails instead of deleting data.</summary>
    public static void PreventDestroy(IConstruct root, string type)
    {
        foreach (var resource in Resources(root).Where(r => r.TerraformResourceType == type))
        {
            resource.Lifecycle = new TerraformResourceLifecycle { PreventDestroy = true };
        }
    }

    /// <summary>Places every resource under <paramref name="root"/> in <paramref name="region"/> (provider 6's
    /// per-resource region argument): one provider, no alias, and the construct needs no region knob per resource.</summary>
    public static void PlaceInRegion(IConstruct root, string region)
    {
        foreach (var resource in Resources(root))
        {
            resource.AddOverride("region", region);
        }
    }

    /// <summary>The Terraform resources under <paramref name="root"/>, e.g. for depends_on.</summary>
    public static TerraformResource[] Resources(IConstruct root) =>
        [.. root.Node.FindAll().OfType<TerraformResource>()];
}
