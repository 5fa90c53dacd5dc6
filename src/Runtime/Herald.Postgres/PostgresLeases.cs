using Herald.Durable;
using Herald.Postgres.Storage;
using Npgsql;

namespace Herald.Postgres;

/// <summary>
/// Consumer group members and partition leases of a <see cref="PostgresEventLog"/>, in <c>members</c> and
/// <c>leases</c>. Taking a lease is one upsert whose condition is the contract's (nobody holds it at the caller's time,
/// or the caller does), so two members racing for a partition are ordered by the row lock and exactly one gets it. Times
/// are the caller's, stored as <c>timestamptz</c>.
/// </summary>
internal sealed class PostgresLeases(PostgresDatabase database) : ILeaseStore
{
    public async ValueTask<IReadOnlyList<GroupMember>> HeartbeatAsync(string consumer, string member, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Check(consumer, member, timeToLive);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One implicit transaction: the heartbeat, forgetting the expired, and the live members.
        await using var batch = new NpgsqlBatch(connection);
        var heartbeat = new NpgsqlBatchCommand(database.Sql.Heartbeat);
        heartbeat.Parameters.Add(new NpgsqlParameter { Value = consumer });
        heartbeat.Parameters.Add(new NpgsqlParameter { Value = member });
        heartbeat.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now + timeToLive) });
        batch.BatchCommands.Add(heartbeat);
        var forget = new NpgsqlBatchCommand(database.Sql.ForgetMembers);
        forget.Parameters.Add(new NpgsqlParameter { Value = consumer });
        forget.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now) });
        batch.BatchCommands.Add(forget);
        batch.BatchCommands.Add(LiveMembersCommand(consumer, now));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMembersAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask LeaveAsync(string consumer, string member, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var leave = new NpgsqlCommand(database.Sql.Leave, connection);
        leave.Parameters.Add(new NpgsqlParameter { Value = consumer });
        leave.Parameters.Add(new NpgsqlParameter { Value = member });
        await leave.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string consumer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(LiveMembersCommand(consumer, now));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMembersAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Lease>> GetLeasesAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.GetLeases, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        var leases = new List<Lease>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new Lease(consumer, reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                StoredTime.Read(reader.GetDateTime(2)), reader.GetInt64(3)));
        }
        return leases;
    }

    public async ValueTask<LeaseToken?> TryAcquireAsync(string consumer, int partition, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        database.CheckPartition(partition);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var acquire = new NpgsqlCommand(database.Sql.AcquireLease, connection);
        acquire.Parameters.Add(new NpgsqlParameter { Value = consumer });
        acquire.Parameters.Add(new NpgsqlParameter { Value = partition });
        acquire.Parameters.Add(new NpgsqlParameter { Value = owner });
        acquire.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now) });
        acquire.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now + duration) });
        return await acquire.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long epoch
            ? new LeaseToken(consumer, partition, owner, epoch)
            : null;
    }

    public async ValueTask<IReadOnlyList<LeaseToken>> RenewAsync(string consumer, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var renew = new NpgsqlCommand(database.Sql.RenewLeases, connection);
        renew.Parameters.Add(new NpgsqlParameter { Value = consumer });
        renew.Parameters.Add(new NpgsqlParameter { Value = owner });
        renew.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now + duration) });
        var renewed = new List<LeaseToken>();
        await using (var reader = await renew.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                renewed.Add(new LeaseToken(consumer, reader.GetInt32(0), owner, reader.GetInt64(1)));
        }
        renewed.Sort(static (a, b) => a.Partition.CompareTo(b.Partition));
        return renewed;
    }

    public async ValueTask<bool> ReleaseAsync(LeaseToken lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var release = new NpgsqlCommand(database.Sql.ReleaseLease, connection);
        release.Parameters.Add(new NpgsqlParameter { Value = lease.Consumer });
        release.Parameters.Add(new NpgsqlParameter { Value = lease.Partition });
        release.Parameters.Add(new NpgsqlParameter { Value = lease.Owner });
        release.Parameters.Add(new NpgsqlParameter { Value = lease.Epoch });
        return await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private NpgsqlBatchCommand LiveMembersCommand(string consumer, DateTimeOffset now)
    {
        var live = new NpgsqlBatchCommand(database.Sql.LiveMembers);
        live.Parameters.Add(new NpgsqlParameter { Value = consumer });
        live.Parameters.Add(new NpgsqlParameter { Value = StoredTime.ToStored(now) });
        return live;
    }

    private static async ValueTask<List<GroupMember>> ReadMembersAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        // The live members are the batch's last result.
        while (reader.FieldCount != 2 || reader.GetName(0) != "member")
        {
            if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                return [];
        }
        var members = new List<GroupMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            members.Add(new GroupMember(reader.GetString(0), StoredTime.Read(reader.GetDateTime(1))));
        // The database's collation may not be ordinal (and ordinal UTF-16 order is the contract's).
        members.Sort(static (a, b) => string.CompareOrdinal(a.Member, b.Member));
        return members;
    }

    private static void Check(string consumer, string member, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        if (duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease or heartbeat lasts a positive time.");
    }
}
