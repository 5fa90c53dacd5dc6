using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Herald.Durable;

namespace Herald.Infrastructure;

/// <summary>
/// The durable half of a publish, called by generated dispatch code for event types that have an
/// <see cref="EventAttribute"/>: the event is serialized (and its size checked) before any inline handler runs, and
/// handed to the log writer after they all succeeded. Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableDispatch
{
    /// <summary>
    /// Serializes <paramref name="event"/> into a new envelope. Throws <see cref="PayloadTooLargeException"/> when the
    /// payload is over <see cref="HeraldOptions.MaxPayloadBytes"/>, before anything runs or is written.
    /// </summary>
    public static EventEnvelope Prepare<TEvent>(IEventBus bus, TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (s_joined.Value is { } joined && joined.Is(@event))
            return joined.Envelope;
        var type = DurableSlot<TEvent>.Type ?? throw new InvalidOperationException(
            $"{typeof(TEvent).FullName} has an [Event] name but no generated durable description was registered. " +
            "Make sure the assembly that declares it references the Herald package (its generator writes the description).");
        var options = bus.Bus.Options;

        var scratch = t_scratch ??= new SerializationScratch();
        scratch.Writer.Reset(scratch.Buffer);
        byte[] payload;
        try
        {
            type.Write(scratch.Writer, @event);
            scratch.Writer.Flush();
            if (scratch.Buffer.WrittenCount > options.MaxPayloadBytes)
                throw new PayloadTooLargeException(type.Name, scratch.Buffer.WrittenCount, options.MaxPayloadBytes);
            payload = scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            scratch.Release();
        }

        return new EventEnvelope(
            Guid.CreateVersion7(),
            type.Name,
            type.Version,
            DateTimeOffset.UtcNow,
            type.GetPartitionKey(@event),
            CurrentHeaders(),
            payload);
    }

    // The serialization buffer and writer of this thread, reused by every publish on it: the payload is copied out
    // (the envelope must own it), so only that copy is allocated per publish.
    [ThreadStatic]
    private static SerializationScratch? t_scratch;

    private sealed class SerializationScratch
    {
        // A buffer grown past this by a large payload is dropped rather than kept for the thread's lifetime.
        private const int KeptCapacity = 64 * 1024;

        public SerializationScratch() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; private set; } = new(256);

        // Reset to the current buffer before each use, which also clears the state a failed write left behind.
        public Utf8JsonWriter Writer { get; }

        public void Release()
        {
            if (Buffer.Capacity > KeptCapacity)
                Buffer = new ArrayBufferWriter<byte>(256);
            else
                Buffer.ResetWrittenCount();
        }
    }

    /// <summary>
    /// The durable half of a synchronous <c>Publish</c>: queues the envelope for the log writer (as
    /// <see cref="Durability.Buffered"/>), waiting for room when the queue is full.
    /// </summary>
    public static void Enqueue(IEventBus bus, EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (s_joined.Value is { } joined && ReferenceEquals(joined.Envelope, envelope))
            return; // a joined publish: the dispatcher that joined the tables appends it once, after every handler
        if (Enlistment.For(bus.Bus) is { } enlistment)
        {
            // A synchronous publish in an enlisted transaction: the append is one statement on the app's connection.
            enlistment.AppendAsync(envelope, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return;
        }
        bus.Bus.Durable.Writer.Enqueue(envelope);
    }

    /// <summary>
    /// The durable half of <c>PublishAsync</c>: completes once the envelope is committed
    /// (<see cref="Durability.Persisted"/>) or queued (<see cref="Durability.Buffered"/>).
    /// </summary>
    public static ValueTask AppendAsync(IEventBus bus, EventEnvelope envelope, Durability durability, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (s_joined.Value is { } joined && ReferenceEquals(joined.Envelope, envelope))
            return default; // a joined publish: appended once by the dispatcher that joined the tables
        if (Enlistment.For(bus.Bus) is { } enlistment)
            return enlistment.AppendAsync(envelope, cancellationToken);
        return bus.Bus.Durable.Writer.AppendAsync(envelope, durability, cancellationToken);
    }

    // Set while a CompositeDispatcher runs the tables of two assemblies that each append the same durable event: their
    // Prepare returns the envelope prepared once, and their append of it is skipped, so it is appended once.
    private static readonly AsyncLocal<Joined?> s_joined = new();

    /// <summary>
    /// Makes the dispatchers run inside the returned scope share <paramref name="envelope"/> for <paramref name="event"/>
    /// and leave its append to the caller.
    /// </summary>
    internal static JoinedScope Join<TEvent>(TEvent @event, EventEnvelope envelope)
    {
        var previous = s_joined.Value;
        s_joined.Value = new Joined<TEvent>(@event, envelope);
        return new JoinedScope(previous, active: true);
    }

    /// <summary>Ends a <see cref="Join"/>; the default value ends nothing.</summary>
    internal readonly struct JoinedScope(Joined? previous, bool active) : IDisposable
    {
        public void Dispose()
        {
            if (active)
                s_joined.Value = previous;
        }
    }

    internal abstract class Joined(EventEnvelope envelope)
    {
        public EventEnvelope Envelope { get; } = envelope;

        public abstract bool Is<TEvent>(TEvent @event);
    }

    private sealed class Joined<TJoined>(TJoined @event, EventEnvelope envelope) : Joined(envelope)
    {
        public override bool Is<TEvent>(TEvent other)
            => typeof(TEvent) == typeof(TJoined) && EqualityComparer<TEvent>.Default.Equals((TEvent)(object)@event!, other);
    }

    private static Dictionary<string, string>? CurrentHeaders()
    {
        var activity = Activity.Current;
        if (activity is null)
            return null;
        var headers = new Dictionary<string, string>(3, StringComparer.Ordinal) { ["traceparent"] = activity.Id ?? string.Empty };
        if (activity.GetBaggageItem("correlation-id") is { } correlation)
            headers["correlation-id"] = correlation;
        if (activity.GetBaggageItem("causation-id") is { } causation)
            headers["causation-id"] = causation;
        return headers;
    }
}
