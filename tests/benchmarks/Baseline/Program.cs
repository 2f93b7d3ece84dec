using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.Provider;
using HashiCorp.Cdktf.Providers.Aws.S3Bucket;
using HashiCorp.Cdktf.Providers.Helm.Provider;
using HashiCorp.Cdktf.Providers.Helm.Release;
using HashiCorp.Cdktf.Providers.Kubernetes.NamespaceV1;
using HashiCorp.Cdktf.Providers.Kubernetes.Provider;

// One stack, one resource per provider: the fixed cost of jsii start-up and loading the bindings.
var app = new App();
var stack = new TerraformStack(app, "baseline");
_ = new AwsProvider(stack, "aws", new AwsProviderConfig { Region = "eu-west-1" });
_ = new S3Bucket(stack, "bucket", new S3BucketConfig { Bucket = "baseline" });
_ = new KubernetesProvider(stack, "kubernetes", new KubernetesProviderConfig { Host = "https://example.invalid" });
_ = new NamespaceV1(stack, "namespace", new NamespaceV1Config { Metadata = new NamespaceV1Metadata { Name = "baseline" } });
_ = new HelmProvider(stack, "helm", new HelmProviderConfig());
_ = new Release(stack, "release", new ReleaseConfig { Name = "baseline", Chart = "baseline" });
app.Synth();
