using System.Globalization;

namespace EasyPay.Tf.Modules.Core;

/// <summary>An IPv4 network in CIDR notation, with the subnet arithmetic the VPC plan needs.
/// Only canonical networks are accepted (host bits zero), so a typo such as 10.0.0.1/16 is caught.</summary>
public readonly record struct Ipv4Cidr
{
    public uint Network { get; }
    public int Prefix { get; }

    private Ipv4Cidr(uint network, int prefix)
    {
        Network = network;
        Prefix = prefix;
    }

    public uint Size => Prefix == 0 ? 0 : 1u << (32 - Prefix); // 0 stands for 2^32
    public uint Last => Network + ((Prefix == 0 ? uint.MaxValue : Size - 1));

    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and how to fix it.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out string error)
    {
        cidr = default;
        error = string.Empty;
        var parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2)
        {
            error = $"'{text}' is not a CIDR block: expected a.b.c.d/nn, e.g. 10.0.0.0/16";
            return false;
        }
        var octets = parts[0].Split('.');
        uint address = 0;
        if (octets.Length != 4 || octets.Any(o => !byte.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out _) || (o.Length > 1 && o[0] == '0')))
        {
            error = $"'{text}' has a malformed address: four numbers 0-255 separated by dots, e.g. 10.0.0.0/16";
            return false;
        }
        foreach (var o in octets)
        {
            address = (address << 8) | byte.Parse(o, CultureInfo.InvariantCulture);
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"'{text}' has a malformed prefix length: a number from 0 to 32 after the slash";
            return false;
        }
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        if ((address & ~mask) != 0)
        {
            error = $"'{text}' has host bits set: the network address for /{prefix} is {Format(address & mask)}/{prefix}";
            return false;
        }
        cidr = new Ipv4Cidr(address, prefix);
        return true;
    }

    /// <summary>The <paramref name="index"/>-th subnet of prefix <paramref name="newPrefix"/> inside this network.</summary>
    public Ipv4Cidr Subnet(int newPrefix, int index)
    {
        if (newPrefix < Prefix || newPrefix > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(newPrefix), $"/{newPrefix} does not fit inside {this}");
        }
        var count = 1L << (newPrefix - Prefix);
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{this} has {count} subnets of /{newPrefix}; index {index} is out of range");
        }
        var size = 1L << (32 - newPrefix);
        return new Ipv4Cidr((uint)(Network + (index * size)), newPrefix);
    }

    public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

    public bool Contains(Ipv4Cidr other) => other.Network >= Network && other.Last <= Last;

    /// <summary>True for 0.0.0.0/0, the whole IPv4 internet.</summary>
    public bool IsAnywhere => Prefix == 0;

    public override string ToString() => $"{Format(Network)}/{Prefix}";

    private static string Format(uint a) =>
        string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}");
}
