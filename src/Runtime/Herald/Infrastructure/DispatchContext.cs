using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Herald.Infrastructure;

/// <summary>
/// The state of one publish, kept on the stack: the bus, a snapshot of its singleton handlers, and (only when a
/// publish needs one) a <see cref="PublishState"/> with the service scope and the failures collected so far.
/// Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct DispatchContext
{
    private readonly EventBus _bus;
    private object?[] _singletons;
    private PublishState? _state;

    /// <summary>Starts a publish on <paramref name="bus"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DispatchContext(IEventBus bus)
    {
        // Only Herald can implement IEventBus (it has an internal member), so the bus is always ours.
        _bus = Unsafe.As<EventBus>(bus);
        _singletons = _bus.Singletons;
        _state = null;
    }

    /// <summary>
    /// The instance of handler class <typeparamref name="THandler"/> for this publish: the bus's singleton,
    /// or, for a class the app registered as scoped or transient, one resolved from this publish's scope (one
    /// instance per publish, shared by the class's handler methods).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public THandler Get<THandler>() where THandler : class
    {
        var singletons = _singletons;
        var id = HandlerSlot<THandler>.Id;
        if ((uint)id < (uint)singletons.Length && singletons[id] is { } instance)
            return Unsafe.As<THandler>(instance);
        return GetSlow<THandler>();
    }

    private THandler GetSlow<THandler>() where THandler : class
    {
        var instance = _bus.Resolve<THandler>(ref _state);
        _singletons = _bus.Singletons;
        return instance;
    }

    /// <summary>
    /// Records a handler failure and returns true (the publish goes on), or returns false when the failure must
    /// propagate unchanged: under <see cref="FailurePolicy.StopOnFirst"/>, or when it is the cancellation of
    /// <paramref name="cancellationToken"/>. Used as an exception filter.
    /// </summary>
    public bool Collect(Exception exception, string handler, CancellationToken cancellationToken = default)
    {
        if (!_bus.Isolates(exception, cancellationToken))
            return false;
        (_state ??= new PublishState()).AddFailure(new HandlerFailure(handler, exception));
        return true;
    }

    /// <summary>Ends the publish: disposes the scope, then throws the collected failures, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Complete(Type eventType)
    {
        if (_state is not null)
            CompleteSlow(eventType);
    }

    /// <summary>
    /// Releases what the publish still holds: disposes the scope (if <see cref="Complete"/> did not) and drops
    /// collected failures. Called on every way out, so a failing or cancelled publish disposes its scope too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release()
    {
        if (_state is not null)
            ReleaseSlow();
    }

    /// <summary>Turns an exception of the synchronous part of an async publish into the returned task.</summary>
    public static ValueTask FromException(Exception exception, CancellationToken cancellationToken)
        => exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : ValueTask.FromException(exception);

    /// <summary>The error for a synchronous publish of an event that has asynchronous inline handlers.</summary>
    [DoesNotReturn]
    public static void ThrowAsyncHandlersNeedPublishAsync(Type eventType, string asyncHandlers)
        => throw new InvalidOperationException(
            $"{eventType.Name} has asynchronous inline handlers ({asyncHandlers}), so Publish cannot run them without " +
            "blocking. Call 'await bus.PublishAsync(event, cancellationToken)' instead (analyzer HER0006 reports this " +
            "at compile time where the event type is known).");

    private void ReleaseSlow()
    {
        var state = _state!;
        _state = null;
        state.DisposeScope();
    }

    private void CompleteSlow(Type eventType)
    {
        var state = _state!;
        _state = null;
        state.DisposeScope();
        if (state.Failures is { } failures)
            throw new HandlersFailedException(eventType, failures);
    }
}
