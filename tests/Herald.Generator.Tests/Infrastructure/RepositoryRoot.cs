namespace Herald.Generator.Tests.Infrastructure;

/// <summary>The repository's root: the nearest folder above the test binaries that holds Generated.sln.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generated.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Generated.sln above {AppContext.BaseDirectory}.");
    }
}
