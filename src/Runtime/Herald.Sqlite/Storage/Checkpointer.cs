using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// Moves the WAL's pages back into the database file on a schedule of its own, off every commit's path. SQLite's
/// automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages, so one commit in many paid for copying
/// them all (the p99 of a Persisted publish); the log's connections turn it off (<c>wal_autocheckpoint = 0</c>) and
/// this loop runs a PASSIVE checkpoint every <see cref="Interval"/>, which copies what no reader still needs without
/// taking the write lock, so appends go on meanwhile.
/// </summary>
/// <remarks>
/// <para>A PASSIVE checkpoint alone never lets the WAL start over while appends go on: SQLite rewinds the WAL to its
/// start only when a write begins after a checkpoint that copied every frame, and at 10,000 events/s there is always a
/// commit newer than the copy. The WAL grew by about 6,500 pages a second in the latency run. So when it holds more
/// than <see cref="RestartAbovePages"/>, the round follows its PASSIVE copy with a RESTART checkpoint under the write
/// gate: what is left to copy is only what was committed during the PASSIVE copy, the readers it waits for are a
/// partition worker's short reads, and the next commit writes from the WAL's start again.</para>
/// <para>The file keeps its size when the WAL starts over (it is reused, never truncated): truncating it, as the
/// TRUNCATE checkpoint this replaced did, held the gate 34 to 41 ms per round in the latency run (a 64 MiB file
/// freed, on a disk mounted with <c>discard</c>), the p99 of a Persisted publish. The file stays near
/// <see cref="RestartAbovePages"/> pages plus what one interval writes.</para>
/// </remarks>
internal sealed class Checkpointer : IAsyncDisposable
{
    /// <summary>How often the WAL is checkpointed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>WAL pages (of 4 KiB) above which a round makes the WAL start over: 4,096 pages, 16 MiB.</summary>
    public const long RestartAbovePages = 4_096;

    private readonly LogFile _file;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    // One round at a time in this process: SQLite runs one checkpoint per database at once, and a second one started
    // meanwhile (the schedule's and a test's or the disposal's) fails with SQLITE_BUSY and reports -1 frames.
    private readonly SemaphoreSlim _round = new(1, 1);

    public Checkpointer(LogFile file)
    {
        _file = file;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Pages in the WAL after the last checkpoint (for tests: the WAL stays bounded).</summary>
    public long LastWalPages { get; private set; }

    /// <summary>Runs one round now (tests, disposal); returns the WAL's pages still to be reused or copied.</summary>
    public async Task<long> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = _file.Rent();
        try
        {
            var pages = Checkpoint(connection, "PASSIVE");
            if (pages < 0)
                return LastWalPages; // another process's checkpoint is running on this file: this round has nothing to do
            if (pages > RestartAbovePages)
            {
                // Measured in the latency run (10,000 events/s, 1 and 8 partitions): 2.5 to 7 ms under the gate, about
                // once every three rounds, where the TRUNCATE it replaced took 34 to 41 ms.
                using var gate = await _file.Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                var restarted = Checkpoint(connection, "RESTART");
                if (restarted >= 0)
                    pages = restarted; // else another process checkpointed meanwhile: the PASSIVE count stands
            }
            LastWalPages = pages;
            return pages;
        }
        finally
        {
            _file.Return(connection);
            _round.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _round.Dispose();
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

    /// <summary>
    /// Runs <c>PRAGMA wal_checkpoint(mode)</c>; returns the pages the WAL holds for the next write to append after: 0
    /// when a RESTART completed (the next write starts the WAL over), else its frames (-1 when it is not in WAL mode).
    /// </summary>
    private static long Checkpoint(LogConnection connection, string mode)
    {
        using var command = connection.Connection.CreateCommand();
        command.CommandText = mode == "RESTART" ? "PRAGMA wal_checkpoint(RESTART);" : "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return -1;
        var busy = reader.GetInt64(0) != 0;
        return mode == "RESTART" && !busy ? 0 : reader.GetInt64(1);
    }
}
