using System.Diagnostics;

namespace Herald.Durable.Tests;

/// <summary>Runs tests/Herald.Durable.CrashApp as a child process and reads what it prints, line by line.</summary>
public static class CrashApp
{
    private static string AppPath
    {
        get
        {
            // Built next to this test project by the ProjectReference; same configuration and framework.
            var testOutput = AppContext.BaseDirectory;
            var configurationDirectory = Directory.GetParent(testOutput.TrimEnd(Path.DirectorySeparatorChar))!;
            var tests = configurationDirectory.Parent!.Parent!.Parent!;
            var path = Path.Combine(tests.FullName, "Herald.Durable.CrashApp", "bin", configurationDirectory.Name, "net10.0", "Herald.Durable.CrashApp.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Herald.Durable.CrashApp first (the test project references it).", path);
        }
    }

    /// <summary>How to start the app with <paramref name="arguments"/> and extra <paramref name="environment"/> variables.</summary>
    public static ProcessStartInfo StartInfo(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AppPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    /// <summary>
    /// Starts the app; <paramref name="onLine"/> sees each line and returns true to kill the process at that point.
    /// Returns every line read and whether the process was killed.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Lines, bool Killed)> RunAsync(
        string[] arguments, Func<string, bool> onLine, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(arguments, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash app");
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        var killed = false;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                lines.Add(line);
                if (!killed && onLine(line))
                {
                    process.Kill(entireProcessTree: true);
                    killed = true;
                }
            }
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The crash app did not finish within {timeout}. Output: {string.Join(" | ", lines.TakeLast(5))}");
        }
        if (!killed && process.ExitCode != 0 && !lines.Exists(l => l.StartsWith("handled", StringComparison.Ordinal) || l.StartsWith("tallied", StringComparison.Ordinal)))
            throw new InvalidOperationException($"The crash app failed with exit code {process.ExitCode}: {await stderr}");
        return (lines, killed || process.ExitCode != 0);
    }
}
