namespace Herald.Redis.Storage;

// The dead letters' scripts; what every script promises is on Scripts, in Scripts.cs.
internal static partial class Scripts
{
    /// <summary>
    /// Removes a dead letter and its index entries. KEYS: the letters hash, the four indexes, the dead-letter events
    /// hash. ARGV: letter id, envelope id. Returns 1 when it was there.
    /// </summary>
    public const string DeleteDeadLetter = """
        #!lua
        if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        for k = 2, 5 do
          redis.call('ZREM', KEYS[k], ARGV[1])
        end
        if redis.call('HINCRBY', KEYS[6], ARGV[2], -1) <= 0 then
          redis.call('HDEL', KEYS[6], ARGV[2])
        end
        return 1
        """;
}
