using Herald.Benchmarks.Durable;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace Herald.Benchmarks.Wolverine;

/// <summary>
/// A Wolverine 6.62.0 host with its inbox and outbox on PostgreSQL, in a schema of its own, configured as Wolverine's
/// documentation configures a durable local queue (every setting is written in <see cref="StartAsync"/> with why):
/// messages published through <see cref="IMessageBus"/> are stored in <c>wolverine_incoming_envelopes</c> and handled
/// by <see cref="WolverineOrderHandler"/>.
/// </summary>
internal sealed class WolverineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _connectionString;

    private WolverineHost(IHost host, string connectionString, string schema)
    {
        _host = host;
        _connectionString = connectionString;
        Schema = schema;
        Runtime = host.Services.GetRequiredService<IWolverineRuntime>();
    }

    public string Schema { get; }

    public IWolverineRuntime Runtime { get; }

    /// <summary>Builds and starts the host; its message storage (the schema and tables) exists when this returns.</summary>
    public static async Task<WolverineHost> StartAsync(string connectionString, string schema, HandledCounter counter)
    {
        // No console or debug logger (Herald's side has none either): DisableDefaults leaves logging with no provider.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(counter);
        builder.UseWolverine(opts =>
        {
            // The inbox, outbox and node tables in PostgreSQL, in this host's own schema.
            opts.PersistMessagesWithPostgresql(connectionString, schema);
            // Every local queue is durable: a publish stores the envelope in the inbox table before it is handled.
            opts.Policies.UseDurableLocalQueues();
            // One process: no leader election or agent assignment between nodes (the docs' advice for one node).
            opts.Durability.Mode = DurabilityMode.Solo;
            // Build the schema at startup, before the first publish (not lazily while the benchmark publishes).
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            // Wolverine 6 compiles the handler's adaptor with Roslyn (WolverineFx.RuntimeCompilation) on first use; the
            // setup handles one message first, so the compilation is never inside a measurement.
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            // Only this handler: no scan of the assembly.
            opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(WolverineOrderHandler));
            // The orders go to one named local queue (durable, by the policy above), so PauseListenerAsync can find it.
            opts.PublishMessage<OrderPlaced>().ToLocalQueue(QueueName);
            // Wolverine's best figure here, not its default (5 handlers at once): 64, as many as the publishers. In the
            // end-to-end row (3 iterations, 2026-12-01) 5 gave 1,782 events/s, 20 gave 3,280/s and 64 gave 3,697/s;
            // the ack row 2,630, 6,424 and 7,236/s.
            opts.LocalQueue(QueueName).MaximumParallelMessages(MaximumParallelMessages);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new WolverineHost(host, connectionString, schema);
    }

    /// <summary>Handlers the orders' local queue runs at once.</summary>
    public const int MaximumParallelMessages = 64;

    /// <summary>The local queue the orders are published to.</summary>
    public const string QueueName = "orders";

    /// <summary>
    /// Pauses the orders' local queue (Wolverine's <c>IListenerCircuit.PauseAsync</c>, what its pause-on-error rule
    /// does): while it is paused, a publish stores the envelope for any node to recover and does not hand it to the
    /// handler, so a publish is the inbox INSERT alone.
    /// </summary>
    public async Task PauseListenerAsync()
    {
        var circuit = Runtime.Endpoints.AgentForLocalQueue(QueueName) as IListenerCircuit
                      ?? throw new InvalidOperationException($"The local queue '{QueueName}' is not a listener circuit in this Wolverine version.");
        await circuit.PauseAsync(TimeSpan.FromHours(1));
    }

    /// <summary>A bus of its own for one publisher (as each request of an app gets its scoped <see cref="IMessageBus"/>).</summary>
    public IMessageBus NewBus() => new MessageBus(Runtime);

    /// <summary>
    /// The envelopes in the inbox table: all of them, those marked handled, and those not handled and owned by no node
    /// (which only the durability agent's polling would deliver: the rows measured here should have none).
    /// </summary>
    public async Task<InboxCounts> CountAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"SELECT count(*), count(*) FILTER (WHERE status = 'Handled'), count(*) FILTER (WHERE status <> 'Handled' AND owner_id = 0) " +
            $"FROM \"{Schema}\".wolverine_incoming_envelopes",
            connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new InboxCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Stops the host (its listeners drain what they hold); the schema stays for the caller to check and drop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>Rows of Wolverine's inbox table.</summary>
internal readonly record struct InboxCounts(long Stored, long Handled, long WaitingForRecovery)
{
    public override string ToString() => $"{Stored} stored, {Handled} marked handled, {WaitingForRecovery} unhandled and owned by no node";
}
