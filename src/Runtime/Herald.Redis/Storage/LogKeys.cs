using System.Globalization;
using StackExchange.Redis;

namespace Herald.Redis.Storage;

/// <summary>
/// The key layout of one log: every key starts with the log's key prefix (default <c>herald:</c>), so several logs
/// (and the app's own keys) share a server. Keys reach Redis only as command arguments and as the <c>KEYS</c> of Lua
/// scripts, never inside script source, so no prefix or name can change what a script does.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>{prefix}log</c> (hash): the log's root. <c>partitions</c> (the fixed count), <c>format</c>, <c>seq</c> (the
/// append order over the whole log, which retention follows), <c>last:{p}</c> (the last position given in partition
/// p), <c>trim:{p}</c> (the last position retention removed in p), <c>dead-letter</c> (the last dead-letter id).</item>
/// <item><c>{prefix}events:{p}:{type}</c> (stream): the events of one type in partition p, with entry id
/// <c>{position}-0</c>. A partition is the union of its types' streams; its positions come from <c>last:{p}</c>,
/// incremented in the same script that adds the entries, so they are 1, 2, 3 ... in commit order without gaps over
/// all of the partition's streams. <b>Why a stream per (partition, type) rather than one per partition:</b> a consumer
/// reads only the types it handles (the contract's <c>ReadAsync(types)</c>), so its cost grows with its own events
/// and not with the log's: with one stream per partition every read would walk (on the server) past every other
/// consumer's events, as a table without an index on the type would. A read of several types merges their streams by
/// position in one script (one snapshot).</item>
/// <item><c>{prefix}types:{p}</c> (set): the types that have a stream in partition p (reads of every type, bounds,
/// retention).</item>
/// <item><c>{prefix}consumers</c> (set): every consumer with an offset, a lease or a member.</item>
/// <item><c>{prefix}offsets:{consumer}</c> (hash): <c>{p}</c> the committed offset, <c>at:{p}</c> its time (Unix ms).</item>
/// <item><c>{prefix}leases:{consumer}</c> (hash): <c>owner:{p}</c>, <c>expires:{p}</c> (Unix ms), <c>epoch:{p}</c>.</item>
/// <item><c>{prefix}members:{consumer}</c> (sorted set): member id scored by its heartbeat's expiry (Unix ms).</item>
/// <item><c>{prefix}inbox:{p}:{consumer}</c> (sorted set): handled envelope ids scored by the newest position they
/// were handled at.</item>
/// <item><c>{prefix}dead-letters</c> (hash): letter id to the letter (JSON); <c>{prefix}dead-letters:all</c>,
/// <c>:consumer:{consumer}</c>, <c>:type:{type}</c>, <c>:pair:{length of consumer}:{consumer}:{type}</c> (sorted sets
/// of letter ids, scored by id: pages and counts by filter); <c>{prefix}dead-letters:events</c> (hash): envelope id
/// to how many letters hold it.</item>
/// <item><c>{prefix}copies:{p}</c> (sorted set): ids of envelopes appended while a dead letter held them (replays),
/// scored by their new position: the inbox marks of those ids outlive retention of the original copy.</item>
/// <item>channel <c>{prefix}appended</c>: one message per append (<see cref="RedisNotifications"/>).</item>
/// </list>
/// On Redis Cluster a script's keys must share a hash slot: give the prefix a hash tag (<c>{herald}:</c>), which puts
/// the whole log on one shard.
/// </remarks>
internal sealed class LogKeys
{
    /// <summary>The default key prefix.</summary>
    public const string DefaultPrefix = "herald:";

    private const int MaxPrefixLength = 100;

    private readonly RedisKey[] _partitionTypes;
    private readonly RedisKey[] _copies;
    private readonly string[] _partitionNames;

    public LogKeys(string prefix, int maxPartitions)
    {
        Prefix = prefix;
        Log = prefix + "log";
        Consumers = prefix + "consumers";
        DeadLetters = prefix + "dead-letters";
        DeadLettersAll = prefix + "dead-letters:all";
        DeadLetterEvents = prefix + "dead-letters:events";
        Appended = RedisChannel.Literal(prefix + "appended");
        _partitionNames = [.. Enumerable.Range(0, maxPartitions).Select(p => p.ToString(CultureInfo.InvariantCulture))];
        _partitionTypes = [.. _partitionNames.Select(p => (RedisKey)(prefix + "types:" + p))];
        _copies = [.. _partitionNames.Select(p => (RedisKey)(prefix + "copies:" + p))];
    }

    public string Prefix { get; }

    public RedisKey Log { get; }

    public RedisKey Consumers { get; }

    public RedisKey DeadLetters { get; }

    public RedisKey DeadLettersAll { get; }

    public RedisKey DeadLetterEvents { get; }

    public RedisChannel Appended { get; }

    /// <summary>The partition's number as text (cached: every script call names it).</summary>
    public string PartitionName(int partition) => _partitionNames[partition];

    public RedisKey Events(int partition, string type) => Prefix + "events:" + _partitionNames[partition] + ":" + type;

    public RedisKey Types(int partition) => _partitionTypes[partition];

    public RedisKey Copies(int partition) => _copies[partition];

    public RedisKey Offsets(string consumer) => Prefix + "offsets:" + consumer;

    public RedisKey Leases(string consumer) => Prefix + "leases:" + consumer;

    public RedisKey Members(string consumer) => Prefix + "members:" + consumer;

    public RedisKey Inbox(int partition, string consumer) => Prefix + "inbox:" + _partitionNames[partition] + ":" + consumer;

    public RedisKey DeadLettersOfConsumer(string consumer) => Prefix + "dead-letters:consumer:" + consumer;

    public RedisKey DeadLettersOfType(string type) => Prefix + "dead-letters:type:" + type;

    public RedisKey DeadLettersOfPair(string consumer, string type)
        => Prefix + "dead-letters:pair:" + consumer.Length.ToString(CultureInfo.InvariantCulture) + ":" + consumer + ":" + type;

    /// <summary>
    /// Checks a key prefix from configuration or code: 1 to 100 printable ASCII characters without spaces. The prefix
    /// only ever travels as a key (never in script source), so this keeps keys readable and typeable in
    /// <c>redis-cli</c>, and keeps glob characters out of the names operators match with <c>SCAN</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix cannot be used; the message says why.</exception>
    public static void ValidatePrefix(string? prefix, string parameterName)
    {
        if (string.IsNullOrEmpty(prefix))
            throw new ArgumentException("The Redis key prefix is empty; use for example 'herald:' (the default), or 'orders:herald:' to keep two logs apart.", parameterName);
        if (prefix.Length > MaxPrefixLength)
            throw new ArgumentException($"The Redis key prefix is {prefix.Length} characters long; at most {MaxPrefixLength} are allowed.", parameterName);
        foreach (var c in prefix)
        {
            if (c is <= ' ' or > '~' or '*' or '?' or '[' or ']' or '\\')
                throw new ArgumentException(
                    $"The Redis key prefix '{prefix}' holds '{(c is <= ' ' or > '~' ? $"U+{(int)c:X4}" : c.ToString())}': use printable ASCII " +
                    "without spaces or the glob characters * ? [ ] \\ (for example 'herald:', or '{herald}:' on Redis Cluster).", parameterName);
        }
    }
}
