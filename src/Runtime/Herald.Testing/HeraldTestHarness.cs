using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Testing;

/// <summary>
/// Records what one service provider's Herald does, for an app's tests: the events published (inline and durable,
/// with their envelopes), what durable consumers handled, the attempts that failed, what they dead-lettered, and what
/// the log writer could not append; and waits, on signals, until the durable side is idle
/// (<see cref="WaitForIdleAsync"/>). Register it with <c>services.AddHeraldTestHarness()</c> next to <c>AddHerald</c>
/// (with <c>WebApplicationFactory</c>: in <c>ConfigureTestServices</c>), then resolve it from the provider.
/// </summary>
/// <remarks>
/// <para>Every list is a snapshot, in the order things happened; each query may be called from any thread at any time.
/// What is recorded is kept until <see cref="Clear"/> (or the provider's end).</para>
/// <para>Built on <see cref="PublishObserver"/> and <see cref="DurableObserver"/>: it sees every publish through
/// <see cref="IEventBus"/> and everything the provider's log writer and durable consumers do. It does not see the
/// generated typed path <c>HeraldDispatch.Publish(bus, e)</c> on the inline side (the durable side of such a publish
/// is recorded, with the event read back from its payload), nor what other processes do on a shared log.</para>
/// </remarks>
public sealed class HeraldTestHarness
{
    private readonly IServiceProvider _services;
    private readonly Lock _gate = new();
    private readonly AsyncLocal<PublishEntry?> _current = new();
    private readonly List<PublishEntry> _published = [];
    private readonly List<HandledEvent<object>> _handled = [];
    private readonly List<FailedAttempt<object>> _failed = [];
    private readonly List<DeadLetteredEvent> _deadLettered = [];
    private readonly List<UnappendedEvent> _unappended = [];
    private readonly Dictionary<Guid, PublishEntry> _awaitingAppend = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _sawDurable;

    internal HeraldTestHarness(IServiceProvider services) => _services = services;

    /// <summary>
    /// The events of type <typeparamref name="TEvent"/> (or derived from it) published through the bus, in the order
    /// their publishes began; <c>Published&lt;object&gt;()</c> gives every one.
    /// </summary>
    public IReadOnlyList<PublishedEvent<TEvent>> Published<TEvent>()
    {
        lock (_gate)
        {
            var result = new List<PublishedEvent<TEvent>>();
            foreach (var entry in _published)
            {
                if (entry.Event is TEvent @event)
                    result.Add(new PublishedEvent<TEvent>(@event, entry.Envelope, entry.Enlisted, entry.Exception));
            }
            return result;
        }
    }

    /// <summary>
    /// The events of type <typeparamref name="TEvent"/> that durable consumers handled (of <paramref name="consumer"/>
    /// only, when given), in the order they were handled. An event handled twice (redelivered after a crash, or
    /// replayed) appears twice.
    /// </summary>
    /// <param name="consumer">The consumer's name (<c>[Subscribe(Consumer = "...")]</c>); null for every consumer.</param>
    public IReadOnlyList<HandledEvent<TEvent>> Handled<TEvent>(string? consumer = null)
    {
        lock (_gate)
        {
            var result = new List<HandledEvent<TEvent>>();
            foreach (var handled in _handled)
            {
                if (handled.Event is TEvent @event && (consumer is null || handled.Consumer == consumer))
                    result.Add(new HandledEvent<TEvent>(handled.Consumer, @event, handled.Envelope, handled.Attempt));
            }
            return result;
        }
    }

    /// <summary>
    /// The attempts of durable consumers' handlers that threw for events of type <typeparamref name="TEvent"/> (of
    /// <paramref name="consumer"/> only, when given), in order. What inline handlers threw is on
    /// <see cref="PublishedEvent{TEvent}.Exception"/>.
    /// </summary>
    /// <param name="consumer">The consumer's name; null for every consumer.</param>
    public IReadOnlyList<FailedAttempt<TEvent>> Failed<TEvent>(string? consumer = null)
    {
        lock (_gate)
        {
            var result = new List<FailedAttempt<TEvent>>();
            foreach (var failed in _failed)
            {
                if (failed.Event is TEvent @event && (consumer is null || failed.Consumer == consumer))
                    result.Add(new FailedAttempt<TEvent>(failed.Consumer, @event, failed.Envelope, failed.Attempt, failed.Exception, failed.WillRetry));
            }
            return result;
        }
    }

    /// <summary>What durable consumers dead-lettered, in order.</summary>
    public IReadOnlyList<DeadLetteredEvent> DeadLettered
    {
        get
        {
            lock (_gate)
                return [.. _deadLettered];
        }
    }

    /// <summary>What the log writer could not append and wrote to its dead-letter file instead, in order.</summary>
    public IReadOnlyList<UnappendedEvent> Unappended
    {
        get
        {
            lock (_gate)
                return [.. _unappended];
        }
    }

    /// <summary>
    /// Forgets what was recorded so far (for a provider shared by several tests, such as a <c>WebApplicationFactory</c>
    /// fixture). Events still on their way to the log are still waited for by <see cref="WaitForIdleAsync"/>.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _published.Clear();
            _handled.Clear();
            _failed.Clear();
            _deadLettered.Clear();
            _unappended.Clear();
        }
    }

    /// <summary>
    /// Completes when Herald is idle: every durable event this provider published was appended (or written to the
    /// dead-letter file), the log writer's queue is empty, and every durable consumer has caught up: its committed
    /// offset is the last position of every partition of the log (a consumer passes events of other types too, so its
    /// offset reaches the end). It waits on what the writer and the consumers signal, and looks at the log only when
    /// something changed; it never sleeps.
    /// </summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">Herald was not idle within <paramref name="timeout"/>; the message names each
    /// consumer and partition that had not caught up (its offset against the partition's last position) and what the
    /// writer still held.</exception>
    public async Task WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var timer = new CancellationTokenSource(timeout);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        while (true)
        {
            Task changed;
            lock (_gate)
                changed = _changed.Task;
            var state = await IdleState.ReadAsync(this, cancellationToken).ConfigureAwait(false);
            if (state.IsIdle)
                return;
            try
            {
                await changed.WaitAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A last look: progress made by another process on a shared log sends no signal here.
                state = await IdleState.ReadAsync(this, cancellationToken).ConfigureAwait(false);
                if (state.IsIdle)
                    return;
                throw new TimeoutException(state.Describe(timeout));
            }
        }
    }

    internal IServiceProvider Services => _services;

    /// <summary>How many durable events this provider handed to its writer that were neither appended nor dead-lettered yet.</summary>
    internal int AwaitingAppend
    {
        get
        {
            lock (_gate)
                return _awaitingAppend.Count;
        }
    }

    internal bool SawDurable
    {
        get
        {
            lock (_gate)
                return _sawDurable;
        }
    }

    // The recording side, called by the two observers.

    internal void OnPublishing(object @event)
    {
        var entry = new PublishEntry(@event, _current.Value);
        lock (_gate)
            _published.Add(entry);
        _current.Value = entry;
    }

    internal void OnPublished(object @event, Exception? exception)
    {
        var entry = _current.Value;
        // Publishes nest (a handler that publishes): find this one, and restore the flow to the one around it.
        while (entry is not null && !ReferenceEquals(entry.Event, @event))
            entry = entry.Outer;
        if (entry is null)
            return;
        lock (_gate)
            entry.Exception = exception;
        _current.Value = entry.Outer;
        Pulse();
    }

    internal void OnDurablePublished(EventEnvelope envelope, bool enlisted)
    {
        var entry = _current.Value;
        lock (_gate)
        {
            _sawDurable = true;
            if (entry is null || entry.Envelope is not null || !Describes(envelope, entry.Event))
            {
                // Seen only here: a replay, the typed path, or a publish the inline observer did not see.
                entry = new PublishEntry(ReadEvent(envelope), outer: null);
                _published.Add(entry);
            }
            entry.Envelope = envelope;
            entry.Enlisted = enlisted;
            if (!enlisted)
                _awaitingAppend[envelope.Id] = entry;
        }
        Pulse();
    }

    internal void OnAppended(IReadOnlyList<EventEnvelope> envelopes)
    {
        lock (_gate)
        {
            foreach (var envelope in envelopes)
            {
                if (_awaitingAppend.Remove(envelope.Id, out var entry))
                    entry.Envelope = envelope;
            }
        }
        Pulse();
    }

    internal void OnAppendDeadLettered(IReadOnlyList<EventEnvelope> envelopes, string reason, Exception exception, string deadLetterFile)
    {
        lock (_gate)
        {
            foreach (var envelope in envelopes)
            {
                _awaitingAppend.Remove(envelope.Id);
                _unappended.Add(new UnappendedEvent(envelope, reason, exception, deadLetterFile));
            }
        }
        Pulse();
    }

    internal void OnHandled(string consumer, EventEnvelope envelope, object @event, int attempt)
    {
        lock (_gate)
            _handled.Add(new HandledEvent<object>(consumer, @event, envelope, attempt));
        Pulse();
    }

    internal void OnFailed(string consumer, EventEnvelope envelope, object @event, int attempt, Exception exception, bool willRetry)
    {
        lock (_gate)
            _failed.Add(new FailedAttempt<object>(consumer, @event, envelope, attempt, exception, willRetry));
        Pulse();
    }

    internal void OnDeadLettered(string consumer, EventEnvelope envelope, string reason, Exception? exception, int attempts)
    {
        lock (_gate)
            _deadLettered.Add(new DeadLetteredEvent(consumer, envelope, reason, exception, attempts));
        Pulse();
    }

    internal void OnCommitted() => Pulse();

    /// <summary>Wakes every <see cref="WaitForIdleAsync"/>: something changed, look again.</summary>
    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool Describes(EventEnvelope envelope, object? @event)
        => @event is not null
           && HeraldRegistry.DurableTypesByName.TryGetValue(envelope.Type, out var type)
           && type.ClrType.IsInstanceOfType(@event);

    private static object? ReadEvent(EventEnvelope envelope)
    {
        if (!HeraldRegistry.DurableTypesByName.TryGetValue(envelope.Type, out var type))
            return null;
        try
        {
            return type.Deserialize(envelope.Payload.Span);
        }
        catch (Exception)
        {
            return null; // recorded without its event; a consumer dead-letters such a payload with the reason
        }
    }

    private sealed class PublishEntry(object? @event, PublishEntry? outer)
    {
        public object? Event { get; } = @event;

        public PublishEntry? Outer { get; } = outer;

        public EventEnvelope? Envelope { get; set; }

        public bool Enlisted { get; set; }

        public Exception? Exception { get; set; }
    }
}
