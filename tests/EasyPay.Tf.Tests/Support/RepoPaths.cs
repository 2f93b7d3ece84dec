using EasyPay.Tf.Stacks;

namespace EasyPay.Tf.Tests.Support;

/// <summary>Paths of the repository the tests run from.</summary>
public static class RepoPaths
{
    public static readonly AppPaths App = AppPaths.Find(AppContext.BaseDirectory);

    public static string Root => App.RepositoryRoot;

    public static string Environments => App.Environments;
}
