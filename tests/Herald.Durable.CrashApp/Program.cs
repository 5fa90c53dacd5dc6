using System.Globalization;
using Herald;
using Herald.Durable;
using Herald.Durable.CrashApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A child process for the crash and consumer-group tests, on a SQLite file:
// publish <db> <count>            : publishes <count> ledger entries with Durability.Persisted, printing "acked <sequence>"
// consume <db> <expected> [<killAt> [<killIn>]]: runs the "ledger" and "tally" consumers until both handled <expected>
//                                   events; with <killAt>, the process kills itself inside the handler of that sequence
//                                   of consumer <killIn> ("ledger" by default: after writing its ledger row and before
//                                   the commit; "tally": a handler that never touches the transaction, whose consumer
//                                   reads 5 events at a time, so its progress is committed every 5 events)
// publish-keys <db> <count> <keys>: publishes <count> group events over <keys> partition keys (Persisted, 64 at a time,
//                                   each key's events one after the other), printing "published <count>" at the end
// group <db>                      : a member of consumer group "group": prints one "h ..." line per handled event (see
//                                   GroupLine), "owns ..." when its partitions change, and stops gracefully (committing
//                                   and releasing its partitions) when a line "stop" arrives on standard input
// <db> is a SQLite file, or "<Transport>:<connection>" for another transport whose package this app references
// ("Sqlite:Data Source=x.db", "Postgres:Host=...", "Redis:127.0.0.1:6390"); its other settings come from the
// environment the usual way (Herald__Postgres__Schema=..., Herald__Redis__KeyPrefix=...).
// Environment: HERALD_PARTITIONS (partition count of a new log), HERALD_LEASE_MS and HERALD_RENEW_MS (lease timing),
// HERALD_APPLIED_FILE (consume: the "tally" handler also appends "tallied <sequence>" to this file, flushed, before its
// kill point: a ledger outside the log for transports whose handlers have no transaction, Redis).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: publish <db> <count> | consume <db> <expected> [<killAt> [<killIn>]] | publish-keys <db> <count> <keys> | group <db>");
    return 2;
}

var database = args[1];
var services = new ServiceCollection();
services.AddSingleton(new LedgerSettings(
    args[0] == "consume" && args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : -1,
    args[0] == "consume" && args.Length > 4 ? args[4] : "ledger",
    Environment.GetEnvironmentVariable("HERALD_APPLIED_FILE") is { Length: > 0 } applied ? applied : null));
var lines = new GroupOutput();
services.AddSingleton(lines);
services.AddLogging(logging => logging.AddProvider(new LinesLoggerProvider(lines)));
services.AddHerald(LogConfiguration(database).GetSection("Herald"), o =>
{
    if (Environment.GetEnvironmentVariable("HERALD_PARTITIONS") is { } partitions)
        o.Partitions = int.Parse(partitions, CultureInfo.InvariantCulture);
    o.Consumers.PollInterval = TimeSpan.FromMilliseconds(20);
    o.Consumers.LeaseDuration = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("HERALD_LEASE_MS") ?? "3000", CultureInfo.InvariantCulture));
    o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("HERALD_RENEW_MS") ?? "500", CultureInfo.InvariantCulture));
    o.Consumer("tally", c => c.BatchSize = 5);
    o.Consumer("group", c => c.BatchSize = 50);
});
await using var provider = services.BuildServiceProvider();
var bus = provider.GetRequiredService<IEventBus>();
var admin = provider.GetRequiredService<DurableLogAdmin>();
var consumers = provider.GetRequiredService<DurableConsumers>();

switch (args[0])
{
    case "publish":
    {
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        for (var sequence = 1; sequence <= count; sequence++)
        {
            await bus.PublishAsync(new LedgerEntryPosted(Guid.CreateVersion7(), sequence));
            Console.WriteLine($"acked {sequence}");
        }
        return 0;
    }

    case "consume":
    {
        // The ledger table, in the log's own database (the ledger consumer writes it through the log's transaction).
        await using (var store = await admin.Log.Checkpoints.BeginTransactionAsync(CancellationToken.None))
        {
            if (store is not null)
            {
                await using var create = store.Transaction.Connection!.CreateCommand();
                create.Transaction = store.Transaction;
                create.CommandText = "CREATE TABLE IF NOT EXISTS ledger (event_id VARCHAR(36) NOT NULL, sequence INTEGER NOT NULL)";
                await create.ExecuteNonQueryAsync();
                await store.Transaction.CommitAsync();
            }
        }
        await consumers.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var consumer in new[] { "ledger", "tally" })
        {
            while (await admin.GetLagAsync(consumer, timeout.Token) > 0
                   || (await admin.Log.Checkpoints.GetOffsetsAsync(consumer, timeout.Token)).Count < admin.Log.Stream.Partitions)
                await Task.Delay(20, timeout.Token);
        }
        await consumers.StopAsync(CancellationToken.None);
        Console.WriteLine("caught up");
        return 0;
    }

    case "publish-keys":
    {
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var keys = int.Parse(args[3], CultureInfo.InvariantCulture);
        // 64 publishers; publisher p publishes the events of the keys k with k % 64 == p, in sequence order, so every
        // key's events are published one after the other while 64 publishes are in flight (group commit).
        var byPublisher = Enumerable.Range(0, 64).Select(_ => new List<(string Key, int Sequence)>()).ToArray();
        var perKey = new int[keys];
        for (var i = 0; i < count; i++)
        {
            var key = i % keys;
            byPublisher[key % 64].Add(($"key-{key}", perKey[key]++));
        }
        await Task.WhenAll(byPublisher.Select(events => Task.Run(async () =>
        {
            foreach (var (key, sequence) in events)
                await bus.PublishAsync(new GroupEventPosted(key, sequence));
        })));
        Console.WriteLine($"published {count}");
        return 0;
    }

    case "group":
    {
        var output = lines;
        await consumers.StartAsync(CancellationToken.None);
        Console.WriteLine($"started {consumers.InstanceId}");
        _ = Task.Run(async () =>
        {
            var owned = string.Empty;
            while (consumers.IsRunning)
            {
                var now = string.Join(",", consumers.PartitionsOf("group"));
                if (now != owned)
                {
                    owned = now;
                    output.Write($"owns [{owned}]");
                }
                await Task.Delay(50);
            }
        });
        while (Console.ReadLine() is { } line && line != "stop")
        {
        }
        await consumers.StopAsync(CancellationToken.None);
        output.Write("stopped");
        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown mode '{args[0]}'");
        return 2;
}

// The Herald section for <db>: a SQLite file, or "<Transport>:<connection>".
static IConfigurationRoot LogConfiguration(string log)
{
    var separator = log.IndexOf(':', StringComparison.Ordinal);
    var transport = separator > 0 && log[..separator] is "Sqlite" or "Postgres" or "Redis" ? log[..separator] : "Sqlite";
    var connection = transport == "Sqlite" && separator <= 0 ? $"Data Source={log}" : log[(separator + 1)..];
    return new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Transport"] = transport,
            [transport == "Redis" ? "Herald:Redis:Configuration" : $"Herald:{transport}:ConnectionString"] = connection,
        })
        .AddEnvironmentVariables()
        .Build();
}
