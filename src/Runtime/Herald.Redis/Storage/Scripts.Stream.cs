namespace Herald.Redis.Storage;

// The stream's scripts: append, read, find by time, trim; what every script promises is on Scripts, in Scripts.cs.
internal static partial class Scripts
{
    /// <summary>
    /// Appends a batch. KEYS[1] the log's root, KEYS[2] the dead-letter events hash, then the streams, type sets and
    /// copies sets the envelopes name by index. ARGV[1] the partition count the writer expects, ARGV[2] the envelope
    /// count, ARGV[3] the notification channel, ARGV[4] the writer's origin id; then per envelope: stream key index,
    /// type set key index, copies key index, partition, type, id, version, occurred-at (Unix ms), '1' when it has a
    /// partition key, the key, the headers (JSON, '' for none), the payload. Returns each envelope's position.
    /// </summary>
    public const string Append = """
        #!lua
        local root = KEYS[1]
        local stored = redis.call('HGET', root, 'partitions')
        if not stored then
          return redis.error_reply('HERALDNOLOG the log root key is missing')
        end
        if stored ~= ARGV[1] then
          return redis.error_reply('HERALDPARTITIONS ' .. stored)
        end
        local n = tonumber(ARGV[2])
        local width = 12
        local first = 5
        -- Reads only, before any write: the partitions' next positions, and every stream's newest entry below them.
        local nextPosition = {}
        local checked = {}
        for i = 0, n - 1 do
          local a = first + i * width
          local p = ARGV[a + 3]
          if nextPosition[p] == nil then
            nextPosition[p] = tonumber(redis.call('HGET', root, 'last:' .. p) or '0')
          end
          nextPosition[p] = nextPosition[p] + 1
          local k = tonumber(ARGV[a])
          if not checked[k] then
            checked[k] = true
            local top = redis.call('XREVRANGE', KEYS[k], '+', '-', 'COUNT', 1)
            if #top > 0 then
              local topPosition = tonumber(string.match(top[1][1], '^(%d+)'))
              if topPosition >= nextPosition[p] then
                return redis.error_reply('HERALDAHEAD partition ' .. p .. ' would give position ' .. nextPosition[p] ..
                  ' but one of its streams already holds position ' .. topPosition)
              end
            end
          end
        end
        local seq = redis.call('HINCRBY', root, 'seq', n) - n
        local positions = {}
        local touched = {}
        local order = {}
        local typed = {}
        for i = 0, n - 1 do
          local a = first + i * width
          local p = ARGV[a + 3]
          local position = redis.call('HINCRBY', root, 'last:' .. p, 1)
          seq = seq + 1
          local id = ARGV[a + 5]
          local entry = {'s', seq, 'i', id, 'v', ARGV[a + 6], 'o', ARGV[a + 7]}
          if ARGV[a + 8] == '1' then
            entry[#entry + 1] = 'k'
            entry[#entry + 1] = ARGV[a + 9]
          end
          if ARGV[a + 10] ~= '' then
            entry[#entry + 1] = 'h'
            entry[#entry + 1] = ARGV[a + 10]
          end
          entry[#entry + 1] = 'd'
          entry[#entry + 1] = ARGV[a + 11]
          local k = tonumber(ARGV[a])
          redis.call('XADD', KEYS[k], position .. '-0', unpack(entry))
          if not typed[k] then
            typed[k] = true
            redis.call('SADD', KEYS[tonumber(ARGV[a + 1])], ARGV[a + 4])
          end
          if redis.call('HEXISTS', KEYS[2], id) == 1 then
            redis.call('ZADD', KEYS[tonumber(ARGV[a + 2])], position, id)
          end
          positions[i + 1] = position
          if not touched[p] then
            touched[p] = true
            order[#order + 1] = p
          end
        end
        redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. table.concat(order, ','))
        return positions
        """;

    /// <summary>
    /// Reads a partition. KEYS[1] the root, KEYS[2] the partition's type set, then (for a consumer's read, ARGV[5] '1')
    /// KEYS[3] the consumer's inbox of the partition and KEYS[4] its leases, then the streams to read. ARGV[1] the
    /// partition, ARGV[2] the position to read after, ARGV[3] the most entries, ARGV[4] '1' when the streams are every
    /// type of the partition (then the type set must still have that many members, or -1 is returned: a type was
    /// added since the caller looked), ARGV[5] '1' for a consumer's read. Returns {last, trim, root present (1/0),
    /// then, for a consumer's read, the lease's owner ('' for none) and epoch ('0' for none), then per envelope,
    /// ascending by position, its stream index and entry and, for a consumer's read, 1 when the inbox holds its id
    /// (else 0)}.
    /// </summary>
    public const string Read = """
        #!lua flags=no-writes
        local p = ARGV[1]
        local consumer = ARGV[5] == '1'
        local before = 2
        if consumer then before = 4 end
        local meta = redis.call('HMGET', KEYS[1], 'last:' .. p, 'trim:' .. p, 'partitions')
        local last = tonumber(meta[1] or '0')
        local trim = tonumber(meta[2] or '0')
        local present = 0
        if meta[3] then present = 1 end
        local streams = #KEYS - before
        if ARGV[4] == '1' and redis.call('SCARD', KEYS[2]) ~= streams then
          return {-1}
        end
        local after = tonumber(ARGV[2])
        local max = tonumber(ARGV[3])
        local result = {last, trim, present}
        if consumer then
          local lease = redis.call('HMGET', KEYS[4], 'owner:' .. p, 'epoch:' .. p)
          result[4] = lease[1] or ''
          result[5] = lease[2] or '0'
        end
        if after >= last or streams == 0 then
          return result
        end
        local start = (after + 1) .. '-0'
        local all = {}
        for s = 1, streams do
          local entries = redis.call('XRANGE', KEYS[s + before], start, '+', 'COUNT', max)
          for i = 1, #entries do
            local position = tonumber(string.match(entries[i][1], '^(%d+)'))
            -- An entry past the partition's last position was not written by Herald (an XADD by hand): skip it.
            if position ~= nil and position <= last then
              all[#all + 1] = {position, s, entries[i]}
            end
          end
        end
        if streams > 1 then
          table.sort(all, function(x, y) return x[1] < y[1] end)
        end
        local count = math.min(max, #all)
        local marks = {}
        if consumer and count > 0 then
          -- The inbox holds ids as Herald writes them (lower-case, hyphenated); an entry without an id field is looked
          -- up as '' (never a member).
          local ids = {}
          for i = 1, count do
            local fields = all[i][3][2]
            local id = ''
            for j = 1, #fields, 2 do
              if fields[j] == 'i' then
                id = string.lower(fields[j + 1])
                break
              end
            end
            ids[i] = id
          end
          local i = 0
          while i < count do
            local stop = math.min(count, i + 200)
            local scores = redis.call('ZMSCORE', KEYS[3], unpack(ids, i + 1, stop))
            for j = 1, #scores do
              if scores[j] then marks[i + j] = 1 else marks[i + j] = 0 end
            end
            i = stop
          end
        end
        for i = 1, count do
          result[#result + 1] = all[i][2]
          result[#result + 1] = all[i][3]
          if consumer then result[#result + 1] = marks[i] end
        end
        return result
        """;

    /// <summary>
    /// Finds, in one stream, the first entry after a position that occurred at or after a time (or whose time cannot be
    /// read), looking at no more than a given number of entries. KEYS[1] the stream; ARGV[1] the position to look
    /// after, ARGV[2] the time (Unix ms), ARGV[3] the most entries. Returns {1, position, seq} when found, else {0,
    /// last position looked at, entries looked at}.
    /// </summary>
    public const string FindYoung = """
        #!lua flags=no-writes
        local entries = redis.call('XRANGE', KEYS[1], (tonumber(ARGV[1]) + 1) .. '-0', '+', 'COUNT', tonumber(ARGV[3]))
        local time = tonumber(ARGV[2])
        local lastPosition = tonumber(ARGV[1])
        for i = 1, #entries do
          local position = tonumber(string.match(entries[i][1], '^(%d+)')) or lastPosition
          lastPosition = position
          local fields = entries[i][2]
          local occurred = nil
          local seq = 0
          for j = 1, #fields, 2 do
            if fields[j] == 'o' then
              occurred = tonumber(fields[j + 1])
            elseif fields[j] == 's' then
              seq = tonumber(fields[j + 1]) or 0
            end
          end
          if occurred == nil or occurred >= time then
            return {1, position, seq}
          end
        end
        return {0, lastPosition, #entries}
        """;

    /// <summary>
    /// The last position of a partition whose append order (seq) is at most a cut, by binary search over positions
    /// (each probe reads the first entry at or after a position in every stream of the partition: the log's seq grows
    /// with the position within a partition). KEYS[1] the root, KEYS[2..] every stream of the partition; ARGV[1] the
    /// partition, ARGV[2] the cut. Returns {that position, trim, last}.
    /// </summary>
    public const string LastAtOrBelowSeq = """
        #!lua flags=no-writes
        local p = ARGV[1]
        local meta = redis.call('HMGET', KEYS[1], 'last:' .. p, 'trim:' .. p)
        local last = tonumber(meta[1] or '0')
        local trim = tonumber(meta[2] or '0')
        local cut = tonumber(ARGV[2])
        local lo = trim
        local hi = last
        local function firstAtOrAfter(x)
          local best = nil
          local bestSeq = nil
          for k = 2, #KEYS do
            local e = redis.call('XRANGE', KEYS[k], x .. '-0', '+', 'COUNT', 1)
            if #e > 0 then
              local position = tonumber(string.match(e[1][1], '^(%d+)'))
              if position ~= nil and (best == nil or position < best) then
                best = position
                bestSeq = nil
                local f = e[1][2]
                for j = 1, #f, 2 do
                  if f[j] == 's' then bestSeq = tonumber(f[j + 1]) end
                end
              end
            end
          end
          return best, bestSeq
        end
        while lo < hi do
          local mid = math.floor((lo + hi + 1) / 2)
          local position, seq = firstAtOrAfter(mid)
          if position ~= nil and position <= hi and seq ~= nil and seq <= cut then
            lo = position
          else
            hi = mid - 1
          end
        end
        return {lo, trim, last}
        """;

    /// <summary>
    /// Removes a partition's prefix up to a position: its streams' entries, the inbox marks of those envelopes that no
    /// dead letter and no retained replayed copy needs, and the copies it removes. KEYS[1] the root, KEYS[2] the
    /// partition's copies, KEYS[3] the dead-letter events hash, then ARGV[3] streams, then the inboxes of the
    /// partition. ARGV[1] the partition, ARGV[2] the position. Returns {entries removed, new trim}.
    /// </summary>
    public const string Trim = """
        #!lua
        local p = ARGV[1]
        local upTo = tonumber(ARGV[2])
        local streams = tonumber(ARGV[3])
        local trim = tonumber(redis.call('HGET', KEYS[1], 'trim:' .. p) or '0')
        if upTo <= trim then
          return {0, trim}
        end
        local removed = 0
        for k = 4, 3 + streams do
          removed = removed + redis.call('XTRIM', KEYS[k], 'MINID', (upTo + 1) .. '-0')
        end
        redis.call('HSET', KEYS[1], 'trim:' .. p, upTo)
        for k = 4 + streams, #KEYS do
          local marks = redis.call('ZRANGEBYSCORE', KEYS[k], '-inf', upTo)
          for i = 1, #marks do
            local id = marks[i]
            local copy = redis.call('ZSCORE', KEYS[2], id)
            if redis.call('HEXISTS', KEYS[3], id) == 0 and (not copy or tonumber(copy) <= upTo) then
              redis.call('ZREM', KEYS[k], id)
            end
          end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', upTo)
        return {removed, upTo}
        """;
}
