namespace EasyPay.Tf.Modules.Core;

/// <summary>Collects every problem with a construct's props and throws them together, so a caller
/// fixes all of them in one go instead of one per synth.</summary>
public sealed class PropsValidator(string propsName)
{
    private readonly List<string> _problems = [];

    public PropsValidator Check(bool ok, string field, string problem)
    {
        if (!ok)
        {
            _problems.Add($"{propsName}.{field}: {problem}");
        }
        return this;
    }

    public PropsValidator CheckCidr(string? value, string field)
    {
        if (!Ipv4Cidr.TryParse(value, out _, out var error))
        {
            _problems.Add($"{propsName}.{field}: {error}");
        }
        return this;
    }

    /// <summary>An ARN-like value that is either a Terraform reference (a resource of this or another stack,
    /// known only at apply time) or a literal matching <paramref name="literalPattern"/>; null passes when
    /// <paramref name="optional"/>.</summary>
    public PropsValidator CheckReferenceOr(string? value, string literalPattern, string field, string problem, bool optional = false) =>
        Check((optional && value is null) || IsReference(value) || System.Text.RegularExpressions.Regex.IsMatch(value ?? "", literalPattern), field, problem);

    /// <summary>A CDKTF token or a raw Terraform interpolation ("${...}").</summary>
    public static bool IsReference(string? value) =>
        value is not null && (HashiCorp.Cdktf.Token.IsUnresolved(value) || value.StartsWith("${", StringComparison.Ordinal));

    public PropsValidator CheckNotEmpty(string? value, string field) =>
        Check(!string.IsNullOrWhiteSpace(value), field, "is required and must not be empty");

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there are any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {propsName} ({_problems.Count} problem(s)):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", _problems));
        }
    }
}
