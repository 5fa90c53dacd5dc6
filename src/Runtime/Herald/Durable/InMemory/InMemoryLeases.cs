namespace Herald.Durable;

/// <summary>The consumer groups of an <see cref="InMemoryEventLog"/>: members and partition leases.</summary>
internal sealed class InMemoryLeases(Lock gate, int partitions) : ILeaseStore
{
    private readonly Dictionary<(string Consumer, int Partition), Lease> _leases = [];
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _members = new(StringComparer.Ordinal);

    public ValueTask<IReadOnlyList<GroupMember>> HeartbeatAsync(string consumer, string member, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        LeaseArguments.Check(consumer, member, timeToLive);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (!_members.TryGetValue(consumer, out var members))
                _members[consumer] = members = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            members[member] = now + timeToLive;
            return ValueTask.FromResult<IReadOnlyList<GroupMember>>(Live(consumer, now));
        }
    }

    public ValueTask LeaveAsync(string consumer, string member, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        lock (gate)
        {
            if (_members.TryGetValue(consumer, out var members))
                members.Remove(member);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string consumer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        lock (gate)
            return ValueTask.FromResult<IReadOnlyList<GroupMember>>(Live(consumer, now));
    }

    public ValueTask<IReadOnlyList<Lease>> GetLeasesAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        lock (gate)
        {
            IReadOnlyList<Lease> leases = [.. _leases.Values.Where(l => l.Consumer == consumer).OrderBy(l => l.Partition)];
            return ValueTask.FromResult(leases);
        }
    }

    public ValueTask<LeaseToken?> TryAcquireAsync(string consumer, int partition, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Check(consumer, owner, duration);
        CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var key = (consumer, partition);
            _leases.TryGetValue(key, out var lease);
            if (lease is not null && lease.IsHeldAt(now) && lease.Owner != owner)
                return ValueTask.FromResult<LeaseToken?>(null);
            var epoch = lease is null ? 1 : lease.Owner == owner && lease.IsHeldAt(now) ? lease.Epoch : lease.Epoch + 1;
            _leases[key] = new Lease(consumer, partition, owner, now + duration, epoch);
            return ValueTask.FromResult<LeaseToken?>(new LeaseToken(consumer, partition, owner, epoch));
        }
    }

    public ValueTask<IReadOnlyList<LeaseToken>> RenewAsync(string consumer, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Check(consumer, owner, duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var renewed = new List<LeaseToken>();
            foreach (var lease in _leases.Values.Where(l => l.Consumer == consumer && l.Owner == owner).OrderBy(l => l.Partition).ToArray())
            {
                _leases[(consumer, lease.Partition)] = lease with { ExpiresAt = now + duration };
                renewed.Add(new LeaseToken(consumer, lease.Partition, owner, lease.Epoch));
            }
            return ValueTask.FromResult<IReadOnlyList<LeaseToken>>(renewed);
        }
    }

    public ValueTask<bool> ReleaseAsync(LeaseToken lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (gate)
        {
            if (!IsCurrent(lease))
                return ValueTask.FromResult(false);
            var key = (lease.Consumer, lease.Partition);
            _leases[key] = _leases[key] with { Owner = null, ExpiresAt = DateTimeOffset.MinValue };
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>Refuses a partition the log does not have.</summary>
    public void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {partitions - 1}.");
    }

    /// <summary>Whether <paramref name="lease"/> is still held at its epoch by its owner (caller holds the gate).</summary>
    public bool IsCurrent(LeaseToken lease)
        => _leases.TryGetValue((lease.Consumer, lease.Partition), out var current)
           && current.Owner == lease.Owner
           && current.Epoch == lease.Epoch;

    /// <summary>Raises the partition's epoch, fencing its owner (an operator moved the offset; caller holds the gate).</summary>
    public void Fence(string consumer, int partition)
    {
        var key = (consumer, partition);
        _leases[key] = _leases.TryGetValue(key, out var lease)
            ? lease with { Epoch = lease.Epoch + 1 }
            : new Lease(consumer, partition, null, DateTimeOffset.MinValue, 1);
    }

    /// <summary>The consumers with a lease or a member (caller holds the gate).</summary>
    public IEnumerable<string> Consumers() => _leases.Keys.Select(k => k.Consumer).Concat(_members.Keys);

    private List<GroupMember> Live(string consumer, DateTimeOffset now)
        => _members.TryGetValue(consumer, out var members)
            ? [.. members.Where(m => m.Value > now).Select(m => new GroupMember(m.Key, m.Value)).OrderBy(m => m.Member, StringComparer.Ordinal)]
            : [];
}

/// <summary>Argument checks every lease store shares.</summary>
internal static class LeaseArguments
{
    /// <summary>Checks a consumer name, a member id and a positive duration; the exception names what is wrong.</summary>
    public static void Check(string consumer, string member, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        if (duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease or heartbeat lasts a positive time.");
    }
}
