using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.EntityFrameworkCore.Tests;

/// <summary>
/// The outbox with EF Core, as an app writes it: a <see cref="DbContext"/> transaction, <c>SaveChanges</c>, and a
/// durable publish that joins the same transaction through <c>bus.Enlist(transaction.GetDbTransaction())</c>. They
/// commit together or not at all. Each provider's class supplies the two configurations on one database.
/// </summary>
public abstract class EfOutboxSpecification : IAsyncLifetime
{
    /// <summary>Points Herald's log at the database the context uses.</summary>
    protected abstract void UseLog(HeraldOptions options);

    /// <summary>Points the context at the log's database.</summary>
    protected abstract void UseDatabase(DbContextOptionsBuilder<ShopContext> builder);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SaveChangesAndThePublish_CommitTogether_AndTheEventIsDeliveredOnce()
    {
        await using var app = await StartAsync();
        var order = new Order { Id = Guid.CreateVersion7(), Customer = "ada", Total = 12.5m };

        await using (var db = app.Context())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            using (app.Bus.Enlist(transaction.GetDbTransaction()))
                await app.Bus.PublishAsync(new OrderCreated(order.Id, order.Customer, order.Total));
            Assert.Equal(0, await app.LogLengthAsync()); // not visible before the commit
            await transaction.CommitAsync();
        }
        await app.Deliveries.WaitForAsync("fulfilment", 1);
        await app.WaitCaughtUpAsync("fulfilment");

        Assert.Equal([order.Id], app.Deliveries.Of<OrderCreated>("fulfilment").Select(e => e.OrderId));
        await using var check = app.Context();
        Assert.Equal(1, await check.Orders.CountAsync());
        Assert.Equal(1, await app.LogLengthAsync());
    }

    [Fact]
    public async Task AFailingSaveChanges_PublishesNothing()
    {
        await using var app = await StartAsync();
        var existing = new Order { Id = Guid.CreateVersion7(), Customer = "ada", Total = 1m };
        await using (var db = app.Context())
        {
            db.Orders.Add(existing);
            await db.SaveChangesAsync();
        }

        await using (var db = app.Context())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            using (app.Bus.Enlist(transaction.GetDbTransaction()))
                await app.Bus.PublishAsync(new OrderCreated(existing.Id, "ada", 2m)); // published first, then the save fails
            db.Orders.Add(new Order { Id = existing.Id, Customer = "ada", Total = 2m }); // the same key: a constraint violation
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            // The app does not commit a failed unit of work; disposing the transaction rolls it back.
        }

        var later = new OrderCreated(Guid.CreateVersion7(), "ada", 3m); // same partition, published after
        await app.Bus.PublishAsync(later);
        await app.Deliveries.WaitForAsync("fulfilment", 1);
        await app.WaitCaughtUpAsync("fulfilment");
        Assert.Equal([later.OrderId], app.Deliveries.Of<OrderCreated>("fulfilment").Select(e => e.OrderId));
        Assert.Equal(1, await app.LogLengthAsync());
    }

    [Fact]
    public async Task ARolledBackTransaction_NeitherSavesNorPublishes()
    {
        await using var app = await StartAsync();
        var order = new Order { Id = Guid.CreateVersion7(), Customer = "bob", Total = 4m };

        await using (var db = app.Context())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            using (app.Bus.Enlist(transaction.GetDbTransaction()))
                await app.Bus.PublishAsync(new OrderCreated(order.Id, order.Customer, order.Total));
            await transaction.RollbackAsync();
        }

        await using var check = app.Context();
        Assert.Equal(0, await check.Orders.CountAsync());
        Assert.Equal(0, await app.LogLengthAsync());
        Assert.Equal(0, await app.Admin.GetLagAsync("fulfilment", CancellationToken.None));
        Assert.Empty(app.Deliveries.Of<OrderCreated>("fulfilment"));
    }

    private async Task<App> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<DeliveryLog>();
        services.AddDbContext<ShopContext>(UseDatabaseUntyped);
        services.AddHerald(o =>
        {
            UseLog(o);
            o.Partitions = 2;
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.DeadLetterFile = Path.Combine(Path.GetTempPath(), $"herald-ef-tests-{Guid.NewGuid():N}.dead-letters.jsonl");
        });
        var app = new App(services.BuildServiceProvider());
        _ = app.Admin.Log; // the log's tables first, then the app's
        await using (var db = app.Context())
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        await app.Consumers.StartAsync(CancellationToken.None);
        return app;
    }

    private void UseDatabaseUntyped(DbContextOptionsBuilder builder) => UseDatabase((DbContextOptionsBuilder<ShopContext>)builder);

    private sealed class App(ServiceProvider provider) : IAsyncDisposable
    {
        private readonly List<AsyncServiceScope> _scopes = [];

        public IEventBus Bus => provider.GetRequiredService<IEventBus>();

        public DurableLogAdmin Admin => provider.GetRequiredService<DurableLogAdmin>();

        public DurableConsumers Consumers => provider.GetRequiredService<DurableConsumers>();

        public DeliveryLog Deliveries => provider.GetRequiredService<DeliveryLog>();

        /// <summary>A context of a new scope, as a request of the app gets one.</summary>
        public ShopContext Context()
        {
            var scope = provider.CreateAsyncScope();
            _scopes.Add(scope);
            return scope.ServiceProvider.GetRequiredService<ShopContext>();
        }

        public async Task<long> LogLengthAsync()
            => (await Admin.Log.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Last - b.First + 1);

        public async Task WaitCaughtUpAsync(string consumer)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await Admin.GetLagAsync(consumer, cancel.Token) > 0)
                await Task.Delay(10, cancel.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await Consumers.StopAsync(CancellationToken.None);
            foreach (var scope in _scopes)
                await scope.DisposeAsync();
            await provider.DisposeAsync();
        }
    }
}
