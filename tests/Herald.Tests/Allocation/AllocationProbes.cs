namespace Herald.Tests.Allocation;

/// <summary>Three synchronous handlers: two static, one singleton instance.</summary>
public sealed class MeterRead
{
    public int Value { get; init; }
}

/// <summary>Three handlers that complete synchronously: a ValueTask, a Task (singleton instance) and a void.</summary>
public sealed class MeterSynced
{
    public int Value { get; init; }
}

/// <summary>
/// Counts handler calls without allocating. Only <see cref="ZeroAllocationTests"/> publishes these events, and its
/// collection runs alone, so plain static counters are safe.
/// </summary>
public static class MeterCounters
{
    public static long ReadFirst;
    public static long ReadThird;
    public static long SyncedFirst;
    public static long SyncedThird;

    [Subscribe]
    public static void First(MeterRead e) => ReadFirst += e.Value;

    [Subscribe(Order = 2)]
    public static void Third(MeterRead e) => ReadThird += e.Value;

    [Subscribe]
    public static ValueTask First(MeterSynced e, CancellationToken ct)
    {
        SyncedFirst += e.Value;
        return default;
    }

    [Subscribe(Order = 2)]
    public static void Third(MeterSynced e) => SyncedThird += e.Value;
}

public sealed class MeterRecorder
{
    public long Reads { get; private set; }

    public long Syncs { get; private set; }

    [Subscribe(Order = 1)]
    public void Second(MeterRead e) => Reads += e.Value;

    [Subscribe(Order = 1)]
    public Task Second(MeterSynced e, CancellationToken ct)
    {
        Syncs += e.Value;
        return Task.CompletedTask;
    }
}
