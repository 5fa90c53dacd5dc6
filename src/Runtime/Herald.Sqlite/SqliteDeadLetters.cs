using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite;

/// <summary>The dead letters of a <see cref="SqliteEventLog"/>, in <c>herald_dead_letters</c>, addressed by id.</summary>
internal sealed class SqliteDeadLetters(LogFile file) : IDeadLetterStore
{
    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<DeadLetter>>((connection, transaction) =>
        {
            var command = connection.Command(Sql.ListDeadLetters, transaction);
            Filter(command, query);
            command.Parameters.AddWithValue("$after", query.AfterId);
            command.Parameters.AddWithValue("$max", query.MaxCount);
            var letters = new List<DeadLetter>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
                letters.Add(ReadLetter(reader));
            return letters;
        }));
    }

    public ValueTask<long> CountAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read((connection, transaction) =>
        {
            var command = connection.Command(Sql.CountDeadLetters, transaction);
            Filter(command, query);
            return (long)command.ExecuteScalar()!;
        }));
    }

    public ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read((connection, transaction) =>
        {
            var command = connection.Command(Sql.GetDeadLetter, transaction);
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadLetter(reader) : null;
        }));
    }

    public async ValueTask<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await file.WriteAsync((connection, transaction) =>
        {
            var command = connection.Command(Sql.DeleteDeadLetter, transaction);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Removes a few thousand letters per transaction, so other writers are not held up.</remarks>
    public async ValueTask<long> PurgeAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var removed = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = await file.WriteAsync((connection, transaction) =>
            {
                var command = connection.Command(Sql.PurgeDeadLetters, transaction);
                Filter(command, query);
                return command.ExecuteNonQuery();
            }, cancellationToken).ConfigureAwait(false);
            removed += chunk;
            if (chunk == 0)
                return removed;
        }
    }

    /// <summary>Stores <paramref name="letter"/> in <paramref name="transaction"/> (a consumer's commit) and returns its id.</summary>
    internal static long Add(LogConnection connection, SqliteTransaction transaction, DeadLetter letter)
    {
        var envelope = letter.Envelope;
        var add = connection.Command(Sql.AddDeadLetter, transaction);
        var parameters = add.Parameters;
        parameters.AddWithValue("$consumer", (object?)letter.Consumer ?? DBNull.Value);
        parameters.AddWithValue("$partition", envelope.Partition);
        parameters.AddWithValue("$position", envelope.Position);
        parameters.AddWithValue("$id", EventIds.ToBytes(envelope.Id));
        parameters.AddWithValue("$type", envelope.Type);
        parameters.AddWithValue("$version", envelope.Version);
        parameters.AddWithValue("$occurred_at", StoredTime.ToStored(envelope.OccurredAt));
        parameters.AddWithValue("$partition_key", (object?)envelope.PartitionKey ?? DBNull.Value);
        parameters.AddWithValue("$headers", envelope.Headers.Count == 0 ? DBNull.Value : HeadersJson.ToText(envelope.Headers));
        parameters.AddWithValue("$payload", envelope.Payload.ToArray());
        parameters.AddWithValue("$reason", letter.Reason);
        parameters.AddWithValue("$exception", (object?)letter.Exception ?? DBNull.Value);
        parameters.AddWithValue("$attempts", letter.Attempts);
        parameters.AddWithValue("$at", StoredTime.ToStored(letter.DeadLetteredAt));
        return (long)add.ExecuteScalar()!;
    }

    private static void Filter(SqliteCommand command, DeadLetterQuery query)
    {
        command.Parameters.AddWithValue("$consumer", (object?)query.Consumer ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)query.Type ?? DBNull.Value);
    }

    private static DeadLetter ReadLetter(SqliteDataReader reader)
    {
        var deadLetteredAt = reader.IsDBNull(5) || !StoredTime.TryRead(reader.GetInt64(5), out var at) ? DateTimeOffset.UnixEpoch : at;
        return new DeadLetter(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            EnvelopeRow.Read(reader, Sql.DeadLetterEnvelopeOrdinal),
            reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? 0 : reader.GetInt32(4),
            deadLetteredAt);
    }
}
