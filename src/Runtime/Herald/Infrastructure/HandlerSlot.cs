using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// A process-wide index per handler class, so that a bus finds a singleton handler with an array load
/// instead of a dictionary lookup. Holds an index only; instances stay in each bus.
/// </summary>
/// <typeparam name="THandler">The handler class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "A static index per closed generic type is the point: it replaces a dictionary lookup.")]
public static class HandlerSlot<THandler> where THandler : class
{
    /// <summary>The index of <typeparamref name="THandler"/> in every bus's handler array.</summary>
    public static readonly int Id = HandlerSlotIds.Next();
}

internal static class HandlerSlotIds
{
    private static int s_count;

    public static int Count => Volatile.Read(ref s_count);

    public static int Next() => Interlocked.Increment(ref s_count) - 1;
}
