namespace Herald.Cli.Tests.Support;

/// <summary>
/// herald as an operator installs it: the tool project packed (from its build output) into a folder, then
/// <c>dotnet tool install --tool-path &lt;temp&gt; Herald.Cli --add-source &lt;folder&gt;</c>. Once per test run; the
/// version is new each run, so NuGet's cache never hands back an older package, and that cache entry is removed after.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"herald-cli-tests-{Guid.NewGuid():N}");
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The installed <c>herald</c> command.</summary>
    public string Command => Path.Combine(_folder, "tools", "herald");

    public async Task InitializeAsync()
    {
        var packages = Path.Combine(_folder, "packages");
        var pack = await Processes.RunAsync(Processes.StartInfo("dotnet",
            ["pack", Repository.ToolProject, "-c", Repository.Configuration, "--no-build", "-o", packages, $"-p:PackageVersion={_version}"], Repository.Root));
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed: {pack}");
        var install = await Processes.RunAsync(Processes.StartInfo("dotnet",
            ["tool", "install", "--tool-path", Path.Combine(_folder, "tools"), "Herald.Cli", "--add-source", packages, "--version", _version], _folder));
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed: {install}");
        Assert.True(File.Exists(Command), $"dotnet tool install left no {Command}: {install}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(cache, "herald.cli", _version);
        if (Directory.Exists(cached))
            Directory.Delete(cached, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs <c>herald</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, redirected (no terminal).</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, IEnumerable<string> arguments, string? input = null)
        => Processes.RunAsync(Processes.StartInfo(Command, arguments, workingDirectory), input);
}

[CollectionDefinition(Name)]
public sealed class ToolCollection : ICollectionFixture<InstalledTool>, ICollectionFixture<SampleLogs>
{
    public const string Name = "herald installed";
}
