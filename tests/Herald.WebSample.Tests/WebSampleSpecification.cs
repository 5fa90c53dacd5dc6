using System.Net;
using System.Net.Http.Json;
using Herald.Durable;
using Herald.WebSample;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.WebSample.Tests;

/// <summary>
/// The web sample as a client uses it, on a real database: <c>POST /orders</c> saves the order and publishes its event
/// in one transaction, the durable consumers index it and notify; a request that fails saves and publishes nothing.
/// Each provider's class supplies the configuration.
/// </summary>
public abstract class WebSampleSpecification : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    /// <summary>The configuration that points the app at the test's database (Herald:... keys).</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings { get; }

    protected WebApplicationFactory<Program> Factory => _factory ??= new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        foreach (var (key, value) in Settings)
            web.UseSetting(key, value);
    });

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
    }

    [Fact]
    public async Task PostOrders_SavesTheOrder_AndItsEventReachesTheIndexAndTheNotifier_Once()
    {
        using var client = Factory.CreateClient();

        var response = await client.PostAsJsonAsync("/orders", new { customer = "ada", sku = "SKU-1", quantity = 2 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/orders/{order.Id}")).StatusCode);
        var indexed = await EventuallyAsync(async () => await client.GetFromJsonAsync<List<OrderCreated>>("/search?customer=ada"), found => found!.Count == 1);
        Assert.Equal(new OrderCreated(order.Id, "ada", "SKU-1", 2), indexed![0]);
        var sent = await EventuallyAsync(async () => await client.GetFromJsonAsync<List<string>>("/notifications"), found => found!.Count == 1);
        Assert.Contains(order.Id.ToString(), sent![0], StringComparison.Ordinal);
        await WaitCaughtUpAsync();
        Assert.Single((await client.GetFromJsonAsync<List<string>>("/notifications"))!);
    }

    [Fact]
    public async Task ARetriedPostWithTheSameId_IsAConflict_AndPublishesNothingMore()
    {
        using var client = Factory.CreateClient();
        var id = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/orders", new { id, customer = "bob", sku = "SKU-2", quantity = 1 })).StatusCode);

        // The same id again: SaveChanges fails on the primary key, the transaction rolls back with the event in it.
        var retried = await client.PostAsJsonAsync("/orders", new { id, customer = "bob", sku = "SKU-2", quantity = 1 });

        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        await WaitCaughtUpAsync();
        Assert.Single((await client.GetFromJsonAsync<List<OrderCreated>>("/search?customer=bob"))!);
        Assert.Single((await client.GetFromJsonAsync<List<string>>("/notifications"))!);
        Assert.Equal(1, await LogLengthAsync());
    }

    [Fact]
    public async Task AnInvalidOrder_IsABadRequest_AndNothingIsSavedOrPublished()
    {
        using var client = Factory.CreateClient();

        var response = await client.PostAsJsonAsync("/orders", new { customer = "cy", sku = "", quantity = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = Factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ShopDb>().Orders.CountAsync());
        Assert.Equal(0, await LogLengthAsync());
    }

    private async Task<long> LogLengthAsync()
        => (await Factory.Services.GetRequiredService<DurableLogAdmin>().Log.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Last - b.First + 1);

    private async Task WaitCaughtUpAsync()
    {
        var admin = Factory.Services.GetRequiredService<DurableLogAdmin>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var consumer in new[] { "search-index", "notify" })
        {
            while (await admin.GetLagAsync(consumer, timeout.Token) > 0)
                await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            await Task.Delay(20, timeout.Token);
        }
    }
}

/// <summary>The web sample on its default transport: SQLite, the orders and the log in one file.</summary>
public sealed class SqliteWebSampleTests : WebSampleSpecification
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-web-").FullName;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Herald:Transport"] = "Sqlite",
        ["Herald:Sqlite:ConnectionString"] = $"Data Source={Path.Combine(_folder, "web.db")}",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The web sample on PostgreSQL by configuration: the orders and the log in one new schema.</summary>
public sealed class PostgresWebSampleTests : WebSampleSpecification
{
    private readonly string _schema = PostgresServer.NewSchema("web");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Herald:Transport"] = "Postgres",
        ["Herald:Postgres:ConnectionString"] = PostgresServer.ConnectionStringFor(_schema),
        ["Herald:Postgres:Schema"] = _schema,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresServer.DropSchemasAsync([_schema]);
    }
}
