using Herald;
using Herald.Durable;
using Herald.DurableSample;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Durable events on SQLite. Run it twice: the second run finds the first run's events already handled (offsets and
// the inbox survive restarts) and handles only the new ones. Switch to an in-memory log without touching code:
//   dotnet run --project samples/Herald.DurableSample -- --Herald:Transport=InMemory
// Or to PostgreSQL (the log's tables go to the schema "herald", created on first use; workers on several machines
// then share one database):
//   dotnet run --project samples/Herald.DurableSample -- --Herald:Transport=Postgres --Herald:Postgres:ConnectionString="Host=...;Database=...;Username=...;Password=..."
// Or to Redis Streams (eng/redis.sh start runs a server on 127.0.0.1:56379):
//   dotnet run --project samples/Herald.DurableSample -- --Herald:Transport=Redis --Herald:Redis:Configuration=127.0.0.1:56379
// Several instances share the consumers (each partition is handled by one of them at a time), from one folder:
//   dotnet run --project samples/Herald.DurableSample -- --Sample:Role=worker          (in two terminals)
//   dotnet run --project samples/Herald.DurableSample -- --Sample:Role=publisher --Sample:Orders=200
// A broken search index, so its events are dead-lettered (docs/operations.md finds and replays them with herald):
//   dotnet run --project samples/Herald.DurableSample -- --Sample:BreakSearchIndex=true
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json is copied next to the app
});
var role = builder.Configuration["Sample:Role"] ?? "demo";
if (role is not ("demo" or "worker" or "publisher"))
{
    Console.Error.WriteLine($"Sample:Role is '{role}'; use demo (the default), worker or publisher.");
    return 2;
}
builder.Services.AddSingleton(new SampleSettings(role == "worker", string.Equals(builder.Configuration["Sample:BreakSearchIndex"], "true", StringComparison.OrdinalIgnoreCase)));
builder.Services.AddSingleton<OrderCache>();
builder.Services.AddSingleton<Stock>();
builder.Services.AddSingleton<SearchIndex>();
builder.Services.AddHerald(builder.Configuration.GetSection("Herald"), o =>
{
    // The search index is flaky: retry quickly in the sample so it catches up in a second.
    o.Consumer("search-index", c =>
    {
        c.MaxAttempts = 4;
        c.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
    });
    // A short lease, so that a worker stopped with Ctrl+C or killed hands its partitions over quickly in the demo.
    o.Consumers.LeaseDuration = TimeSpan.FromSeconds(6);
    o.Consumers.LeaseRenewalInterval = TimeSpan.FromSeconds(2);
});
using var host = builder.Build();
var bus = host.Services.GetRequiredService<IEventBus>();
var admin = host.Services.GetRequiredService<DurableLogAdmin>();
var consumers = host.Services.GetRequiredService<DurableConsumers>();

if (role == "publisher")
{
    var count = int.Parse(builder.Configuration["Sample:Orders"] ?? "100", System.Globalization.CultureInfo.InvariantCulture);
    for (var i = 1; i <= count; i++)
        await bus.PublishAsync(new OrderCreated(Guid.CreateVersion7(), $"SKU-{i % 12 + 1}", i % 7 + 1, DateTimeOffset.UtcNow, "published by the publisher role"));
    // The host is not started: this process runs no consumer, it only publishes (Persisted: every order is in the log).
    Console.WriteLine($"published {count} order(s); the workers handle them");
    return 0;
}

await host.StartAsync();
if (role == "worker")
{
    Console.WriteLine($"worker {consumers.InstanceId} running; Ctrl+C stops it (its partitions go to the other workers)");
    var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
    var owned = string.Empty;
    while (!lifetime.ApplicationStopping.IsCancellationRequested)
    {
        var now = string.Join(",", consumers.PartitionsOf("search-index"));
        if (now != owned)
        {
            owned = now;
            Console.WriteLine($"search-index: this worker owns partitions [{owned}]");
        }
        try
        {
            await Task.Delay(500, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            break;
        }
    }
    await host.StopAsync();
    return 0;
}

var runId = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
for (var i = 1; i <= 6; i++)
{
    var order = new OrderCreated(Guid.CreateVersion7(), $"SKU-{i % 3 + 1}", i, DateTimeOffset.UtcNow, $"run {runId}");
    await bus.PublishAsync(order); // inline handlers run now; returns once the event is committed to the log
}

// Durable consumers run in the background: wait until each has handled everything in the log.
foreach (var consumer in DurableConsumers.Names.Order(StringComparer.Ordinal))
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    while (await admin.GetLagAsync(consumer, timeout.Token) > 0)
        await Task.Delay(50, timeout.Token);
    Console.WriteLine($"consumer {consumer}: caught up");
}

var stock = host.Services.GetRequiredService<Stock>();
var index = host.Services.GetRequiredService<SearchIndex>();
Console.WriteLine($"in-memory cache: {host.Services.GetRequiredService<OrderCache>().Count} order(s) this run");
Console.WriteLine($"stock reserved this run: {stock.Describe()}");
Console.WriteLine($"search index: {index.Count} document(s) this run, {index.Failures} transient failure(s) retried");
var deadLetters = await admin.ListDeadLettersAsync();
Console.WriteLine($"dead letters: {deadLetters.Count}");
Console.WriteLine($"partitions: {admin.Log.Stream.Partitions}; search-index partitions owned here: [{string.Join(",", consumers.PartitionsOf("search-index"))}]");
Console.WriteLine($"transport: {host.Services.GetRequiredService<HeraldOptions>().Transport}");

await host.StopAsync();
return 0;

namespace Herald.DurableSample
{
    /// <summary>What the sample's role changes in its handlers.</summary>
    /// <param name="PrintEachOrder">Workers print each order they index.</param>
    /// <param name="BreakSearchIndex">The search index rejects every document (its events end as dead letters).</param>
    public sealed record SampleSettings(bool PrintEachOrder, bool BreakSearchIndex);
}
