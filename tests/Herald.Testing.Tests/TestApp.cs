using Microsoft.Extensions.DependencyInjection;

namespace Herald.Testing.Tests;

/// <summary>
/// The app under test as a test builds it: <c>AddHerald</c> on a SQLite file in a temporary folder, and
/// <c>AddHeraldTestHarness</c>; the durable consumers are started as the host would start them.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private TestApp(ServiceProvider provider, string folder)
    {
        _provider = provider;
        Folder = folder;
    }

    public string Folder { get; }

    public string DatabaseFile => Path.Combine(Folder, "events.db");

    public IServiceProvider Services => _provider;

    public IEventBus Bus => _provider.GetRequiredService<IEventBus>();

    public HeraldTestHarness Harness => _provider.GetRequiredService<HeraldTestHarness>();

    public DurableLogAdmin Admin => _provider.GetRequiredService<DurableLogAdmin>();

    public static async Task<TestApp> StartAsync(bool startConsumers = true, Action<HeraldOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "herald-testing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var collection = new ServiceCollection();
        collection.AddHerald(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(folder, "events.db")}");
            o.Consumers.CommitInterval = TimeSpan.FromMilliseconds(20);
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumer("refunds", c => c.MaxAttempts = 2);
            configure?.Invoke(o);
        });
        collection.AddHeraldTestHarness();
        services?.Invoke(collection);
        var app = new TestApp(collection.BuildServiceProvider(), folder);
        if (startConsumers)
            await app.Services.GetRequiredService<DurableConsumers>().StartAsync(CancellationToken.None);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
