using BenchmarkDotNet.Attributes;
using Herald.Benchmarks.Durable;
using Herald.Durable;
using Herald.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The outbox's cost on PostgreSQL (<c>HERALD_TEST_POSTGRES</c>): an app's transaction that inserts one order row and
/// publishes one event through <c>bus.Enlist</c>, next to the same transaction without the publish (the baseline). One
/// transaction at a time, each on a connection from the app's pool (open, begin, insert, commit, close), as a request
/// handler runs it; Mean is per transaction.
/// </summary>
/// <remarks>
/// The enlisted publish adds to the transaction what Herald's append does (lock the event's partition row, reserve its
/// position, insert the event, notify at commit: one batch, one round trip) and the check of the transaction at
/// <c>Enlist</c>. Both rows commit with the server's <c>fsync</c> on: the commit's flush is paid once either way.
/// </remarks>
[MemoryDiagnoser]
public class PostgresOutboxBenchmarks
{
    /// <summary>Transactions per invocation.</summary>
    public const int Transactions = 100;

    private string _schema = string.Empty;
    private NpgsqlDataSource _app = null!;
    private ServiceProvider _provider = null!;
    private IEventBus _bus = null!;
    private int _sequence;

    /// <summary>
    /// <see cref="PostgresOptions.Notifications"/>: with it (the default) the enlisted append also sends a NOTIFY, which
    /// PostgreSQL delivers at commit under a lock every notifying commit of the server takes.
    /// </summary>
    [Params(true, false)]
    public bool Notifications { get; set; }

    /// <summary>
    /// <see cref="PostgresOptions.PrepareStatements"/>: with it (the default) the enlisted append's statements are
    /// prepared on the app's connection once, and then only bound and run; without it they are parsed and planned at
    /// every publish.
    /// </summary>
    [Params(true, false)]
    public bool PrepareStatements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schema = BenchmarkServers.NewName("bench_outbox");
        // The app's connections: its own pool, its tables in the benchmark's schema.
        _app = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(BenchmarkServers.Postgres) { SearchPath = _schema }.ConnectionString);
        var services = new ServiceCollection();
        services.AddHerald(o => o.UsePostgres(BenchmarkServers.Postgres, p =>
        {
            p.Schema = _schema;
            p.Notifications = Notifications;
            p.PrepareStatements = PrepareStatements;
        }));
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        _bus.PublishAsync(DurableAppendBenchmarks.Placed(-1)).AsTask().GetAwaiter().GetResult(); // creates the log's schema
        using var connection = _app.OpenConnection();
        using var create = new NpgsqlCommand(
            "CREATE TABLE orders (id uuid PRIMARY KEY, customer text NOT NULL, quantity int NOT NULL, amount numeric NOT NULL, placed_at timestamptz NOT NULL)",
            connection);
        create.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        using (var connection = _app.OpenConnection())
        using (var drop = new NpgsqlCommand($"DROP SCHEMA \"{_schema}\" CASCADE", connection))
            drop.ExecuteNonQuery();
        _app.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Transactions, Description = "transaction: insert one row")]
    public async Task InsertOnly()
    {
        for (var i = 0; i < Transactions; i++)
        {
            var order = DurableAppendBenchmarks.Placed(Interlocked.Increment(ref _sequence));
            await using var connection = await _app.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await InsertAsync(connection, transaction, order);
            await transaction.CommitAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Transactions, Description = "transaction: insert one row and publish one event (bus.Enlist)")]
    public async Task InsertAndPublish()
    {
        for (var i = 0; i < Transactions; i++)
        {
            var order = DurableAppendBenchmarks.Placed(Interlocked.Increment(ref _sequence));
            await using var connection = await _app.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await InsertAsync(connection, transaction, order);
            using (_bus.Enlist(transaction))
                await _bus.PublishAsync(order);
            await transaction.CommitAsync();
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrderPlaced order)
    {
        await using var insert = new NpgsqlCommand("INSERT INTO orders (id, customer, quantity, amount, placed_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = order.OrderId });
        insert.Parameters.Add(new NpgsqlParameter { Value = order.Customer });
        insert.Parameters.Add(new NpgsqlParameter { Value = order.Quantity });
        insert.Parameters.Add(new NpgsqlParameter { Value = order.Amount });
        insert.Parameters.Add(new NpgsqlParameter { Value = order.PlacedAt });
        await insert.ExecuteNonQueryAsync();
    }
}
