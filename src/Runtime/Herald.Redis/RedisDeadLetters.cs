using Herald.Durable;
using Herald.Redis.Storage;
using StackExchange.Redis;

namespace Herald.Redis;

/// <summary>
/// The dead letters of a <see cref="RedisEventLog"/>: one hash of letters (id to JSON) and four sorted sets of ids
/// (every letter, by consumer, by type, by consumer and type), so that a page, a count or a purge by filter reads only
/// the letters it matches. Letters are added by a consumer's fenced commit (<see cref="RedisCheckpoints"/>).
/// </summary>
internal sealed class RedisDeadLetters(RedisStore store) : IDeadLetterStore
{
    private const int PurgeChunk = 500;

    /// <summary>The index of letters of <paramref name="consumer"/> (one key for letters without a consumer).</summary>
    internal static RedisKey ConsumerIndex(LogKeys keys, string? consumer)
        => consumer is null ? keys.Prefix + "dead-letters:no-consumer" : keys.DeadLettersOfConsumer(consumer);

    /// <summary>The index of letters of <paramref name="consumer"/> and <paramref name="type"/>.</summary>
    internal static RedisKey PairIndex(LogKeys keys, string? consumer, string type)
        => consumer is null ? keys.Prefix + "dead-letters:no-consumer" : keys.DeadLettersOfPair(consumer, type);

    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var ids = await store.RunAsync(db => db.SortedSetRangeByScoreAsync(
            Index(query), query.AfterId, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, query.MaxCount)).ConfigureAwait(false);
        return await LoadAsync(ids).ConfigureAwait(false);
    }

    public async ValueTask<long> CountAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return await store.RunAsync(db => db.SortedSetLengthAsync(Index(query))).ConfigureAwait(false);
    }

    public async ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = await store.RunAsync(db => db.HashGetAsync(store.Keys.DeadLetters, id)).ConfigureAwait(false);
        return json.IsNull ? null : DeadLetterJson.Read(id, (byte[])json!);
    }

    public async ValueTask<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var letter = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return letter is not null && await DeleteAsync(letter).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A page of up to 500 ids at a time, each letter removed (with its index entries) by one script.</remarks>
    public async ValueTask<long> PurgeAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var removed = 0L;
        var page = query with { AfterId = 0, MaxCount = PurgeChunk };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var letters = await ListAsync(page, cancellationToken).ConfigureAwait(false);
            if (letters.Count == 0)
                return removed;
            var deletions = letters.Select(DeleteAsync).ToList();
            foreach (var deletion in deletions)
            {
                if (await deletion.ConfigureAwait(false))
                    removed++;
            }
            page = page with { AfterId = letters[^1].Id };
        }
    }

    private async Task<bool> DeleteAsync(DeadLetter letter)
    {
        var type = letter.Envelope.Type;
        var deleted = (long)await store.EvaluateAsync(Scripts.DeleteDeadLetter,
        [
            store.Keys.DeadLetters,
            store.Keys.DeadLettersAll,
            ConsumerIndex(store.Keys, letter.Consumer),
            store.Keys.DeadLettersOfType(type),
            PairIndex(store.Keys, letter.Consumer, type),
            store.Keys.DeadLetterEvents,
        ], [letter.Id, letter.Envelope.Id.ToString()]).ConfigureAwait(false);
        return deleted == 1;
    }

    private RedisKey Index(DeadLetterQuery query) => (query.Consumer, query.Type) switch
    {
        (null, null) => store.Keys.DeadLettersAll,
        ({ } consumer, null) => store.Keys.DeadLettersOfConsumer(consumer),
        (null, { } type) => store.Keys.DeadLettersOfType(type),
        ({ } consumer, { } type) => store.Keys.DeadLettersOfPair(consumer, type),
    };

    private async Task<IReadOnlyList<DeadLetter>> LoadAsync(RedisValue[] ids)
    {
        if (ids.Length == 0)
            return [];
        var stored = await store.RunAsync(db => db.HashGetAsync(store.Keys.DeadLetters, ids)).ConfigureAwait(false);
        var letters = new List<DeadLetter>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            // An id whose letter a concurrent delete removed between the two reads is left out.
            if (!stored[i].IsNull)
                letters.Add(DeadLetterJson.Read((long)ids[i], (byte[])stored[i]!));
        }
        return letters;
    }
}
