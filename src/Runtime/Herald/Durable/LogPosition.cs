namespace Herald.Durable;

/// <summary>Where an envelope is in a log: its partition, and its position within that partition.</summary>
/// <param name="Partition">The partition, 0 to the log's partition count - 1.</param>
/// <param name="Position">The position within the partition: 1 for its first event, increasing by one per event.</param>
public readonly record struct LogPosition(int Partition, long Position)
{
    /// <summary>Formats as <c>partition/position</c>, for example <c>3/1042</c>.</summary>
    public override string ToString() => $"{Partition}/{Position}";
}

/// <summary>The retained range of one partition of a log.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="First">The first retained position; <paramref name="Last"/> + 1 when nothing is retained.</param>
/// <param name="Last">The last position given in the partition; 0 when nothing was ever appended to it.</param>
public readonly record struct PartitionBounds(int Partition, long First, long Last)
{
    /// <summary>How many positions the partition retains (events, and gaps left by events never committed).</summary>
    public long Retained => Last - First + 1;
}

/// <summary>What one read of a partition returned.</summary>
/// <param name="Envelopes">The envelopes, ascending by position.</param>
/// <param name="Bounds">The partition's retained range at the moment of the read (the same snapshot as the envelopes):
/// a reader whose starting position is below <see cref="PartitionBounds.First"/> - 1 is behind retention.</param>
/// <param name="ScannedTo">
/// The position up to which the partition was looked at: every retained envelope of the asked types with a position
/// after the read's starting point and at most this one is in <paramref name="Envelopes"/>. It is the last
/// envelope's position when the page is full, and the partition's last position at the time of the read otherwise,
/// so a consumer can move its offset past the events of other types it never reads.
/// </param>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Envelopes, PartitionBounds Bounds, long ScannedTo);

/// <summary>
/// What one read of a partition returned to the owner of its lease (<see cref="IEventLog.ReadForConsumerAsync"/>): the
/// page, which of its envelopes the consumer's inbox already holds, and whether the lease was seen lost.
/// </summary>
/// <param name="Lease">The lease the read was made under; a <see cref="HandlingBatch"/> takes the page only under it.</param>
/// <param name="Page">What <see cref="IEventStream.ReadAsync"/> of the lease's partition returns for the same arguments.</param>
/// <param name="Handled">
/// The ids of the page's envelopes that have a committed inbox mark of the lease's consumer, as
/// <see cref="ICheckpointStore.FindHandledAsync"/> reports them.
/// </param>
/// <param name="LeaseLost">
/// True when the lease was no longer the reader's (another owner, another epoch, or no lease at all) when the page
/// was read: the reader must stop before it handles the page. For a page with envelopes this is always checked; for an
/// empty page a log may report false without looking (a commit is fenced in any case).
/// </param>
public sealed record ConsumerPage(LeaseToken Lease, EventPage Page, IReadOnlySet<Guid> Handled, bool LeaseLost)
{
    /// <summary>Whether <paramref name="leases"/> (a consumer's, as read) still give <paramref name="lease"/>'s partition to its owner at its epoch.</summary>
    internal static bool IsHeld(LeaseToken lease, IReadOnlyList<Lease> leases)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(leases);
        foreach (var current in leases)
        {
            if (current.Partition == lease.Partition)
                return current.Owner == lease.Owner && current.Epoch == lease.Epoch;
        }
        return false;
    }
}
