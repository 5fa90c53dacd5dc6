using Herald.Durable;
using Herald.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Postgres;

/// <summary>The dead letters of a <see cref="PostgresEventLog"/>, in <c>dead_letters</c>, addressed by id.</summary>
internal sealed class PostgresDeadLetters(PostgresDatabase database) : IDeadLetterStore
{
    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.ListDeadLetters, connection);
        Filter(command, query);
        command.Parameters.Add(new NpgsqlParameter { Value = query.AfterId });
        command.Parameters.Add(new NpgsqlParameter { Value = query.MaxCount });
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            letters.Add(ReadLetter(reader));
        return letters;
    }

    public async ValueTask<long> CountAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.CountDeadLetters, connection);
        Filter(command, query);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.GetDeadLetter, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLetter(reader) : null;
    }

    public async ValueTask<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.DeleteDeadLetter, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    /// <remarks>Removes a few thousand letters per statement, so no statement holds locks on many rows for long.</remarks>
    public async ValueTask<long> PurgeAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var removed = 0L;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var command = new NpgsqlCommand(database.Sql.PurgeDeadLetters, connection);
            Filter(command, query);
            var chunk = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            removed += chunk;
            if (chunk == 0)
                return removed;
        }
    }

    /// <summary>The statement that stores <paramref name="letter"/> (in a consumer's commit).</summary>
    internal static NpgsqlBatchCommand AddCommand(Sql sql, DeadLetter letter)
    {
        var envelope = letter.Envelope;
        var add = new NpgsqlBatchCommand(sql.AddDeadLetter);
        var parameters = add.Parameters;
        parameters.Add(new NpgsqlParameter { Value = (object?)letter.Consumer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = envelope.Partition });
        parameters.Add(new NpgsqlParameter { Value = envelope.Position });
        parameters.Add(new NpgsqlParameter { Value = envelope.Id });
        parameters.Add(new NpgsqlParameter { Value = envelope.Type });
        parameters.Add(new NpgsqlParameter { Value = envelope.Version });
        parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(envelope.OccurredAt) });
        parameters.Add(new NpgsqlParameter { Value = (object?)envelope.PartitionKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)HeadersJson.ToText(envelope.Headers) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = envelope.Payload.ToArray() });
        parameters.Add(new NpgsqlParameter { Value = letter.Reason });
        parameters.Add(new NpgsqlParameter { Value = (object?)letter.Exception ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = letter.Attempts });
        parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(letter.DeadLetteredAt) });
        return add;
    }

    private static void Filter(NpgsqlCommand command, DeadLetterQuery query)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Consumer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }

    private static DeadLetter ReadLetter(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        EnvelopeRow.Read(reader, 6),
        reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? 0 : reader.GetInt32(4),
        reader.IsDBNull(5) ? DateTimeOffset.UnixEpoch : StoredTime.Read(reader.GetDateTime(5)));
}
