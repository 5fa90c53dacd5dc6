using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

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
        bus.Bus.Durable.Writer.Enqueue(envelope);
    }

    /// <summary>
    /// The durable half of <c>PublishAsync</c>: completes once the envelope is committed
    /// (<see cref="Durability.Persisted"/>) or queued (<see cref="Durability.Buffered"/>).
    /// </summary>
    public static ValueTask AppendAsync(IEventBus bus, EventEnvelope envelope, Durability durability, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus.Bus.Durable.Writer.AppendAsync(envelope, durability, cancellationToken);
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
