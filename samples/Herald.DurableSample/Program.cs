using Herald;
using Herald.Durable;
using Herald.DurableSample;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Durable events on SQLite. Run it twice: the second run finds the first run's events already handled (offsets and
// the inbox survive restarts) and handles only the new ones. Switch to an in-memory log without touching code:
//   dotnet run --project samples/Herald.DurableSample -- --Herald:Transport=InMemory
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json is copied next to the app
});
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
});

using var host = builder.Build();
await host.StartAsync();

var bus = host.Services.GetRequiredService<IEventBus>();
var admin = host.Services.GetRequiredService<DurableLogAdmin>();
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
Console.WriteLine($"transport: {host.Services.GetRequiredService<HeraldOptions>().Transport}");

await host.StopAsync();
