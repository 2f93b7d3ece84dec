using Constructs;
using HashiCorp.Cdktf.Providers.Aws.EbsEncryptionByDefault;

namespace EasyPay.Tf.Modules.Security;

/// <summary>Turns on EBS encryption by default for the stack's account and region: every new volume and snapshot copy
/// is encrypted, whoever creates it and whatever it names (EC2 user guide, "Encryption by default"). Volumes that name a
/// key (the node groups', the persistent-volume StorageClass's) keep theirs; any other gets the account's default key.
/// Existing unencrypted volumes are unchanged.</summary>
public sealed class EbsEncryptionByDefault : Construct
{
    public EbsEncryptionByDefault(Construct scope, string id) : base(scope, id)
    {
        _ = new HashiCorp.Cdktf.Providers.Aws.EbsEncryptionByDefault.EbsEncryptionByDefault(this, "setting", new EbsEncryptionByDefaultConfig { Enabled = true });
    }
}
