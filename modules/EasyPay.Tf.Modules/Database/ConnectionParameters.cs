using System.Text.RegularExpressions;
using Constructs;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf.Providers.Aws.SsmParameter;

namespace EasyPay.Tf.Modules.Database;

/// <summary>Props of <see cref="ConnectionParameters"/>.</summary>
/// <param name="Path">Parameter path prefix, e.g. "/easypay/prod/database".</param>
/// <param name="Values">Parameter name (below the path) to value. Connection details only: never a
/// secret value (a secret's ARN is fine), since these are plain String parameters.</param>
public sealed record ConnectionParametersProps(string Path, IReadOnlyDictionary<string, string> Values);

/// <summary>Publishes connection details (endpoints, port, names, secret ARN) as SSM String parameters
/// under one path, for the application and operators to look up.</summary>
public sealed class ConnectionParameters : Construct
{
    /// <summary>Full parameter names, by the names given in the props.</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    public ConnectionParameters(Construct scope, string id, ConnectionParametersProps props) : base(scope, id)
    {
        var v = new PropsValidator(nameof(ConnectionParametersProps))
            .Check(Regex.IsMatch(props.Path ?? "", "^(/[a-zA-Z0-9_.-]+)+$"), nameof(props.Path), $"'{props.Path}' is not a parameter path such as /easypay/prod/database")
            .Check((props.Values ?? new Dictionary<string, string>()).Count > 0, nameof(props.Values), "is empty");
        foreach (var name in (props.Values ?? new Dictionary<string, string>()).Keys.Where(n => !Regex.IsMatch(n, "^[a-z0-9][a-z0-9-]*$")))
        {
            v.Check(false, nameof(props.Values), $"'{name}' is not a parameter name: lower-case letters, digits and hyphens");
        }
        v.ThrowIfInvalid();

        var names = new Dictionary<string, string>();
        foreach (var (name, value) in props.Values!)
        {
            var parameter = new SsmParameter(this, name, new SsmParameterConfig
            {
                Name = $"{props.Path}/{name}",
                Type = "String",
                Value = value,
                Description = $"{name} (managed by cdktf)",
            });
            names[name] = parameter.Name;
        }
        Names = names;
    }
}
