using Herald;
using Herald.Durable;
using Herald.Durable.CrashApp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// publish <db> <count>            : publishes <count> events with Durability.Persisted, printing "acked <sequence>" after each
// consume <db> <expected> [<killAt> [<killIn>]]: runs the "ledger" and "tally" consumers until both handled <expected>
//                                   events; with <killAt>, the process kills itself inside the handler of that sequence
//                                   of consumer <killIn> ("ledger" by default: after writing its ledger row and before
//                                   the commit; "tally": a handler that never touches the transaction, whose consumer
//                                   reads 5 events at a time, so its progress is committed every 5 events)
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: publish <db> <count> | consume <db> <expected> [<killAt> [<killIn>]]");
    return 2;
}

var database = args[1];
var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var services = new ServiceCollection();
services.AddSingleton(new LedgerSettings(
    args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : -1,
    args.Length > 4 ? args[4] : "ledger"));
services.AddHerald(o =>
{
    o.UseSqlite($"Data Source={database}");
    o.Consumers.PollInterval = TimeSpan.FromMilliseconds(20);
    o.Consumer("tally", c => c.BatchSize = 5);
});
await using var provider = services.BuildServiceProvider();

if (args[0] == "publish")
{
    var bus = provider.GetRequiredService<IEventBus>();
    for (var sequence = 1; sequence <= count; sequence++)
    {
        await bus.PublishAsync(new LedgerEntryPosted(Guid.CreateVersion7(), sequence));
        Console.WriteLine($"acked {sequence}");
    }
    return 0;
}

await using (var connection = new SqliteConnection($"Data Source={database}"))
{
    await connection.OpenAsync();
    await using var create = connection.CreateCommand();
    create.CommandText = "CREATE TABLE IF NOT EXISTS ledger (event_id TEXT NOT NULL, sequence INTEGER NOT NULL)";
    await create.ExecuteNonQueryAsync();
}

var consumers = provider.GetRequiredService<DurableConsumers>();
var admin = provider.GetRequiredService<DurableLogAdmin>();
await consumers.StartAsync(CancellationToken.None);
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
foreach (var consumer in new[] { "ledger", "tally" })
{
    while (await admin.GetLagAsync(consumer, timeout.Token) > 0 || await admin.Log.GetOffsetAsync(consumer, timeout.Token) is null)
        await Task.Delay(20, timeout.Token);
}
await consumers.StopAsync(CancellationToken.None);
Console.WriteLine("caught up");
return 0;

namespace Herald.Durable.CrashApp
{
    [Event("crash.ledger-entry-posted")]
    public sealed record LedgerEntryPosted(Guid EntryId, int Sequence);

    public sealed record LedgerSettings(int KillAt, string KillIn);

    /// <summary>Writes one ledger row per event in the log's own transaction, so the row commits with the inbox mark.</summary>
    public sealed class Ledger(LedgerSettings settings)
    {
        [Subscribe(Consumer = "ledger")]
        public async Task Post(LedgerEntryPosted e, CancellationToken ct)
        {
            var transaction = (SqliteTransaction)DurableContext.Current!.Transaction!;
            await using var insert = transaction.Connection!.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO ledger (event_id, sequence) VALUES ($id, $sequence)";
            insert.Parameters.AddWithValue("$id", e.EntryId.ToString());
            insert.Parameters.AddWithValue("$sequence", e.Sequence);
            await insert.ExecuteNonQueryAsync(ct);
            Console.WriteLine($"handled {e.Sequence}");
            if (e.Sequence == settings.KillAt && settings.KillIn == "ledger")
                System.Diagnostics.Process.GetCurrentProcess().Kill(); // dies here: the row and the inbox mark are never committed
        }
    }

    /// <summary>Counts events without touching the log's transaction: its marks wait for its batch's commit.</summary>
    public sealed class Tally(LedgerSettings settings)
    {
        [Subscribe(Consumer = "tally")]
        public void Count(LedgerEntryPosted e)
        {
            Console.WriteLine($"tallied {e.Sequence}");
            if (e.Sequence == settings.KillAt && settings.KillIn == "tally")
                System.Diagnostics.Process.GetCurrentProcess().Kill(); // dies here: the progress since the last commit is lost
        }
    }
}
