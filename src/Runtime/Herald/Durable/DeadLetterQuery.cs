namespace Herald.Durable;

/// <summary>Which dead letters to list, count or purge; every filter left null matches everything.</summary>
/// <param name="Consumer">Only the letters of this consumer.</param>
/// <param name="Type">Only the letters of envelopes of this event type (wire name).</param>
/// <param name="AfterId">Only letters with an id greater than this (the last id of the previous page); 0 from the start.</param>
/// <param name="MaxCount">The most letters one page holds.</param>
public sealed record DeadLetterQuery(string? Consumer = null, string? Type = null, long AfterId = 0, int MaxCount = 100)
{
    /// <summary>Checks the query; the exception says which value is wrong.</summary>
    /// <exception cref="ArgumentException">A filter is blank, <see cref="AfterId"/> negative or <see cref="MaxCount"/> below 1.</exception>
    public void Validate()
    {
        if (Consumer is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(Consumer, nameof(Consumer));
        if (Type is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(Type, nameof(Type));
        ArgumentOutOfRangeException.ThrowIfNegative(AfterId, nameof(AfterId));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCount, 1, nameof(MaxCount));
    }

    /// <summary>Whether <paramref name="letter"/> passes the filters (not the page bounds).</summary>
    public bool Matches(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return (Consumer is null || string.Equals(letter.Consumer, Consumer, StringComparison.Ordinal))
               && (Type is null || string.Equals(letter.Envelope.Type, Type, StringComparison.Ordinal));
    }
}
