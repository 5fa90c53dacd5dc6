namespace Herald.HealthChecks;

/// <summary>The thresholds of Herald's health check (<c>services.AddHealthChecks().AddHerald(o => ...)</c>).</summary>
public sealed class HeraldHealthCheckOptions
{
    private readonly Dictionary<string, long> _lagByConsumer = new(StringComparer.Ordinal);

    /// <summary>
    /// A consumer whose lag in one partition (events after its committed offset) is above this is degraded; default
    /// 1,000. <see cref="DegradedLagOf"/> sets it for one consumer.
    /// </summary>
    public long DegradedLag { get; set; } = 1_000;

    /// <summary>
    /// How recently the log writer must have written to its dead-letter file (events it could not append) for the check
    /// to report unhealthy; default 15 minutes. Older entries are what an operator already knows about: they stay in the
    /// file (see docs/durable.md) but no longer fail the check.
    /// </summary>
    public TimeSpan AppendDeadLetterWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sets the lag above which <paramref name="consumer"/> is degraded, instead of <see cref="DegradedLag"/>.</summary>
    /// <param name="consumer">The consumer's name (<c>[Subscribe(Consumer = "...")]</c>).</param>
    /// <param name="lag">Events after its committed offset in one partition.</param>
    /// <returns>The same options.</returns>
    public HeraldHealthCheckOptions DegradedLagOf(string consumer, long lag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(lag);
        _lagByConsumer[consumer] = lag;
        return this;
    }

    /// <summary>The degraded threshold of <paramref name="consumer"/>.</summary>
    public long DegradedLagFor(string consumer)
        => _lagByConsumer.TryGetValue(consumer, out var lag) ? lag : DegradedLag;

    internal void Validate()
    {
        if (DegradedLag < 0)
            throw new ArgumentOutOfRangeException(nameof(DegradedLag), DegradedLag, "DegradedLag is a number of events: 0 or more.");
        if (AppendDeadLetterWindow <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(AppendDeadLetterWindow), AppendDeadLetterWindow, "AppendDeadLetterWindow must be positive (for example 15 minutes).");
    }
}
