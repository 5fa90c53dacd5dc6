using System.Globalization;
using Herald.Durable;
using Herald.Redis.Storage;
using StackExchange.Redis;

namespace Herald.Redis;

/// <summary>
/// Consumer group members and partition leases of a <see cref="RedisEventLog"/>: a hash of leases and a sorted set of
/// members per consumer. Every change is one script, so it is atomic against every other process on the server; times
/// are the caller's, stored in Unix milliseconds (Redis's own clock is never used).
/// </summary>
internal sealed class RedisLeases(RedisStore store) : ILeaseStore
{
    public async ValueTask<IReadOnlyList<GroupMember>> HeartbeatAsync(string consumer, string member, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Check(consumer, member, timeToLive);
        cancellationToken.ThrowIfCancellationRequested();
        var result = await store.EvaluateAsync(Scripts.Heartbeat, [store.Keys.Members(consumer), store.Keys.Consumers],
            [member, LogEntry.ToStored(now + timeToLive), LogEntry.ToStored(now), consumer]).ConfigureAwait(false);
        return Members((RedisResult[])result!);
    }

    public async ValueTask LeaveAsync(string consumer, string member, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        cancellationToken.ThrowIfCancellationRequested();
        await store.RunAsync(db => db.SortedSetRemoveAsync(store.Keys.Members(consumer), member)).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string consumer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        var live = await store.RunAsync(db => db.SortedSetRangeByScoreWithScoresAsync(
            store.Keys.Members(consumer), LogEntry.ToStored(now), double.PositiveInfinity, Exclude.Start)).ConfigureAwait(false);
        var members = live.Select(m => new GroupMember((string)m.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)m.Score))).ToList();
        members.Sort(static (a, b) => string.CompareOrdinal(a.Member, b.Member));
        return members;
    }

    public async ValueTask<IReadOnlyList<Lease>> GetLeasesAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        var entries = await store.RunAsync(db => db.HashGetAllAsync(store.Keys.Leases(consumer))).ConfigureAwait(false);
        var owners = new Dictionary<int, string>();
        var expiries = new Dictionary<int, long>();
        var epochs = new SortedDictionary<int, long>();
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
                continue;
            switch (name[..colon])
            {
                case "owner":
                    owners[partition] = (string)entry.Value!;
                    break;
                case "expires" when entry.Value.TryParse(out long expires):
                    expiries[partition] = expires;
                    break;
                case "epoch" when entry.Value.TryParse(out long epoch):
                    epochs[partition] = epoch;
                    break;
            }
        }
        return [.. epochs.Select(e => new Lease(consumer, e.Key, owners.GetValueOrDefault(e.Key),
            DateTimeOffset.FromUnixTimeMilliseconds(expiries.GetValueOrDefault(e.Key)), e.Value))];
    }

    public async ValueTask<LeaseToken?> TryAcquireAsync(string consumer, int partition, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        store.CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        var epoch = (long)await store.EvaluateAsync(Scripts.Acquire, [store.Keys.Leases(consumer), store.Keys.Consumers],
            [store.Keys.PartitionName(partition), owner, LogEntry.ToStored(now), LogEntry.ToStored(now + duration), consumer]).ConfigureAwait(false);
        return epoch < 0 ? null : new LeaseToken(consumer, partition, owner, epoch);
    }

    public async ValueTask<IReadOnlyList<LeaseToken>> RenewAsync(string consumer, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        Check(consumer, owner, duration);
        cancellationToken.ThrowIfCancellationRequested();
        var result = (RedisResult[])(await store.EvaluateAsync(Scripts.Renew, [store.Keys.Leases(consumer)],
            [owner, LogEntry.ToStored(now + duration)]).ConfigureAwait(false))!;
        var renewed = new List<LeaseToken>(result.Length / 2);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            var partition = (int)(long)result[i];
            if (partition < store.Partitions)
                renewed.Add(new LeaseToken(consumer, partition, owner, (long)result[i + 1]));
        }
        renewed.Sort(static (a, b) => a.Partition.CompareTo(b.Partition));
        return renewed;
    }

    public async ValueTask<bool> ReleaseAsync(LeaseToken lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        var released = (long)await store.EvaluateAsync(Scripts.Release, [store.Keys.Leases(lease.Consumer)],
            [store.Keys.PartitionName(lease.Partition), lease.Owner, lease.Epoch]).ConfigureAwait(false);
        return released == 1;
    }

    private static List<GroupMember> Members(RedisResult[] flat)
    {
        var members = new List<GroupMember>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2)
            members.Add(new GroupMember((string)flat[i]!, DateTimeOffset.FromUnixTimeMilliseconds((long)(double)flat[i + 1])));
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
