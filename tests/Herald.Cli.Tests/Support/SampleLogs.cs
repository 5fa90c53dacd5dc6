namespace Herald.Cli.Tests.Support;

/// <summary>
/// SQLite logs written by samples/Herald.DurableSample as a user runs it, once per test run; each test gets its own copy
/// (<see cref="CopyBroken"/>), so one test's replay or offset move never shows in another's.
/// </summary>
public sealed class SampleLogs : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"herald-cli-logs-{Guid.NewGuid():N}");

    private string Broken => Path.Combine(_folder, "broken");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Broken);
        // The demo run with a broken search index: 6 orders, handled by stock and risk, dead-lettered by search-index.
        var run = await RunSampleAsync(Broken, "--Sample:BreakSearchIndex=true");
        Assert.Contains("dead letters: 6", run.StandardOutput, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs the durable sample in <paramref name="folder"/> (its orders.db is there) and checks that it succeeded.</summary>
    public static async Task<ProcessResult> RunSampleAsync(string folder, params string[] arguments)
    {
        var run = await Processes.RunAsync(Processes.StartInfo("dotnet", [Repository.DurableSample, .. arguments], folder));
        Assert.True(run.ExitCode == 0, $"the durable sample failed: {run}");
        return run;
    }

    /// <summary>A new folder holding a copy of the broken-search-index log as orders.db.</summary>
    public string CopyBroken()
    {
        var folder = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Broken, "orders.db*"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }
}
