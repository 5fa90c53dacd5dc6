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

    /// <summary>At most this many events are kept (the oldest go first); null: no count limit.</summary>
    public long? MaxEvents { get; set; }

    /// <summary>True when neither limit is set.</summary>
    public bool KeepsEverything => MaxAge is null && MaxEvents is null;
}
