using System.Text.Json.Nodes;
using EasyPay.Tf.Tests.Support;

namespace EasyPay.Tf.Tests.Stacks;

/// <summary>Issue 16, finding 12: persistent volumes under a customer-managed key, and EBS encryption by default.</summary>
public class PersistentVolumeEncryptionTests
{
    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_account_encrypts_every_new_ebs_volume_by_default(string env)
    {
        SynthesizedApp.Repository.Stack($"{env}-account").Single("aws_ebs_encryption_by_default").Str("enabled").ShouldBe("true");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_default_storage_class_encrypts_with_the_cluster_stacks_volume_key(string env)
    {
        var app = SynthesizedApp.Repository;
        var cluster = app.Stack($"{env}-cluster");
        var key = cluster.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("Kubernetes persistent volumes", StringComparison.Ordinal)).Name;
        var storageClass = app.Stack($"{env}-platform").Single("kubernetes_storage_class_v1");
        // aws-ebs-csi-driver docs/parameters.md: type, encrypted, kmsKeyId (the key's full ARN).
        storageClass.Str("storage_provisioner").ShouldBe("ebs.csi.aws.com");
        storageClass.Str("parameters.type").ShouldBe("gp3");
        storageClass.Str("parameters.encrypted").ShouldBe("true");
        storageClass.Str("parameters.kmsKeyId").ShouldStartWith($"${{data.terraform_remote_state.cross-stack-reference-input-{env}-cluster.outputs.");
        // EBS volumes are zonal: bind where the pod lands.
        storageClass.Str("volume_binding_mode").ShouldBe("WaitForFirstConsumer");
        // The default class (Kubernetes "storageclass.kubernetes.io/is-default-class"; a dotted key, read directly).
        storageClass["metadata"]!["annotations"]!["storageclass.kubernetes.io/is-default-class"]!.ToString().ShouldBe("true");
        storageClass.Str("reclaim_policy").ShouldBe(env == "prod" ? "Retain" : "Delete");
        // The cluster stack exports exactly that key.
        cluster["output"]!.AsObject().Any(o => o.Value.Str("value") == $"${{aws_kms_key.{key}.arn}}").ShouldBeTrue();
    }

    [Fact]
    public void The_ebs_csi_driver_may_use_the_volume_key_for_aws_resources_only()
    {
        var cluster = SynthesizedApp.Repository.Stack("prod-cluster");
        var key = cluster.Resources("aws_kms_key").Single(k => k.Body.Str("description")!.StartsWith("Kubernetes persistent volumes", StringComparison.Ordinal)).Name;
        var role = cluster.Resources("aws_iam_role").Single(r => r.Body.Str("name") == "easypay-prod-ebs-csi-driver").Name;
        var policy = cluster.Resources("aws_iam_role_policy").Single(p => p.Body.Str("role") == $"${{aws_iam_role.{role}.id}}" || p.Body.Str("role") == $"${{aws_iam_role.{role}.name}}").Body;
        var statements = JsonNode.Parse(policy.Str("policy")!)!["Statement"]!.AsArray();
        // EKS user guide, "Create an Amazon EBS CSI driver IAM role": grants only for AWS resources, then use of the key.
        var grants = statements.Single(s => s.Str("Sid") == "GrantsForVolumes")!;
        grants.Str("Condition.Bool.kms:GrantIsForAWSResource").ShouldBe("true");
        statements.ShouldAllBe(s => s!["Resource"]!.ToString() == $"${{aws_kms_key.{key}.arn}}");
    }
}
