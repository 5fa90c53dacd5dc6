using System.Data.Common;
using Herald.Durable;
using Herald.Postgres.Storage;
using Npgsql;

namespace Herald.Postgres;

/// <summary>
/// The events of a <see cref="PostgresEventLog"/>: appends by the log writer and by the app's own transactions (the
/// outbox), reads of one partition in one snapshot.
/// </summary>
/// <remarks>
/// <para><b>Why reads never skip an event (the sequence-gap problem).</b> A position taken from a sequence at insert
/// becomes visible at commit, and transactions commit in any order: a reader that saw position 7 committed while 6
/// was still open would move its offset past 6 and never read it. Here positions are not taken from a sequence: an
/// append locks the <c>partitions</c> rows of the partitions it writes to (in partition order, so two appenders never
/// wait for each other in a cycle), takes the next positions from them, and holds those row locks until its
/// transaction ends. A second append to the same partition waits for the first to commit or roll back before it can
/// take a position, so within a partition positions become visible strictly in position order: whatever a reader's
/// snapshot holds of a partition is a prefix, and a rolled-back append gives its positions back (no gap). PostgreSQL
/// makes a transaction visible before it releases its locks, so the waiting append's own commit is always seen after
/// the first one's. The other choice, an <c>xid8</c> snapshot fence (readers stop below the oldest transaction still
/// in progress), keeps appends to one partition concurrent but leaves gaps, needs a reader to know about every open
/// transaction of the database, and stalls every consumer behind one long transaction of any app; the row lock costs
/// only appenders of the same partition, for the length of their own transaction.</para>
/// <para><b>What that asks of the outbox.</b> An app transaction that publishes (<c>bus.Enlist</c>) holds the lock of the
/// event's partition from the publish to its commit: other publishers to that partition, including this process's log
/// writer, wait for it. Publish last, just before the commit, and keep the transaction short. Two transactions that
/// publish to two partitions in opposite orders can deadlock; PostgreSQL then aborts one of them
/// (<c>40P01</c>), which the app retries like any deadlock.</para>
/// <para><b>One round trip.</b> The log writer's append is one batch of statements (lock, reserve, insert, notify) that
/// PostgreSQL runs as one implicit transaction: every envelope or none. While the server cannot be reached it retries
/// on a new connection for <see cref="PostgresOptions.ReconnectTimeout"/>. A connection lost during the commit leaves
/// the outcome unknown: the retry may then append the batch a second time, with the same ids; every consumer's inbox
/// reports such a copy as already handled, so it is not handled twice.</para>
/// </remarks>
internal sealed class PostgresStream(PostgresDatabase database) : ITransactionalStream
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private (string Database, int Port, uint Schema)? _identity;

    // Other spellings of the log's server (host, port, database as the app's connections name them) that were asked
    // once and found to be the log's database: a publish through such a connection is then checked without a round
    // trip. Only confirmations are kept, and only a few (an app has one or two spellings, not many).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Host, int Port, string Database), bool> _confirmed = new();
    private const int MaxConfirmedSpellings = 16;

    public int Partitions => database.Partitions;

    /// <summary>Called with the backend process id of each connection the log writer appends on (its own notifications).</summary>
    internal Action<int>? AppendedOn { get; set; }

    public async ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        database.ThrowIfDisposed();
        if (batch.Count == 0)
            return [];
        var plan = AppendPlan.Create(batch, database.Partitions);
        var deadline = DateTime.UtcNow + database.Options.ReconnectTimeout;
        var delay = FirstRetryDelay;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                AppendedOn?.Invoke(connection.ProcessID);
                await using var statements = plan.CreateBatch(connection, null, database.Sql, notify: true);
                return await plan.ExecuteAsync(statements, prepare: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (PostgresDatabase.IsConnectionFailure(exception) && DateTime.UtcNow + delay < deadline
                                              && !cancellationToken.IsCancellationRequested && !database.IsDisposed)
            {
                // The server restarted or dropped the connection: the pool's other connections are likely dead too.
                database.DataSource.Clear();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
        }
    }

    /// <inheritdoc />
    public void CheckTransaction(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction is not NpgsqlTransaction { Connection: { } connection })
            throw new ArgumentException(
                $"The transaction is a {transaction.GetType().Name}{(transaction.Connection is null ? " that already ended" : string.Empty)}; the PostgreSQL log " +
                "can only append in an open NpgsqlTransaction on its own database.", nameof(transaction));
        try
        {
            // Npgsql keeps a committed or rolled-back transaction's connection until it is disposed; its isolation level
            // is refused once it has completed, without a round trip.
            _ = transaction.IsolationLevel;
        }
        catch (InvalidOperationException exception)
        {
            throw new ArgumentException(
                "The transaction is already committed or rolled back: enlist an open transaction, and publish before you commit.", nameof(transaction), exception);
        }
        var log = database.Builder;
        if (string.Equals(connection.Host, log.Host, StringComparison.OrdinalIgnoreCase) && connection.Port == log.Port
            && string.Equals(connection.Database, log.Database ?? log.Username, StringComparison.Ordinal))
            return;
        // Another spelling of the server (localhost and 127.0.0.1, a DNS alias): ask both connections where they are, once
        // per spelling (Enlist checks, and so does the append that follows: without this, each would be a round trip).
        var spelling = (connection.Host?.ToUpperInvariant() ?? string.Empty, connection.Port, connection.Database ?? string.Empty);
        if (_confirmed.ContainsKey(spelling))
            return;
        string? problem = null;
        try
        {
            var theirs = Identify(connection, (NpgsqlTransaction)transaction);
            _identity ??= IdentifyLog();
            if (theirs != _identity)
                problem = $"The transaction is on the database '{theirs.Database}' (port {theirs.Port}), but the durable log is in {database.Where}";
            else if (_confirmed.Count < MaxConfirmedSpellings)
                _confirmed.TryAdd(spelling, true);
        }
        catch (PostgresException exception)
        {
            throw new ArgumentException(
                $"The transaction cannot be checked ({exception.SqlState}: {exception.MessageText}); enlist an open transaction that has not failed.",
                nameof(transaction), exception);
        }
        if (problem is not null)
            throw new ArgumentException(
                $"{problem}. An event and the app's data commit together only in one database: open the app's connection on the log's " +
                "database, or point the log (Herald:Postgres:ConnectionString) at the app's database.", nameof(transaction));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows, the partitions' new last positions and the notification are written with the app's connection, in its
    /// transaction: consumers see the events, and other processes are notified, if and only if it commits. The lock on
    /// each event's partition is held until then (see the type's remarks).
    /// </remarks>
    public async ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        database.ThrowIfDisposed();
        CheckTransaction(transaction);
        if (batch.Count == 0)
            return [];
        var npgsql = (NpgsqlTransaction)transaction;
        var plan = AppendPlan.Create(batch, database.Partitions);
        await using var statements = plan.CreateBatch(npgsql.Connection!, npgsql, database.Sql, notify: database.Options.Notifications);
        return await plan.ExecuteAsync(statements, database.Options.PrepareStatements, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One statement, so the envelopes and the bounds are of one snapshot.</remarks>
    public async ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
        => (await ReadAsync(partition, afterPosition, maxCount, types, lease: null, cancellationToken).ConfigureAwait(false)).Page;

    /// <summary>
    /// The read of <see cref="PostgresEventLog.ReadForConsumerAsync"/>: the page, the inbox marks of its envelopes and
    /// the lease, in one statement (one round trip, one snapshot).
    /// </summary>
    internal async ValueTask<ConsumerPage> ReadForConsumerAsync(LeaseToken lease, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var (page, handled, leaseLost) = await ReadAsync(lease.Partition, afterPosition, maxCount, types, lease, cancellationToken).ConfigureAwait(false);
        return new ConsumerPage(lease, page, handled, leaseLost);
    }

    private async ValueTask<(EventPage Page, HashSet<Guid> Handled, bool LeaseLost)> ReadAsync(
        int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, LeaseToken? lease, CancellationToken cancellationToken)
    {
        database.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        string[]? distinct = types is null ? null : [.. types.Distinct(StringComparer.Ordinal)];
        var sql = (distinct is null, lease is null) switch
        {
            (true, true) => database.Sql.ReadPartition,
            (false, true) => database.Sql.ReadPartitionTypes,
            (true, false) => database.Sql.ReadForConsumer,
            (false, false) => database.Sql.ReadForConsumerTypes,
        };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand(sql, connection);
        read.Parameters.Add(new NpgsqlParameter { Value = partition });
        read.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
        read.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        if (distinct is not null)
            read.Parameters.Add(new NpgsqlParameter { Value = distinct });
        if (lease is not null)
            read.Parameters.Add(new NpgsqlParameter { Value = lease.Consumer });
        var envelopes = new List<EventEnvelope>(Math.Min(maxCount, 256));
        var handled = new HashSet<Guid>();
        PartitionBounds? bounds = null;
        var leaseLost = false;
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (bounds is null)
                {
                    var last = reader.GetInt64(1);
                    bounds = new PartitionBounds(partition, reader.IsDBNull(0) ? last + 1 : reader.GetInt64(0), last);
                    if (lease is not null)
                    {
                        // Columns 12 and 13: the lease's owner and epoch (both null when the partition was never taken).
                        leaseLost = reader.IsDBNull(12) || reader.GetString(12) != lease.Owner || reader.IsDBNull(13) || reader.GetInt64(13) != lease.Epoch;
                    }
                }
                if (reader.IsDBNull(3))
                    continue;
                var envelope = EnvelopeRow.Read(reader, 2);
                envelopes.Add(envelope);
                if (lease is not null && reader.GetBoolean(11))
                    handled.Add(envelope.Id);
            }
        }
        if (bounds is not { } found)
            throw new InvalidOperationException($"The log's partition table has no row for partition {partition}; the schema was changed by hand.");
        var scannedTo = envelopes.Count >= maxCount ? envelopes[^1].Position : found.Last;
        return (new EventPage(envelopes, found, scannedTo), handled, leaseLost);
    }

    public async ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand(database.Sql.AllBounds, connection);
        var bounds = new List<PartitionBounds>(database.Partitions);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var last = reader.GetInt64(2);
            bounds.Add(new PartitionBounds(reader.GetInt32(0), reader.IsDBNull(1) ? last + 1 : reader.GetInt64(1), last));
        }
        return bounds;
    }

    /// <inheritdoc />
    /// <remarks>Compares with the stored time, which is in whole microseconds.</remarks>
    public async ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken)
    {
        database.CheckPartition(partition);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var find = new NpgsqlCommand(database.Sql.FirstAtOrAfter, connection))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = partition });
            find.Parameters.Add(new NpgsqlParameter { Value = StoredTime.AtOrAfter(time) });
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position)
                return position - 1;
        }
        await using var last = new NpgsqlCommand(database.Sql.LastPosition, connection);
        last.Parameters.Add(new NpgsqlParameter { Value = partition });
        return await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long lastPosition ? lastPosition : 0;
    }

    private (string Database, int Port, uint Schema) IdentifyLog()
    {
        using var connection = database.DataSource.OpenConnection();
        return Identify(connection, null);
    }

    private (string Database, int Port, uint Schema) Identify(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand(
            "SELECT current_database(), coalesce(inet_server_port(), 0), coalesce((SELECT oid FROM pg_namespace WHERE nspname = $1), 0::oid)",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = database.Schema });
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<uint>(2));
    }
}
