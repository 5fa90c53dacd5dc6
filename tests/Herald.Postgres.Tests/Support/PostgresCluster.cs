using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Herald.Postgres.Tests.Support;

/// <summary>
/// A PostgreSQL server of one test's own, for what the shared server must not suffer (a crash, a restart): a cluster
/// made by eng/servers/postgres.sh (initdb as the postgres user, 127.0.0.1) in a temporary folder, on a free port of
/// its own so that test classes running in parallel never meet. Disposing it stops the server and deletes the folder;
/// a test class holds it in a <c>try</c>/<c>await using</c> so that happens on failure too.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _folder;
    private readonly int _port;
    private string? _data;

    private PostgresCluster(string folder, int port)
    {
        _folder = folder;
        _port = port;
    }

    /// <summary>Its Npgsql connection string (the one the script printed).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var cluster = new PostgresCluster(Directory.CreateTempSubdirectory("herald-pg-cluster-").FullName, FreePort());
        try
        {
            await cluster.StartAgainAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>
    /// Stops the server as a crash does (<c>pg_ctl stop -m immediate</c>: every backend ends at once, no shutdown
    /// checkpoint; the next start recovers from the WAL) and waits until it is down.
    /// </summary>
    public async Task CrashAsync()
    {
        var data = _data ?? throw new InvalidOperationException("The cluster was never started.");
        var version = (await File.ReadAllTextAsync(Path.Combine(data, "PG_VERSION"))).Trim();
        var pgCtl = $"/usr/lib/postgresql/{version}/bin/pg_ctl";
        string[] stop = [pgCtl, "-D", data, "-m", "immediate", "-w", "-t", "60", "stop"];
        if (Environment.UserName == "postgres")
            await RunAsync(stop[0], stop[1..]);
        else
            await RunAsync("runuser", ["-u", "postgres", "--", .. stop]);
    }

    /// <summary>Starts the server (again: on the same port and data, recovering what a crash left).</summary>
    public async Task StartAgainAsync()
    {
        var output = await RunAsync(Script, ["start", _folder], new Dictionary<string, string> { ["HERALD_POSTGRES_PORT"] = _port.ToString(CultureInfo.InvariantCulture) });
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("HERALD_TEST_POSTGRES=", StringComparison.Ordinal))
                ConnectionString = line["HERALD_TEST_POSTGRES=".Length..].Trim();
            else if (line.StartsWith("HERALD_TEST_POSTGRES_DATA=", StringComparison.Ordinal))
                _data = line["HERALD_TEST_POSTGRES_DATA=".Length..].Trim();
        }
        if (ConnectionString.Length == 0 || _data is null)
            throw new InvalidOperationException($"eng/servers/postgres.sh start printed no HERALD_TEST_POSTGRES line: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Script, ["stop", _folder]);
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file the server still had open: the temporary folder is left behind.
            }
        }
    }

    /// <summary>eng/servers/postgres.sh of this checkout (found upwards from the test's output folder).</summary>
    private static string Script
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var script = Path.Combine(folder.FullName, "eng", "servers", "postgres.sh");
                if (File.Exists(script))
                    return script;
            }
            throw new FileNotFoundException("eng/servers/postgres.sh was not found above the test's output folder.");
        }
    }

    private static async Task<string> RunAsync(string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(command)} {string.Join(' ', start.ArgumentList)} did not finish within {CommandTimeout}.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(command)} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {await errors}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
