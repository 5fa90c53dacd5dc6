namespace Herald.Sqlite.Storage;

/// <summary>
/// Times are stored as Unix milliseconds (UTC), readable in the sqlite3 shell with <c>datetime(x / 1000, 'unixepoch')</c>.
/// An envelope read back has its <see cref="EventEnvelope.OccurredAt"/> truncated to the millisecond, and queries by
/// time compare against that stored value.
/// </summary>
internal static class StoredTime
{
    private static readonly long MinMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>
    /// The smallest stored value that is not before <paramref name="time"/>: "stored &gt;= this" is exactly "the
    /// envelope as read back occurred at or after <paramref name="time"/>".
    /// </summary>
    public static long AtOrAfter(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var milliseconds = ticks / TimeSpan.TicksPerMillisecond;
        return ticks % TimeSpan.TicksPerMillisecond > 0 ? milliseconds + 1 : milliseconds;
    }

    public static bool TryRead(long stored, out DateTimeOffset time)
    {
        if (stored < MinMilliseconds || stored > MaxMilliseconds)
        {
            time = default;
            return false;
        }
        time = DateTimeOffset.FromUnixTimeMilliseconds(stored);
        return true;
    }
}
