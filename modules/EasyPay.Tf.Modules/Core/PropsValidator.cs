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

    /// <summary>A daily UTC window "hh:mm-hh:mm" (RDS backup window, ElastiCache snapshot window).</summary>
    public PropsValidator CheckDailyWindow(string? value, string field, string example) =>
        Check(System.Text.RegularExpressions.Regex.IsMatch(value ?? "", "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"), field,
            $"'{value}' is not a UTC window such as {example}");

    /// <summary>A weekly UTC window "ddd:hh:mm-ddd:hh:mm" (RDS and ElastiCache maintenance windows).</summary>
    public PropsValidator CheckWeeklyWindow(string? value, string field, string example) =>
        Check(System.Text.RegularExpressions.Regex.IsMatch(value ?? "", "^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$"), field,
            $"'{value}' is not a UTC window such as {example}");

    /// <summary>An EventBridge rule name (PutRule: 1-64 letters, digits, '.', '-', '_').</summary>
    public PropsValidator CheckEventRuleName(string? value, string field) =>
        Check(System.Text.RegularExpressions.Regex.IsMatch(value ?? "", "^[.\\-_A-Za-z0-9]{1,64}$"), field,
            $"'{value}' is not a rule name (1-64 letters, digits, '.', '-', '_')");

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
