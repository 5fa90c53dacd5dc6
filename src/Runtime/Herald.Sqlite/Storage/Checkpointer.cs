using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// Moves the WAL's pages back into the database file on a schedule of its own, off every commit's path. SQLite's
/// automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages, so one commit in many paid for copying
/// them all (the p99 of a Persisted publish); the log's connections turn it off (<c>wal_autocheckpoint = 0</c>) and
/// this loop runs a PASSIVE checkpoint every <see cref="Interval"/>, which copies what no reader still needs without
/// taking the write lock, so appends go on meanwhile. When the WAL grew past <see cref="TruncateAbovePages"/> anyway
/// (readers kept old snapshots), it truncates it under the write gate, with the appender first in line as usual.
/// </summary>
internal sealed class Checkpointer : IAsyncDisposable
{
    /// <summary>How often the WAL is checkpointed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>WAL pages (of 4 KiB) above which the WAL is truncated: 16,384 pages, 64 MiB.</summary>
    public const long TruncateAbovePages = 16_384;

    private readonly LogFile _file;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Checkpointer(LogFile file)
    {
        _file = file;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Pages in the WAL after the last checkpoint (for tests: the WAL stays bounded).</summary>
    public long LastWalPages { get; private set; }

    /// <summary>Runs one checkpoint now (tests, disposal); returns the WAL's size in pages.</summary>
    public async Task<long> CheckpointAsync(CancellationToken cancellationToken)
    {
        var connection = _file.Rent();
        try
        {
            var pages = Checkpoint(connection, "PASSIVE");
            if (pages > TruncateAbovePages)
            {
                using var gate = await _file.Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                pages = Checkpoint(connection, "TRUNCATE");
            }
            LastWalPages = pages;
            return pages;
        }
        finally
        {
            _file.Return(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
                await CheckpointAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is SqliteException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // A locked or removed file: the next round tries again; the log's writes report their own failures.
            }
        }
    }

    /// <summary>Runs <c>PRAGMA wal_checkpoint(mode)</c>; returns the WAL's pages (-1 when it is not in WAL mode).</summary>
    private static long Checkpoint(LogConnection connection, string mode)
    {
        using var command = connection.Connection.CreateCommand();
        command.CommandText = mode == "TRUNCATE" ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : -1;
    }
}
