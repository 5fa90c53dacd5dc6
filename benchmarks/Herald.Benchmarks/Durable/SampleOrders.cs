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
}
