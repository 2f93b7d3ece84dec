using EasyPay.Tf.Stacks;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Paths of the repository the tests run from.</summary>
public static class RepoPaths
{
    public static readonly AppPaths App = AppPaths.Find(AppContext.BaseDirectory);

    public static string Root => App.RepositoryRoot;

    public static string Environments => App.Environments;

    /// <summary>A tool of the repository's sibling <c>../shared/tools</c> (it may not exist).</summary>
    public static string SharedTool(string name) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "tools", name));
}
