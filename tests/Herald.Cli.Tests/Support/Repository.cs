namespace Herald.Cli.Tests.Support;

/// <summary>Where the repository's projects and their build outputs are, from the test assembly's folder.</summary>
public static class Repository
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string Root { get; } = FindRoot();

    public static string ToolProject => Path.Combine(Root, "src", "Tools", "Herald.Cli", "Herald.Cli.csproj");

    public static string DurableSample => Path.Combine(Root, "samples", "Herald.DurableSample", "bin", Configuration, "net10.0", "Herald.DurableSample.dll");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Generated.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"No Generated.sln above {AppContext.BaseDirectory}.");
    }
}
