namespace Herald.Redis.Storage;

// The scripts of consumers' progress and leases: the fenced commit, offsets, leases, membership; what every script promises is on Scripts, in Scripts.cs.
internal static partial class Scripts
{
    /// <summary>
    /// A consumer's fenced commit. KEYS: leases, offsets, the partition's inbox, the consumers set, the root, the
    /// dead letters hash, the four dead-letter indexes (all, consumer, type, pair), the dead-letter events hash. ARGV:
    /// partition, owner, epoch, offset, now (Unix ms), consumer, mark count m, m pairs (id, position), then '1' and the
    /// letter (JSON) and its envelope id when there is a dead letter ('0' otherwise). Returns -1 when the lease is not
    /// held at that epoch by that owner (nothing written), else the dead letter's id (0 for none).
    /// </summary>
    public const string Commit = """
        #!lua
        local p = ARGV[1]
        local lease = redis.call('HMGET', KEYS[1], 'owner:' .. p, 'epoch:' .. p)
        if lease[1] ~= ARGV[2] or lease[2] ~= ARGV[3] then
          return -1
        end
        local m = tonumber(ARGV[7])
        local i = 0
        while i < m do
          local chunk = {'GT'}
          local stop = math.min(m, i + 200)
          for j = i, stop - 1 do
            chunk[#chunk + 1] = ARGV[9 + 2 * j]
            chunk[#chunk + 1] = ARGV[8 + 2 * j]
          end
          redis.call('ZADD', KEYS[3], unpack(chunk))
          i = stop
        end
        redis.call('HSET', KEYS[2], p, ARGV[4], 'at:' .. p, ARGV[5])
        redis.call('SADD', KEYS[4], ARGV[6])
        local letter = 8 + 2 * m
        local id = 0
        if ARGV[letter] == '1' then
          id = redis.call('HINCRBY', KEYS[5], 'dead-letter', 1)
          redis.call('HSET', KEYS[6], id, ARGV[letter + 1])
          for k = 7, 10 do
            redis.call('ZADD', KEYS[k], id, id)
          end
          redis.call('HINCRBY', KEYS[11], ARGV[letter + 2], 1)
        end
        return id
        """;

    /// <summary>
    /// An operator's offset move: writes the offset and raises the lease's epoch (fencing its owner). KEYS: offsets,
    /// leases, consumers. ARGV: partition, position, now (Unix ms), consumer.
    /// </summary>
    public const string SetOffset = """
        #!lua
        local p = ARGV[1]
        redis.call('HSET', KEYS[1], p, ARGV[2], 'at:' .. p, ARGV[3])
        redis.call('HINCRBY', KEYS[2], 'epoch:' .. p, 1)
        if redis.call('HEXISTS', KEYS[2], 'expires:' .. p) == 0 then
          redis.call('HSET', KEYS[2], 'expires:' .. p, 0)
        end
        redis.call('SADD', KEYS[3], ARGV[4])
        return 1
        """;

    /// <summary>
    /// Takes or extends a lease. KEYS: leases, consumers. ARGV: partition, owner, now, expiry (Unix ms), consumer.
    /// Returns the epoch, or -1 when another member holds it.
    /// </summary>
    public const string Acquire = """
        #!lua
        local p = ARGV[1]
        local current = redis.call('HMGET', KEYS[1], 'owner:' .. p, 'expires:' .. p, 'epoch:' .. p)
        local held = current[1] and tonumber(current[2] or '0') > tonumber(ARGV[3])
        if held and current[1] ~= ARGV[2] then
          return -1
        end
        local epoch = 1
        if current[3] then
          epoch = tonumber(current[3])
          if not held then epoch = epoch + 1 end
        end
        redis.call('HSET', KEYS[1], 'owner:' .. p, ARGV[2], 'expires:' .. p, ARGV[4], 'epoch:' .. p, epoch)
        redis.call('SADD', KEYS[2], ARGV[5])
        return epoch
        """;

    /// <summary>
    /// Extends every lease an owner holds. KEYS: leases. ARGV: owner, expiry (Unix ms). Returns {partition, epoch, ...}.
    /// </summary>
    public const string Renew = """
        #!lua
        local all = redis.call('HGETALL', KEYS[1])
        local result = {}
        for i = 1, #all, 2 do
          if all[i + 1] == ARGV[1] and string.sub(all[i], 1, 6) == 'owner:' then
            local p = string.sub(all[i], 7)
            redis.call('HSET', KEYS[1], 'expires:' .. p, ARGV[2])
            result[#result + 1] = tonumber(p)
            result[#result + 1] = tonumber(redis.call('HGET', KEYS[1], 'epoch:' .. p) or '0')
          end
        end
        return result
        """;

    /// <summary>Gives a lease up when it is held at its epoch by its owner. KEYS: leases. ARGV: partition, owner, epoch.</summary>
    public const string Release = """
        #!lua
        local p = ARGV[1]
        local current = redis.call('HMGET', KEYS[1], 'owner:' .. p, 'epoch:' .. p)
        if current[1] ~= ARGV[2] or current[2] ~= ARGV[3] then
          return 0
        end
        redis.call('HDEL', KEYS[1], 'owner:' .. p)
        redis.call('HSET', KEYS[1], 'expires:' .. p, 0)
        return 1
        """;

    /// <summary>
    /// A member's heartbeat. KEYS: members, consumers. ARGV: member, expiry, now (Unix ms), consumer. Returns the live
    /// members with their expiry.
    /// </summary>
    public const string Heartbeat = """
        #!lua
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
        redis.call('SADD', KEYS[2], ARGV[4])
        return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[3], '+inf', 'WITHSCORES')
        """;
}
