using System.Text.RegularExpressions;

namespace EasyPay.Tf.Modules.Registry;

/// <summary>A public registry the account's private registry mirrors through an ECR pull-through cache rule: images
/// are pulled as ACCOUNT.dkr.ecr.REGION.amazonaws.com/PREFIX/UPSTREAM-PATH:TAG, and ECR fetches them from
/// <paramref name="Url"/> on the first pull.</summary>
/// <param name="Prefix">The rule's ecr_repository_prefix (2-30 characters, provider 6.25.0
/// pull_through_cache_rule.go), also the repository creation template's prefix.</param>
/// <param name="Url">The rule's upstream_registry_url, as the ECR API names the registry.</param>
public sealed record UpstreamRegistry(string Prefix, string Url)
{
    /// <summary>Name of the Secrets Manager credential the upstream requires (ECR user guide, "Sync an upstream
    /// registry": Docker Hub and GitHub Container Registry need one, ECR Public, Quay and registry.k8s.io do not).
    /// @default null (anonymous)</summary>
    public string? Credential { get; init; }

    /// <summary>Where the account's cache serves this upstream: REGISTRY-HOST/PREFIX.</summary>
    public string MirrorIn(string registryHost) => $"{registryHost}/{Prefix}";

    /// <summary>ecr_repository_prefix of provider 6.25.0 (StringLenBetween(2, 30) and this pattern; ROOT excluded here:
    /// a root rule would take over every repository name).</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length is >= 2 and <= 30 && Regex.IsMatch(prefix, $"^{ImageRepository.NamePattern}$");
}

/// <summary>The upstream registries the platform's third-party images come from.</summary>
public static class UpstreamRegistries
{
    public static readonly UpstreamRegistry Quay = new("quay", "quay.io");
    public static readonly UpstreamRegistry Kubernetes = new("registry-k8s-io", "registry.k8s.io");
    public static readonly UpstreamRegistry EcrPublic = new("ecr-public", "public.ecr.aws");

    /// <summary>Docker Hub's registry host is registry-1.docker.io (ECR API, CreatePullThroughCacheRule).</summary>
    public static readonly UpstreamRegistry DockerHub = new("docker-hub", "registry-1.docker.io") { Credential = "docker-hub" };

    public static readonly UpstreamRegistry GitHub = new("github", "ghcr.io") { Credential = "github" };
}

/// <summary>A third-party image, pinned by tag, pulled through the account's cache of <paramref name="Registry"/>.</summary>
/// <param name="Repository">The upstream repository path, e.g. velero/velero (Docker Hub official images need their
/// library/ segment).</param>
/// <param name="Tag">An exact version; the cache's repositories keep tags immutable, so once cached a tag keeps
/// naming the image first pulled.</param>
public sealed record MirroredImage(UpstreamRegistry Registry, string Repository, string Tag)
{
    /// <summary>The image's repository in the registry <paramref name="registryHost"/> (ACCOUNT.dkr.ecr.REGION.amazonaws.com).</summary>
    public string RepositoryIn(string registryHost) => $"{Registry.MirrorIn(registryHost)}/{Repository}";

    /// <summary>REGISTRY/PREFIX/REPOSITORY:TAG.</summary>
    public string ReferenceIn(string registryHost) => $"{RepositoryIn(registryHost)}:{Tag}";

    /// <summary>Where the image comes from, e.g. quay.io/curl/curl:8.11.1.</summary>
    public override string ToString() => $"{Registry.Url}/{Repository}:{Tag}";
}
