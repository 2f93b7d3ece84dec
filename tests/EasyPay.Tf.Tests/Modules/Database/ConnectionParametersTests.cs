using EasyPay.Tf.Modules.Database;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Modules.Database;

public class ConnectionParametersTests
{
    [Fact]
    public void Every_value_becomes_a_string_parameter_under_the_path()
    {
        var json = ConstructSynth.Stack((stack, _) => new ConnectionParameters(stack, "parameters", new ConnectionParametersProps(
            "/easypay/test/database", new Dictionary<string, string> { ["port"] = "5432", ["name"] = "easypay" })));
        json.Resources("aws_ssm_parameter").Select(p => (p.Body.Str("name"), p.Body.Str("type"), p.Body.Str("value")))
            .ShouldBe([("/easypay/test/database/port", "String", "5432"), ("/easypay/test/database/name", "String", "easypay")], ignoreOrder: true);
    }

    [Fact]
    public void Invalid_props_report_every_problem_at_once()
    {
        var message = Should.Throw<ArgumentException>(() => ConstructSynth.Stack((stack, _) => new ConnectionParameters(stack, "parameters",
            new ConnectionParametersProps("easypay/test", new Dictionary<string, string> { ["Writer Endpoint"] = "x" })))).Message;
        message.ShouldContain("ConnectionParametersProps.Path: 'easypay/test' is not a parameter path");
        message.ShouldContain("ConnectionParametersProps.Values: 'Writer Endpoint' is not a parameter name");
    }
}
