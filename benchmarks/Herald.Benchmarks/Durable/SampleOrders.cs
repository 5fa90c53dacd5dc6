namespace Herald.Benchmarks.Durable;

/// <summary>
/// The orders the append benchmarks write (SQLite, PostgreSQL, Redis, and Herald.Benchmarks.Wolverine, which links
/// this file so both sides of that comparison publish the same records): 100 customers, about 150 bytes of JSON each.
/// </summary>
internal static class SampleOrders
{
    /// <summary><paramref name="count"/> orders over 100 customers.</summary>
    public static OrderPlaced[] Many(int count)
    {
        var placed = new OrderPlaced[count];
        for (var i = 0; i < count; i++)
            placed[i] = One(i);
        return placed;
    }

    /// <summary>The order numbered <paramref name="i"/> (-1 for the marker a benchmark publishes in its setup).</summary>
    public static OrderPlaced One(int i) => new(
        Guid.CreateVersion7(),
        $"customer-{i % 100:D3}",
        1 + (i % 5),
        10.25m + i,
        new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(i));

    /// <summary>
    /// The Persisted runs' publishers: <paramref name="publishers"/> tasks, the k-th publishing orders k,
    /// k + <paramref name="publishers"/>, ... one at a time, each awaiting its publish, so that at most that many are in
    /// flight (what the log writer's group commit gets to gather).
    /// </summary>
    public static Task PublishConcurrentlyAsync(IEventBus bus, OrderPlaced[] orders, int publishers)
    {
        var tasks = new Task[publishers];
        for (var p = 0; p < publishers; p++)
            tasks[p] = PublishShareAsync(bus, orders, p, publishers);
        return Task.WhenAll(tasks);
    }

    private static async Task PublishShareAsync(IEventBus bus, OrderPlaced[] orders, int first, int publishers)
    {
        for (var i = first; i < orders.Length; i += publishers)
            await bus.PublishAsync(orders[i]);
    }
}
