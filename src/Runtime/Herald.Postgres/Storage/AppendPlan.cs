using System.Globalization;
using System.Runtime.InteropServices;
using Herald.Durable;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Postgres.Storage;

/// <summary>
/// One batch as the append statements take it: a column array per field (sent as binary arrays and unnested by the
/// server, so a batch of any size is one INSERT), each envelope's partition, its rank within its partition in the
/// batch, and each partition's count. The positions follow from the partitions' new last positions, which the
/// reservation returns: position = last - count + rank.
/// </summary>
internal sealed class AppendPlan
{
    private readonly int[] _partitionOf;
    private readonly long[] _rank;
    private readonly long[] _countOf;
    private readonly long[] _perPartition;

    private AppendPlan(IReadOnlyList<EventEnvelope> batch, int partitions)
    {
        var count = batch.Count;
        _partitionOf = new int[count];
        _rank = new long[count];
        _countOf = new long[count];
        _perPartition = new long[partitions];
        var ids = new Guid[count];
        var types = new string[count];
        var versions = new int[count];
        var times = new DateTime[count];
        var keys = new string?[count];
        var headers = new string?[count];
        var payloads = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var envelope = batch[i] ?? throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
            var partition = Partitioning.PartitionOf(envelope, partitions);
            _partitionOf[i] = partition;
            _rank[i] = ++_perPartition[partition];
            ids[i] = envelope.Id;
            types[i] = envelope.Type;
            versions[i] = envelope.Version;
            times[i] = envelope.OccurredAt.UtcDateTime;
            keys[i] = envelope.PartitionKey;
            headers[i] = HeadersJson.ToText(envelope.Headers);
            payloads[i] = Bytes(envelope.Payload);
        }
        for (var i = 0; i < count; i++)
            _countOf[i] = _perPartition[_partitionOf[i]];
        Touched = [.. Enumerable.Range(0, partitions).Where(p => _perPartition[p] > 0)];
        TouchedCounts = [.. Touched.Select(p => _perPartition[p])];
        Ids = ids;
        Types = types;
        Versions = versions;
        Times = times;
        Keys = keys;
        Headers = headers;
        Payloads = payloads;
        NotifyPayload = string.Join(",", Touched.Select(p => p.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The partitions the batch writes to, ascending.</summary>
    public int[] Touched { get; }

    private long[] TouchedCounts { get; }

    private Guid[] Ids { get; }

    private string[] Types { get; }

    private int[] Versions { get; }

    private DateTime[] Times { get; }

    private string?[] Keys { get; }

    private string?[] Headers { get; }

    private byte[][] Payloads { get; }

    /// <summary>The notification's payload: the partitions appended to, for example <c>0,3,5</c>.</summary>
    public string NotifyPayload { get; }

    public static AppendPlan Create(IReadOnlyList<EventEnvelope> batch, int partitions) => new(batch, partitions);

    /// <summary>
    /// The statements of the append: lock the partitions' rows in order, reserve the positions, insert the rows, and
    /// notify (delivered at commit). Without <paramref name="transaction"/> the batch runs as one implicit transaction
    /// (one round trip: every statement or none).
    /// </summary>
    public NpgsqlBatch CreateBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction, Sql sql, bool notify)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        var lockRows = new NpgsqlBatchCommand(sql.LockPartitions);
        lockRows.Parameters.Add(new NpgsqlParameter { Value = Touched });
        batch.BatchCommands.Add(lockRows);
        var reserve = new NpgsqlBatchCommand(sql.ReservePositions);
        reserve.Parameters.Add(new NpgsqlParameter { Value = Touched });
        reserve.Parameters.Add(new NpgsqlParameter { Value = TouchedCounts });
        batch.BatchCommands.Add(reserve);
        var insert = new NpgsqlBatchCommand(sql.InsertEvents);
        insert.Parameters.Add(new NpgsqlParameter { Value = _partitionOf });
        insert.Parameters.Add(new NpgsqlParameter { Value = _rank });
        insert.Parameters.Add(new NpgsqlParameter { Value = _countOf });
        insert.Parameters.Add(new NpgsqlParameter { Value = Ids });
        insert.Parameters.Add(new NpgsqlParameter { Value = Types });
        insert.Parameters.Add(new NpgsqlParameter { Value = Versions });
        insert.Parameters.Add(new NpgsqlParameter { Value = Times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = Keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = Headers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new NpgsqlParameter { Value = Payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        batch.BatchCommands.Add(insert);
        if (notify)
        {
            var notice = new NpgsqlBatchCommand(sql.Notify);
            notice.Parameters.Add(new NpgsqlParameter { Value = sql.Channel });
            notice.Parameters.Add(new NpgsqlParameter { Value = NotifyPayload });
            batch.BatchCommands.Add(notice);
        }
        return batch;
    }

    /// <summary>
    /// Runs the batch and returns where each envelope went, in batch order. With <paramref name="prepare"/> the
    /// statements are prepared first: on a physical connection that prepared them before, that costs nothing (Npgsql
    /// keeps them per connection); on a new one, one round trip, once. Used on the app's connections (the outbox), which
    /// the log's auto-preparing pool does not cover.
    /// </summary>
    public async ValueTask<IReadOnlyList<LogPosition>> ExecuteAsync(NpgsqlBatch batch, bool prepare, CancellationToken cancellationToken)
    {
        var last = new long[_perPartition.Length];
        var reserved = 0;
        if (prepare)
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // The lock's rows, then the reservation's: (partition, new last position); then the insert and the notify.
            if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException("The append returned no reservation.");
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                last[reader.GetInt32(0)] = reader.GetInt64(1);
                reserved++;
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        if (reserved != Touched.Length)
            throw new InvalidOperationException(
                $"The log's partition table lacks a row for one of partitions {NotifyPayload}; the schema was changed by hand.");
        var positions = new LogPosition[_partitionOf.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            var partition = _partitionOf[i];
            positions[i] = new LogPosition(partition, last[partition] - _perPartition[partition] + _rank[i]);
        }
        return positions;
    }

    private static byte[] Bytes(ReadOnlyMemory<byte> payload)
        => MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();
}
