using Herald.Durable;
using Herald.Sqlite.Storage;

namespace Herald.Sqlite;

/// <summary>
/// Consumer group members and partition leases of a <see cref="SqliteEventLog"/>, in <c>herald_members</c> and
/// <c>herald_leases</c>. Every change is a short <c>BEGIN IMMEDIATE</c> transaction, so it is atomic against the other
/// processes that share the file; times are the caller's, stored in Unix milliseconds.
/// </summary>
internal sealed class SqliteLeases(LogFile file) : ILeaseStore
{
    public async ValueTask<IReadOnlyList<GroupMember>> HeartbeatAsync(string consumer, string member, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Check(consumer, member, timeToLive);
        return await file.WriteAsync((connection, transaction) =>
        {
            var heartbeat = connection.Command(Sql.Heartbeat, transaction);
            heartbeat.Parameters.AddWithValue("$consumer", consumer);
            heartbeat.Parameters.AddWithValue("$member", member);
            heartbeat.Parameters.AddWithValue("$expires_at", StoredTime.ToStored(now + timeToLive));
            heartbeat.ExecuteNonQuery();
            var forget = connection.Command(Sql.ForgetMembers, transaction);
            forget.Parameters.AddWithValue("$consumer", consumer);
            forget.Parameters.AddWithValue("$now", StoredTime.ToStored(now));
            forget.ExecuteNonQuery();
            return LiveMembers(connection, transaction, consumer, now);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask LeaveAsync(string consumer, string member, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        await file.WriteAsync((connection, transaction) =>
        {
            var leave = connection.Command(Sql.Leave, transaction);
            leave.Parameters.AddWithValue("$consumer", consumer);
            leave.Parameters.AddWithValue("$member", member);
            return leave.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string consumer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<GroupMember>>((connection, transaction) => LiveMembers(connection, transaction, consumer, now)));
    }

    public ValueTask<IReadOnlyList<Lease>> GetLeasesAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<Lease>>((connection, transaction) =>
        {
            var command = connection.Command(Sql.GetLeases, transaction);
            command.Parameters.AddWithValue("$consumer", consumer);
            var leases = new List<Lease>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                leases.Add(new Lease(consumer, reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    Time(reader.GetInt64(2)), reader.GetInt64(3)));
            }
            return leases;
        }));
    }

    public async ValueTask<LeaseToken?> TryAcquireAsync(string consumer, int partition, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        file.CheckPartition(partition);
        return await file.WriteAsync<LeaseToken?>((connection, transaction) =>
        {
            var get = connection.Command(Sql.GetLease, transaction);
            get.Parameters.AddWithValue("$consumer", consumer);
            get.Parameters.AddWithValue("$partition", partition);
            Lease? current = null;
            using (var reader = get.ExecuteReader())
            {
                if (reader.Read())
                    current = new Lease(consumer, partition, reader.IsDBNull(0) ? null : reader.GetString(0), Time(reader.GetInt64(1)), reader.GetInt64(2));
            }
            if (current is not null && current.IsHeldAt(now) && current.Owner != owner)
                return null;
            var epoch = current is null ? 1 : current.IsHeldAt(now) ? current.Epoch : current.Epoch + 1;
            var put = connection.Command(Sql.PutLease, transaction);
            put.Parameters.AddWithValue("$consumer", consumer);
            put.Parameters.AddWithValue("$partition", partition);
            put.Parameters.AddWithValue("$owner", owner);
            put.Parameters.AddWithValue("$expires_at", StoredTime.ToStored(now + duration));
            put.Parameters.AddWithValue("$epoch", epoch);
            put.ExecuteNonQuery();
            return new LeaseToken(consumer, partition, owner, epoch);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<LeaseToken>> RenewAsync(string consumer, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        return await file.WriteAsync<IReadOnlyList<LeaseToken>>((connection, transaction) =>
        {
            var renew = connection.Command(Sql.RenewLeases, transaction);
            renew.Parameters.AddWithValue("$consumer", consumer);
            renew.Parameters.AddWithValue("$owner", owner);
            renew.Parameters.AddWithValue("$expires_at", StoredTime.ToStored(now + duration));
            var renewed = new List<LeaseToken>();
            using (var reader = renew.ExecuteReader())
            {
                while (reader.Read())
                    renewed.Add(new LeaseToken(consumer, reader.GetInt32(0), owner, reader.GetInt64(1)));
            }
            renewed.Sort(static (a, b) => a.Partition.CompareTo(b.Partition));
            return renewed;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> ReleaseAsync(LeaseToken lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await file.WriteAsync((connection, transaction) =>
        {
            var release = connection.Command(Sql.ReleaseLease, transaction);
            release.Parameters.AddWithValue("$consumer", lease.Consumer);
            release.Parameters.AddWithValue("$partition", lease.Partition);
            release.Parameters.AddWithValue("$owner", lease.Owner);
            release.Parameters.AddWithValue("$epoch", lease.Epoch);
            return release.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static List<GroupMember> LiveMembers(LogConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string consumer, DateTimeOffset now)
    {
        var live = connection.Command(Sql.LiveMembers, transaction);
        live.Parameters.AddWithValue("$consumer", consumer);
        live.Parameters.AddWithValue("$now", StoredTime.ToStored(now));
        var members = new List<GroupMember>();
        using var reader = live.ExecuteReader();
        while (reader.Read())
            members.Add(new GroupMember(reader.GetString(0), Time(reader.GetInt64(1))));
        // SQLite orders TEXT by its UTF-8 bytes; the contract's order is .NET's ordinal one (UTF-16), which differs
        // beyond the basic plane.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Member, b.Member));
        return members;
    }

    private static DateTimeOffset Time(long stored) => StoredTime.TryRead(stored, out var time) ? time : DateTimeOffset.UnixEpoch;

    private static void Check(string consumer, string member, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        if (duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease or heartbeat lasts a positive time.");
    }
}
