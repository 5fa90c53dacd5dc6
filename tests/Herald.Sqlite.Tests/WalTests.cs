using Herald.Sqlite.Storage;

namespace Herald.Sqlite.Tests;

/// <summary>
/// The WAL is checkpointed off the commit path (the log's connections turn SQLite's automatic checkpoint off) and stays
/// bounded; the appender is let in ahead of the log's other writers.
/// </summary>
public sealed class WalTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task TheLogsConnections_DoNotCheckpointOnCommit()
    {
        var log = _database.Open();
        await using var transaction = (await log.Checkpoints.BeginTransactionAsync(CancellationToken.None))!;
        using var pragma = transaction.Transaction.Connection!.CreateCommand();
        pragma.Transaction = transaction.Transaction;
        pragma.CommandText = "PRAGMA wal_autocheckpoint;";

        Assert.Equal(0L, pragma.ExecuteScalar());
    }

    [Fact]
    public async Task ManyAppends_TheWalStaysBounded_ByTheCheckpointsOfItsOwnSchedule()
    {
        var log = _database.Open(o => o.Partitions = 8);
        var walPath = _database.FilePath + "-wal";
        long largest = 0;
        // About 60 MB of rows in all: without checkpoints the WAL would hold every page written.
        for (var batch = 0; batch < 400; batch++)
        {
            await log.Stream.AppendAsync([.. Enumerable.Range(0, 256).Select(i => Envelopes.Create(partitionKey: $"k{i}", payload: $$"""{"n":{{i}},"pad":"{{new string('x', 300)}}"}"""))], CancellationToken.None);
            if (batch % 50 == 49)
            {
                await log.WalCheckpointer.CheckpointAsync(CancellationToken.None); // as the 200 ms schedule would
                largest = Math.Max(largest, new FileInfo(walPath).Length);
            }
        }

        var pages = await log.WalCheckpointer.CheckpointAsync(CancellationToken.None);
        Assert.InRange(pages, 0, Checkpointer.RestartAbovePages);
        Assert.InRange(largest, 0, 40L * 1024 * 1024);
        Assert.Equal(400 * 256, (await Envelopes.ReadAllAsync(log)).Count);
    }

    [Fact]
    public async Task WhileAppendsGoOn_TheWalStartsOverAndStaysBounded()
    {
        // A PASSIVE checkpoint alone never rewinds a WAL that is written all the time (there is always a commit newer
        // than the copy): about 60 MB of rows are appended while rounds run, and the file must stay near the threshold.
        var log = _database.Open(o => o.Partitions = 8);
        var walPath = _database.FilePath + "-wal";
        long largest = 0;
        var appending = Task.Run(async () =>
        {
            for (var batch = 0; batch < 400; batch++)
                await log.Stream.AppendAsync([.. Enumerable.Range(0, 256).Select(i => Envelopes.Create(partitionKey: $"k{i}", payload: $$"""{"n":{{i}},"pad":"{{new string('x', 300)}}"}"""))], CancellationToken.None);
        });
        while (!appending.IsCompleted)
        {
            await log.WalCheckpointer.CheckpointAsync(CancellationToken.None);
            largest = Math.Max(largest, new FileInfo(walPath).Length);
        }
        await appending;

        Assert.InRange(largest, 0, 2 * Checkpointer.RestartAbovePages * 4096 + (8L * 1024 * 1024));
        Assert.Equal(400 * 256, (await Envelopes.ReadAllAsync(log)).Count);
    }

    [Fact]
    public async Task WhenTheWriteLockIsReleased_AWaitingAppendGoesBeforeWaitingCommits()
    {
        var gate = new WriteGate(TimeSpan.FromSeconds(30), "test.db");
        var order = new List<string>();
        var held = await gate.EnterAsync(CancellationToken.None);
        var commits = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            using var _ = await gate.EnterAsync(CancellationToken.None);
            lock (order)
                order.Add($"commit {i}");
        })).ToArray();
        await WaitUntilAsync(() => gate.Waiting == 3); // the three commits queue on the gate
        var append = Task.Run(async () =>
        {
            using var _ = await gate.EnterAsync(CancellationToken.None, first: true);
            lock (order)
                order.Add("append");
        });
        await WaitUntilAsync(() => gate.Waiting == 4);

        held.Dispose();
        await Task.WhenAll([.. commits, append]);

        Assert.Equal("append", order[0]);
        Assert.Equal(4, order.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(1, timeout.Token);
    }

    [Fact]
    public async Task AWaitThatOutlivesTheBusyTimeout_FailsAsBusy_AndLeavesTheGateUsable()
    {
        var gate = new WriteGate(TimeSpan.FromMilliseconds(100), "test.db");
        var held = await gate.EnterAsync(CancellationToken.None);

        var busy = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(async () => await gate.EnterAsync(CancellationToken.None));
        held.Dispose();

        Assert.Equal(5, busy.SqliteErrorCode);
        using var again = await gate.EnterAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ACanceledWait_LeavesTheQueue_AndTheGateUsable()
    {
        // Canceled once it is queued, not by a timer: on a loaded machine a 20 ms timer could fire after the busy
        // timeout and the test would see SQLITE_BUSY instead (seen in CI).
        var gate = new WriteGate(TimeSpan.FromSeconds(30), "test.db");
        var held = await gate.EnterAsync(CancellationToken.None);
        using var canceled = new CancellationTokenSource();
        var waiting = gate.EnterAsync(canceled.Token, first: true).AsTask();
        await WaitUntilAsync(() => gate.Waiting == 1);

        await canceled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, gate.Waiting);
        held.Dispose();

        using var again = await gate.EnterAsync(CancellationToken.None);
    }
}
