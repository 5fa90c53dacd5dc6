using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Herald.Infrastructure;

/// <summary>
/// The handler instances of one event type on one bus, resolved once: a generated class with one field per handler
/// class of the event (<typeparamref name="TSet"/>), created the first time the event is published on a bus whose
/// handler classes for it are all singletons. A publish then loads the set once and calls each handler through a
/// field, with no per-handler lookup. Infrastructure for generated code.
/// </summary>
/// <typeparam name="TSet">The generated set class of one event type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
[SuppressMessage("Design", "CA1000", Justification = "A static index per closed generic type is the point: it replaces a dictionary lookup.")]
public static class HandlerSet<TSet> where TSet : class
{
    /// <summary>The index of <typeparamref name="TSet"/> in every bus's array of sets.</summary>
    public static readonly int Id = IdCounter.HandlerSets.Next();

    /// <summary>The set of <paramref name="bus"/>, or null when it was not created yet or cannot be (see <see cref="Resolve"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSet? For(IEventBus bus)
    {
        // Only Herald can implement IEventBus (it has an internal member), so the bus is always ours.
        var sets = Unsafe.As<EventBus>(bus).HandlerSets;
        var id = Id;
        return (uint)id < (uint)sets.Length ? Unsafe.As<TSet>(sets[id]) : null;
    }

    /// <summary>
    /// Creates the set of <paramref name="bus"/> with <paramref name="create"/> (once per bus) and returns it; null
    /// when <paramref name="create"/> returns null because a handler class of the event is registered scoped or
    /// transient (its instances then come from each publish's scope).
    /// </summary>
    public static TSet? Resolve(IEventBus bus, Func<IEventBus, TSet?> create)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(create);
        return For(bus) ?? Unsafe.As<EventBus>(bus).ResolveHandlerSet(Id, bus, create);
    }
}

/// <summary>Helpers for the generated publish methods that run over a <see cref="HandlerSet{TSet}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HandlerSets
{
    /// <summary>
    /// The singleton instance of handler class <typeparamref name="THandler"/> on <paramref name="bus"/>; false when
    /// the app registered the class as scoped or transient.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class is not registered in the bus's service collection.</exception>
    public static bool TryGetSingleton<THandler>(IEventBus bus, [NotNullWhen(true)] out THandler? instance) where THandler : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        return Unsafe.As<EventBus>(bus).TryGetSingleton(out instance);
    }

    /// <summary>
    /// Whether a handler's failure is collected so that the publish goes on (true), or must propagate unchanged
    /// (false): under <see cref="FailurePolicy.StopOnFirst"/>, or when it is the cancellation of
    /// <paramref name="cancellationToken"/>. The exception filter of a handler-set publish: the catch it guards then
    /// records the failure and runs the remaining handlers, away from the fast path.
    /// </summary>
    public static bool Isolates(IEventBus bus, Exception exception, CancellationToken cancellationToken = default)
        => Unsafe.As<EventBus>(bus).Isolates(exception, cancellationToken);

    /// <summary>
    /// Accepts every exception: the filter of the async handler-set publish, which turns any failure into the returned
    /// task. A catch with a filter lets the JIT inline the publish into its caller; one without does not (.NET 10).
    /// </summary>
    public static bool Catches(Exception exception) => exception is not null;

    /// <summary>The failures of a publish, starting with the failure of <paramref name="handler"/>.</summary>
    public static List<HandlerFailure> FailedAt(string handler, Exception exception)
        => [new HandlerFailure(handler, exception)];

    /// <summary>
    /// Records a handler failure in <paramref name="failures"/> and returns true (the publish goes on), or returns
    /// false when the failure must propagate unchanged: under <see cref="FailurePolicy.StopOnFirst"/>, or when it is the
    /// cancellation of <paramref name="cancellationToken"/>. Used as an exception filter.
    /// </summary>
    public static bool Collect(IEventBus bus, List<HandlerFailure> failures, Exception exception, string handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (!Unsafe.As<EventBus>(bus).Isolates(exception, cancellationToken))
            return false;
        failures.Add(new HandlerFailure(handler, exception));
        return true;
    }

    /// <summary>Throws the failures a publish collected.</summary>
    [DoesNotReturn]
    public static void Throw(Type eventType, List<HandlerFailure> failures)
        => throw new HandlersFailedException(eventType, failures);

    /// <summary>The failed task of an async publish that collected <paramref name="failures"/>: the exception is thrown
    /// first, so it carries a stack trace as the synchronous publish's does.</summary>
    public static ValueTask FailedAsync(Type eventType, List<HandlerFailure> failures)
    {
        try
        {
            throw new HandlersFailedException(eventType, failures);
        }
        catch (HandlersFailedException ex)
        {
            return ValueTask.FromException(ex);
        }
    }
}
