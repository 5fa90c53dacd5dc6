using Microsoft.EntityFrameworkCore;

namespace Herald.EntityFrameworkCore.Tests;

/// <summary>An order, the app's own data that must commit with its event.</summary>
public sealed class Order
{
    public Guid Id { get; set; }

    public string Customer { get; set; } = string.Empty;

    public decimal Total { get; set; }
}

/// <summary>The app's EF Core model: one table of orders.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.Property(o => o.Customer).IsRequired();
        });
}

/// <summary>The event the app publishes with each order.</summary>
[Event("ef-tests.order-created")]
public sealed record OrderCreated(Guid OrderId, [property: PartitionKey] string Customer, decimal Total);

/// <summary>Durable consumer "fulfilment": records each order it is told about.</summary>
public sealed class Fulfilment(DeliveryLog log)
{
    [Subscribe(Consumer = "fulfilment")]
    public void Fulfil(OrderCreated e) => log.Record("fulfilment", e);
}
