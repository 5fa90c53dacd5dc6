namespace Herald.Durable;

/// <summary>
/// Consumer groups: the members of each consumer and the lease of each of its partitions. Part of the
/// <see cref="IEventLog"/> contract, whose remarks give the semantics. Times come from the caller (its
/// <see cref="TimeProvider"/>), never from the store, so every member and every test measures leases the same way.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Records that <paramref name="member"/> of <paramref name="consumer"/> is alive until <paramref name="now"/> +
    /// <paramref name="timeToLive"/>, and returns the live members (expiring after <paramref name="now"/>), ordered by id
    /// (ordinal).
    /// </summary>
    ValueTask<IReadOnlyList<GroupMember>> HeartbeatAsync(string consumer, string member, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="member"/> from <paramref name="consumer"/>'s group (a graceful stop).</summary>
    ValueTask LeaveAsync(string consumer, string member, CancellationToken cancellationToken);

    /// <summary>The members of <paramref name="consumer"/> alive at <paramref name="now"/>, ordered by id.</summary>
    ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string consumer, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The leases of <paramref name="consumer"/>'s partitions that were ever taken, by partition.</summary>
    ValueTask<IReadOnlyList<Lease>> GetLeasesAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease of <paramref name="partition"/> for <paramref name="owner"/> until <paramref name="now"/> +
    /// <paramref name="duration"/> when nobody holds it (never taken, released, or expired at <paramref name="now"/>),
    /// raising its epoch; or extends it, at the same epoch, when <paramref name="owner"/> already holds it. Returns null,
    /// changing nothing, when another member holds it.
    /// </summary>
    ValueTask<LeaseToken?> TryAcquireAsync(string consumer, int partition, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends every lease of <paramref name="consumer"/> that <paramref name="owner"/> holds (also an expired one
    /// nobody took) to <paramref name="now"/> + <paramref name="duration"/>, and returns them with their current epochs:
    /// a partition missing from the result, or at another epoch than the owner's, was lost.
    /// </summary>
    ValueTask<IReadOnlyList<LeaseToken>> RenewAsync(string consumer, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up when it is still held at its epoch by its owner; false when it was not.</summary>
    ValueTask<bool> ReleaseAsync(LeaseToken lease, CancellationToken cancellationToken);
}
