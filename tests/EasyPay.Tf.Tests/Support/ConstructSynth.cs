using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Synthesizes a single construct under test in a bare stack with an AWS provider.</summary>
public static class ConstructSynth
{
    public const string Region = "eu-west-1";
    public const string AccountId = "123456789012";

    public static readonly AwsEnvironmentProps DefaultEnvironment = new(Region, AccountId, new Dictionary<string, string> { ["Project"] = "test" });

    /// <summary>An AWS environment in a bare stack, for functions that take one (policy builders).</summary>
    public static AwsEnvironment Environment(AwsEnvironmentProps? props = null) =>
        new(new TerraformStack(Testing.App(new TestingAppConfig { StackTraces = false }), "test"), props ?? DefaultEnvironment);

    /// <param name="environment">The stack's AWS environment. @default <see cref="Region"/>, <see cref="AccountId"/>, partition aws</param>
    public static JsonObject Stack(Action<TerraformStack, AwsEnvironment> build, AwsEnvironmentProps? environment = null)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "easypay-construct-" + Guid.NewGuid().ToString("N"));
        try
        {
            var app = Testing.App(new TestingAppConfig { StackTraces = false, Outdir = outDir });
            var stack = new TerraformStack(app, "test");
            var aws = new AwsEnvironment(stack, environment ?? DefaultEnvironment);
            build(stack, aws);
            return (JsonObject)SynthesizedApp.Normalize(JsonNode.Parse(Testing.Synth(stack)))!;
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
