namespace Herald;

/// <summary>
/// How long the log keeps events. Explicit: with neither limit set, events are kept forever. A consumer whose offset
/// falls behind what retention removed gets an <see cref="ConsumerBehindRetentionException"/> and a metric, never a
/// silent skip.
/// </summary>
public sealed class RetentionPolicy
{
    /// <summary>Events older than this (by <see cref="EventEnvelope.OccurredAt"/>) may be removed; null: no age limit.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>At most this many events are kept in the whole log (the oldest, in append order, go first); null: no count limit.</summary>
    public long? MaxEvents { get; set; }

    /// <summary>True when neither limit is set.</summary>
    public bool KeepsEverything => MaxAge is null && MaxEvents is null;

    /// <summary>Checks the limits; the exception names the one that cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public void Validate()
    {
        if (MaxEvents is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxEvents), MaxEvents, "RetentionPolicy.MaxEvents cannot be negative.");
        if (MaxAge < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxAge), MaxAge, "RetentionPolicy.MaxAge cannot be negative.");
    }
}
