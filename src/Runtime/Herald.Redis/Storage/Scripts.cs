namespace Herald.Redis.Storage;

/// <summary>
/// The Lua scripts of the log. Each is constant text: keys arrive as <c>KEYS</c> and values as <c>ARGV</c>, so nothing
/// from configuration or from stored data is ever part of a script's source. A script runs atomically on the server
/// (nothing else runs between its commands), which is what makes an append, a fenced commit or a lease change one
/// indivisible step; StackExchange.Redis sends each by its SHA1 (<c>EVALSHA</c>) once the server knows it, and
/// resends the text after a server restart flushed the script cache.
/// </summary>
/// <remarks>
/// Scripts that write start with <c>#!lua</c>: the server then refuses the whole script up front when it is out of
/// memory (no half-done append) and on a read-only replica. Those that only read say <c>flags=no-writes</c>. A write
/// script never fails halfway: what could fail (a stream already holding a position about to be given) is checked
/// by reads before the first write.
/// </remarks>
internal static partial class Scripts
{
    /// <summary>The values of one envelope in <see cref="Append"/>'s ARGV.</summary>
    public const int AppendValuesPerEnvelope = 12;

    /// <summary>The ARGV index (1-based) where the envelopes start in <see cref="Append"/>.</summary>
    public const int AppendFirstEnvelope = 5;
}
