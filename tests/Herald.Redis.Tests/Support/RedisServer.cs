using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Herald.Redis.Tests.Support;

/// <summary>
/// A redis-server of one test's own, for what the shared server must not see: a flush, a full memory, AOF off, a
/// replica, a server killed and restarted. The binary is <c>HERALD_TEST_REDIS_SERVER</c> (eng/servers/redis.sh prints
/// it) or <c>redis-server</c> on the PATH; it runs in the foreground on 127.0.0.1 on a free port with its data in a
/// temporary folder, and the helper waits for its "Ready to accept connections" line (never a sleep).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string[] _settings;
    private Process? _process;

    private RedisServer(string folder, int port, string[] settings)
    {
        Folder = folder;
        Port = port;
        _settings = settings;
    }

    /// <summary>The folder of its AOF and log.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Starts a server with AOF on and <c>appendfsync always</c> unless <paramref name="settings"/> (pairs of
    /// "--name", "value") say otherwise.
    /// </summary>
    public static async Task<RedisServer> StartAsync(params string[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("herald-redis-server-").FullName;
        var server = new RedisServer(folder, FreePort(), settings);
        await server.RunAsync();
        return server;
    }

    /// <summary>Kills the server with SIGKILL (no AOF rewrite, no shutdown save) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port and folder (it loads its AOF).</summary>
    public Task RestartAsync() => RunAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file the killed server still had open: the temporary folder is left behind.
        }
    }

    private async Task RunAsync()
    {
        _process?.Dispose();
        var binary = Environment.GetEnvironmentVariable("HERALD_TEST_REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server";
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])
        [
            "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", Folder, "--daemonize", "no",
            "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction", .. _settings,
        ])
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"Cannot run '{binary}': these tests start redis-servers of their own. Install the redis-server package, or run the tests with " +
                "eng/test.sh (eng/servers/redis.sh installs it and sets HERALD_TEST_REDIS_SERVER).", exception);
        }
        _process = process;
        _ = process.StandardError.ReadToEndAsync();
        var output = new List<string>();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    // Keep draining its output, so the server never blocks on a full pipe.
                    _ = DrainAsync(process);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill();
        throw new InvalidOperationException($"redis-server on port {Port} did not get ready within {StartTimeout}: {string.Join(" | ", output.TakeLast(10))}");
    }

    private static async Task DrainAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
