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
    public static readonly int Id = IdCounter.HandlerClasses.Next();
}

/// <summary>Hands out the process-wide indexes of one kind of per-bus slot.</summary>
internal sealed class IdCounter
{
    /// <summary>Indexes of handler classes (<see cref="HandlerSlot{THandler}"/>).</summary>
    public static readonly IdCounter HandlerClasses = new();

    /// <summary>Indexes of generated handler sets (<see cref="HandlerSet{TSet}"/>).</summary>
    public static readonly IdCounter HandlerSets = new();

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int Next() => Interlocked.Increment(ref _count) - 1;
}
