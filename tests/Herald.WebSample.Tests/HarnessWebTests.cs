using System.Net;
using System.Net.Http.Json;
using Herald.Testing;
using Herald.WebSample;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.WebSample.Tests;

/// <summary>
/// Herald.Testing in a WebApplicationFactory test, as docs/testing.md shows it: the harness registered in
/// ConfigureTestServices, the web sample on a real SQLite file, no waiting loop.
/// </summary>
public sealed class HarnessWebTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-web-harness-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Herald:Transport", "Sqlite");
            web.UseSetting("Herald:Sqlite:ConnectionString", $"Data Source={Path.Combine(_folder, "web.db")}");
            web.ConfigureTestServices(services => services.AddHeraldTestHarness());
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task PostOrders_PublishesInTheRequestsTransaction_AndBothConsumersHandleIt()
    {
        using var client = _factory!.CreateClient();
        var harness = _factory.Services.GetRequiredService<HeraldTestHarness>();

        var response = await client.PostAsJsonAsync("/orders", new { customer = "ada", sku = "SKU-1", quantity = 2 });
        await harness.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        var created = Assert.Single(harness.Published<OrderCreated>());
        Assert.Equal(new OrderCreated(order.Id, "ada", "SKU-1", 2), created.Event);
        Assert.True(created.Enlisted);
        Assert.Equal("web.order-created", created.Envelope!.Type);
        Assert.Equal("ada", created.Envelope.PartitionKey);
        foreach (var consumer in new[] { "search-index", "notify" })
        {
            var handled = Assert.Single(harness.Handled<OrderCreated>(consumer));
            Assert.Equal(created.Envelope.Id, handled.Envelope.Id);
            Assert.Equal(1, handled.Attempt);
        }
        Assert.Single((await client.GetFromJsonAsync<List<OrderCreated>>("/search?customer=ada"))!);
        Assert.Empty(harness.DeadLettered);
    }
}
