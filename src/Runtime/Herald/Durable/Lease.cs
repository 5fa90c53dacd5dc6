namespace Herald.Durable;

/// <summary>
/// Who owns one partition of one consumer, until when, and at which epoch. The epoch grows by one each time the
/// partition changes hands (and each time an operator moves its offset): every offset commit names the epoch it was
/// taken at, and the log refuses a commit whose epoch is no longer the lease's (fencing).
/// </summary>
/// <param name="Consumer">The consumer (consumer group).</param>
/// <param name="Partition">The partition.</param>
/// <param name="Owner">The member that holds it; null when nobody does (released, or never taken).</param>
/// <param name="ExpiresAt">When the owner's hold ends unless it renews it.</param>
/// <param name="Epoch">The lease's epoch; 0 before the partition was ever taken.</param>
public sealed record Lease(string Consumer, int Partition, string? Owner, DateTimeOffset ExpiresAt, long Epoch)
{
    /// <summary>Whether a member holds the lease at <paramref name="now"/>.</summary>
    public bool IsHeldAt(DateTimeOffset now) => Owner is not null && ExpiresAt > now;
}

/// <summary>The proof that <paramref name="Owner"/> holds a partition at <paramref name="Epoch"/>; commits carry it.</summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Owner">The member.</param>
/// <param name="Epoch">The epoch the member holds the partition at.</param>
public sealed record LeaseToken(string Consumer, int Partition, string Owner, long Epoch);

/// <summary>A live member of a consumer group.</summary>
/// <param name="Member">The member's instance id.</param>
/// <param name="ExpiresAt">When it counts as gone unless it sends a heartbeat.</param>
public sealed record GroupMember(string Member, DateTimeOffset ExpiresAt);

/// <summary>
/// A commit was refused because the committer no longer holds the partition's lease at its epoch (another member
/// took it, or an operator moved the offset): nothing of the commit was written. The consumer stops handling that
/// partition; its uncommitted events go to the lease's current owner.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(LeaseToken lease)
        : base(Describe(lease))
    {
        Lease = lease;
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException()
        : base("The partition's lease is no longer held at this epoch; nothing was committed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The lease the commit was made under; null when not known.</summary>
    public LeaseToken? Lease { get; }

    private static string Describe(LeaseToken lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return $"Member '{lease.Owner}' no longer holds partition {lease.Partition} of consumer '{lease.Consumer}' at epoch " +
               $"{lease.Epoch} (another member took it, or its offset was moved); nothing was committed.";
    }
}
