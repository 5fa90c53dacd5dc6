using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The server ends the connections of an instance mid-stream (<c>pg_terminate_backend</c>, as a failover or an
/// administrator does): the log writer retries on new connections, the consumers resume, and nothing acknowledged is
/// lost.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("fault");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task TheWritersAndTheConsumersBackendsTerminatedMidStream_EveryAcknowledgedEventIsInTheLogAndHandled()
    {
        // The instance's connections carry an application name of their own, so the test can end exactly them.
        var application = "herald-fault-" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionStringFor(_schema)) { ApplicationName = application }.ConnectionString;
        await using var host = await PostgresHost.StartAsync(_schema, configure: o => o.UsePostgres(connectionString, p => p.Schema = _schema));
        const int count = 400;
        var acknowledged = new List<OrderPlaced>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishing = Task.Run(async () =>
        {
            for (var i = 1; i <= count; i++)
            {
                var order = new OrderPlaced(Guid.CreateVersion7(), $"customer-{i % 10}", i);
                await host.Bus.PublishAsync(order); // Persisted: returns once committed
                acknowledged.Add(order);
                if (i == count / 2)
                    halfway.SetResult();
            }
        });
        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await host.Deliveries.WaitForAsync("billing", 1);

        var terminated = await TerminateAsync(application);
        await publishing.WaitAsync(TimeSpan.FromSeconds(120));
        await host.Deliveries.WaitForAsync("billing", count, TimeSpan.FromSeconds(120));
        await host.WaitCaughtUpAsync("billing", TimeSpan.FromSeconds(60));

        Assert.True(terminated >= 1, "no backend of the instance was terminated");
        Assert.Equal(count, acknowledged.Count);
        var handled = host.Deliveries.Of<OrderPlaced>("billing");
        Assert.Equal(acknowledged.Select(o => o.OrderId).Order(), handled.Select(o => o.OrderId).Distinct().Order());
        // Order per key holds across the faults (a repeat, if any, is of an event whose commit was cut off).
        foreach (var key in handled.GroupBy(o => o.Customer))
        {
            var firsts = key.DistinctBy(o => o.OrderId).Select(o => o.Sequence).ToList();
            Assert.Equal(firsts.Order(), firsts);
        }
        long stored = 0;
        foreach (var bounds in await host.Log.Stream.GetBoundsAsync(CancellationToken.None))
            stored += bounds.Last;
        Assert.True(stored >= count, $"the log holds {stored} events, fewer than the {count} acknowledged");
    }

    private static async Task<int> TerminateAsync(string application)
    {
        await using var admin = await PostgresServer.ConnectAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", admin);
        terminate.Parameters.Add(new NpgsqlParameter { Value = application });
        return (int)(long)(await terminate.ExecuteScalarAsync())!;
    }
}
