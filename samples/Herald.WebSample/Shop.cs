using Microsoft.EntityFrameworkCore;

namespace Herald.WebSample;

/// <summary>An order as the app stores it (EF Core), in the same database as the durable log.</summary>
public sealed class Order
{
    public Guid Id { get; set; }

    public string Customer { get; set; } = string.Empty;

    public string Sku { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The app's EF Core model: one table, <c>orders</c>.</summary>
public sealed class ShopDb(DbContextOptions<ShopDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.Property(o => o.Id).HasColumnName("id");
            order.Property(o => o.Customer).HasColumnName("customer").IsRequired();
            order.Property(o => o.Sku).HasColumnName("sku").IsRequired();
            order.Property(o => o.Quantity).HasColumnName("quantity");
            order.Property(o => o.CreatedAt).HasColumnName("created_at");
        });

    /// <summary>
    /// Creates the orders table when missing. The durable log creates its own tables in the same database first, so
    /// EF Core's EnsureCreated (which does nothing in a database that has any table) does not fit; a sample keeps it
    /// to one statement per provider where an app would use migrations.
    /// </summary>
    public Task CreateTablesAsync(CancellationToken cancellationToken)
        => Database.ExecuteSqlRawAsync(Database.IsNpgsql()
            ? "CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY, customer text NOT NULL, sku text NOT NULL, quantity int NOT NULL, created_at timestamptz NOT NULL)"
            : "CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, created_at TEXT NOT NULL)",
            cancellationToken);
}
