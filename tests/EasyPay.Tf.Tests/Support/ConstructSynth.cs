using System.Text.Json.Nodes;
using EasyPay.Tf.Modules.Core;
using HashiCorp.Cdktf;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Synthesizes a single construct under test in a bare stack with an AWS provider.</summary>
public static class ConstructSynth
{
    public const string Region = "eu-west-1";
    public const string AccountId = "123456789012";

    public static JsonObject Stack(Action<TerraformStack, AwsEnvironment> build)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "easypay-construct-" + Guid.NewGuid().ToString("N"));
        try
        {
            var app = Testing.App(new TestingAppConfig { StackTraces = false, Outdir = outDir });
            var stack = new TerraformStack(app, "test");
            var aws = new AwsEnvironment(stack, "aws", new AwsEnvironmentProps(Region, AccountId, new Dictionary<string, string> { ["Project"] = "test" }));
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
