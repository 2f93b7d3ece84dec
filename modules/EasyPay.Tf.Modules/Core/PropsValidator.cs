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
