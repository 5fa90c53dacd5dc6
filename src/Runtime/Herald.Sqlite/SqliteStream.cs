using Herald.Durable;
using Herald.Sqlite.Storage;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite;

/// <summary>
/// The events of a <see cref="SqliteEventLog"/>. Appends go through the log's one writer connection
/// (<see cref="EventAppender"/>); a read of a partition runs in one read transaction, so the envelopes and the
/// partition's bounds come from one snapshot (WAL readers never block the writer).
/// </summary>
internal sealed class SqliteStream(LogFile file, EventAppender appender) : ITransactionalStream
{
    private readonly Action _ensureFileExists = file.EnsureFileExists;

    public int Partitions => file.Partitions;

    public ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        file.ThrowIfDisposed();
        return appender.AppendAsync(batch, _ensureFileExists, cancellationToken);
    }

    /// <inheritdoc />
    public void CheckTransaction(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction is not SqliteTransaction { Connection: { } connection })
            throw new ArgumentException(
                $"The transaction is a {transaction.GetType().Name}{(transaction.Connection is null ? " that already ended" : string.Empty)}; the SQLite log " +
                "can only append in an open SqliteTransaction (Microsoft.Data.Sqlite) on its own database file.", nameof(transaction));
        var path = raw.sqlite3_db_filename(connection.Handle, "main").utf8_to_string();
        if (string.IsNullOrEmpty(path) || !string.Equals(Path.GetFullPath(path), file.Database.Path, StringComparison.Ordinal))
            throw new ArgumentException(
                $"The transaction is on the database '{(string.IsNullOrEmpty(path) ? connection.DataSource : path)}', but the durable log is in " +
                $"'{file.Database.Path}'. An event and the app's data commit together only in one database: open the app's connection " +
                "on the log's file, or point the log (Herald:Sqlite:ConnectionString) at the app's database.", nameof(transaction));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows and the partitions' new last positions are written with the app's connection, in its transaction; a
    /// consumer in this process sees them at its next poll after the commit (SQLite has no notification across
    /// connections).
    /// </remarks>
    public ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        file.ThrowIfDisposed();
        CheckTransaction(transaction);
        cancellationToken.ThrowIfCancellationRequested();
        var sqlite = (SqliteTransaction)transaction;
        var connection = sqlite.Connection!;
        var last = new long[file.Partitions];
        using (var read = connection.CreateCommand())
        {
            read.Transaction = sqlite;
            read.CommandText = Sql.LastPositions;
            using var reader = read.ExecuteReader();
            while (reader.Read())
                last[reader.GetInt32(0)] = reader.GetInt64(1);
        }
        var positions = new LogPosition[batch.Count];
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = sqlite;
            insert.CommandText = Sql.InsertEvent;
            for (var i = 0; i < batch.Count; i++)
            {
                var envelope = batch[i] ?? throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
                var partition = Partitioning.PartitionOf(envelope, file.Partitions);
                positions[i] = new LogPosition(partition, ++last[partition]);
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$partition", partition);
                insert.Parameters.AddWithValue("$position", positions[i].Position);
                insert.Parameters.AddWithValue("$id", EventIds.ToBytes(envelope.Id));
                insert.Parameters.AddWithValue("$type", envelope.Type);
                insert.Parameters.AddWithValue("$version", envelope.Version);
                insert.Parameters.AddWithValue("$occurred_at", StoredTime.ToStored(envelope.OccurredAt));
                insert.Parameters.AddWithValue("$partition_key", (object?)envelope.PartitionKey ?? DBNull.Value);
                insert.Parameters.AddWithValue("$headers", envelope.Headers.Count == 0 ? DBNull.Value : HeadersJson.ToText(envelope.Headers));
                insert.Parameters.AddWithValue("$payload", envelope.Payload.ToArray());
                insert.ExecuteNonQuery();
            }
        }
        using (var update = connection.CreateCommand())
        {
            update.Transaction = sqlite;
            update.CommandText = Sql.SetLastPosition;
            foreach (var partition in positions.Select(p => p.Partition).Distinct())
            {
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$partition", partition);
                update.Parameters.AddWithValue("$position", last[partition]);
                update.ExecuteNonQuery();
            }
        }
        file.EnsureFileExists();
        return ValueTask.FromResult<IReadOnlyList<LogPosition>>(positions);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With types, one statement per type on the <c>(partition, type, position)</c> index, each limited to
    /// <paramref name="maxCount"/>, merged by position: every event of those types up to the last one kept is among
    /// them, so the page is exact; the cost is that of the consumer's own events, not of the log.
    /// </remarks>
    public ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        file.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read((connection, transaction) =>
        {
            var bounds = ReadBounds(connection, transaction, partition);
            var envelopes = new List<EventEnvelope>(Math.Min(maxCount, 256));
            if (types is null)
            {
                ReadInto(envelopes, connection.Command(Sql.ReadPartition, transaction), partition, afterPosition, maxCount, null);
            }
            else
            {
                var typeCount = 0;
                foreach (var type in types.Distinct(StringComparer.Ordinal))
                {
                    ReadInto(envelopes, connection.Command(Sql.ReadPartitionType, transaction), partition, afterPosition, maxCount, type);
                    typeCount++;
                }
                if (typeCount > 1)
                {
                    envelopes.Sort(static (a, b) => a.Position.CompareTo(b.Position));
                    if (envelopes.Count > maxCount)
                        envelopes.RemoveRange(maxCount, envelopes.Count - maxCount);
                }
            }
            var scannedTo = envelopes.Count >= maxCount ? envelopes[^1].Position : bounds.Last;
            return new EventPage(envelopes, bounds, scannedTo);
        }));
    }

    public ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<PartitionBounds>>((connection, transaction) =>
        {
            var bounds = new List<PartitionBounds>(file.Partitions);
            using var reader = connection.Command(Sql.AllBounds, transaction).ExecuteReader();
            while (reader.Read())
            {
                var last = reader.GetInt64(2);
                bounds.Add(new PartitionBounds(reader.GetInt32(0), reader.IsDBNull(1) ? last + 1 : reader.GetInt64(1), last));
            }
            return bounds;
        }));
    }

    /// <inheritdoc />
    /// <remarks>Compares with the stored time, which is in whole milliseconds.</remarks>
    public ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken)
    {
        file.CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read((connection, transaction) =>
        {
            var find = connection.Command(Sql.FirstAtOrAfter, transaction);
            find.Parameters.AddWithValue("$partition", partition);
            find.Parameters.AddWithValue("$time", StoredTime.AtOrAfter(time));
            if (find.ExecuteScalar() is long position)
                return position - 1;
            var last = connection.Command(Sql.LastPosition, transaction);
            last.Parameters.AddWithValue("$partition", partition);
            return last.ExecuteScalar() is long lastPosition ? lastPosition : 0;
        }));
    }

    private static PartitionBounds ReadBounds(LogConnection connection, SqliteTransaction transaction, int partition)
    {
        var command = connection.Command(Sql.PartitionBounds, transaction);
        command.Parameters.AddWithValue("$partition", partition);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            throw new InvalidOperationException($"The log's partition table has no row for partition {partition}; the database was changed by hand.");
        var last = reader.GetInt64(1);
        return new PartitionBounds(partition, reader.IsDBNull(0) ? last + 1 : reader.GetInt64(0), last);
    }

    private static void ReadInto(List<EventEnvelope> envelopes, SqliteCommand command, int partition, long afterPosition, int maxCount, string? type)
    {
        command.Parameters.AddWithValue("$partition", partition);
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$max", maxCount);
        if (type is not null)
            command.Parameters.AddWithValue("$type", type);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            envelopes.Add(EnvelopeRow.Read(reader, 0));
    }
}
