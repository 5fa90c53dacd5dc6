using Herald;
using Herald.WebSample;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

// POST /orders saves the order with EF Core and publishes OrderCreated through the transactional outbox, in one
// transaction: the order and its event commit together or not at all. Durable consumers index it and notify.
//   dotnet run --project samples/Herald.WebSample
//   curl -X POST localhost:5080/orders -H 'Content-Type: application/json' -d '{"customer":"ada","sku":"SKU-1","quantity":2}'
//   curl localhost:5080/search?customer=ada ; curl localhost:5080/notifications
// SQLite (web.db) by default; PostgreSQL by configuration, the orders and the log in one database:
//   dotnet run --project samples/Herald.WebSample -- --Herald:Transport=Postgres --Herald:Postgres:ConnectionString="Host=...;Database=...;Username=...;Password=..."
var builder = WebApplication.CreateBuilder(args);
var herald = builder.Configuration.GetSection("Herald");
var postgres = string.Equals(herald["Transport"], "Postgres", StringComparison.OrdinalIgnoreCase);
// The orders live in the log's database: that is what lets one transaction hold both.
var connectionString = herald[postgres ? "Postgres:ConnectionString" : "Sqlite:ConnectionString"]
    ?? throw new InvalidOperationException($"Set Herald:{(postgres ? "Postgres" : "Sqlite")}:ConnectionString.");
builder.Services.AddDbContext<ShopDb>(db =>
{
    if (postgres)
        db.UseNpgsql(connectionString);
    else
        db.UseSqlite(connectionString);
});
builder.Services.AddSingleton<SearchIndex>();
builder.Services.AddSingleton<Notifier>();
builder.Services.AddHerald(herald);

var app = builder.Build();

// The log's tables first (resolving the log creates them), then the app's.
_ = app.Services.GetRequiredService<Herald.Durable.DurableLogAdmin>().Log;
await using (var scope = app.Services.CreateAsyncScope())
    await scope.ServiceProvider.GetRequiredService<ShopDb>().CreateTablesAsync(CancellationToken.None);

app.MapPost("/orders", async (NewOrder request, ShopDb db, IEventBus bus, CancellationToken ct) =>
{
    if (string.IsNullOrWhiteSpace(request.Customer) || string.IsNullOrWhiteSpace(request.Sku) || request.Quantity < 1)
        return Results.ValidationProblem(new Dictionary<string, string[]>
        {
            ["order"] = ["customer and sku are required, and quantity must be at least 1"],
        });
    var order = new Order
    {
        Id = request.Id ?? Guid.CreateVersion7(),
        Customer = request.Customer,
        Sku = request.Sku,
        Quantity = request.Quantity,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    await using var transaction = await db.Database.BeginTransactionAsync(ct);
    db.Orders.Add(order);
    try
    {
        await db.SaveChangesAsync(ct);
    }
    catch (DbUpdateException)
    {
        // The order was saved before (a retried request): neither it nor its event is written again.
        if (await OrderExistsAsync(order.Id, ct))
            return Results.Conflict(new { order.Id, error = "an order with this id exists" });
        throw;
    }
    using (bus.Enlist(transaction.GetDbTransaction()))
        await bus.PublishAsync(new OrderCreated(order.Id, order.Customer, order.Sku, order.Quantity), ct);
    await transaction.CommitAsync(ct); // the order and its event, or neither
    return Results.Created($"/orders/{order.Id}", order);

    async Task<bool> OrderExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var check = app.Services.CreateAsyncScope();
        return await check.ServiceProvider.GetRequiredService<ShopDb>().Orders.AnyAsync(o => o.Id == id, cancellationToken);
    }
});

app.MapGet("/orders/{id:guid}", async (Guid id, ShopDb db, CancellationToken ct)
    => await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) is { } order ? Results.Ok(order) : Results.NotFound());

app.MapGet("/search", (string customer, SearchIndex index) => Results.Ok(index.Find(customer)));

app.MapGet("/notifications", (Notifier notifier) => Results.Ok(notifier.Sent));

app.Run();

/// <summary>The app's entry point; public so that tests can host it (WebApplicationFactory).</summary>
public partial class Program;
