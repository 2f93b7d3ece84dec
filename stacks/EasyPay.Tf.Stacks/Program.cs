using EasyPay.Tf.Stacks;
using EasyPay.Tf.Stacks.Configuration;
using HashiCorp.Cdktf;

// The CDKTF app. cdktf.json runs the built assembly (build/app.sh) from the repository root.
// EASYPAY_ENVIRONMENTS=dev,prod narrows the synth to those environments (all files are still validated).
var paths = AppPaths.Find(Directory.GetCurrentDirectory());
var only = (Environment.GetEnvironmentVariable("EASYPAY_ENVIRONMENTS") ?? string.Empty)
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

// Everything is validated before the first construct exists: a bad file writes nothing.
if (EnvironmentLoader.LoadOrReport(paths.Environments, only, Console.Error) is not { } environments)
{
    return 1;
}

var app = new App();
EasyPayApp.Compose(app, environments, paths);
app.Synth();
return 0;
