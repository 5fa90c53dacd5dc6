namespace Herald.Postgres.Storage;

/// <summary>Times as stored: <c>timestamptz</c>, whole microseconds in UTC.</summary>
internal static class StoredTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary><paramref name="time"/> in UTC, truncated to the microsecond (what the column keeps).</summary>
    public static DateTime ToStored(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % TicksPerMicrosecond, DateTimeKind.Utc);
    }

    /// <summary>The smallest stored time at or after <paramref name="time"/> (rounded up to the microsecond).</summary>
    public static DateTime AtOrAfter(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var remainder = utc.Ticks % TicksPerMicrosecond;
        return new DateTime(remainder == 0 ? utc.Ticks : utc.Ticks - remainder + TicksPerMicrosecond, DateTimeKind.Utc);
    }

    public static DateTimeOffset Read(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
