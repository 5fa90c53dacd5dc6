namespace Herald.Testing;

/// <summary>A durable consumer's handlers completed for an event (its offset is committed with its batch, after this).</summary>
/// <typeparam name="TEvent">The type asked for in <see cref="HeraldTestHarness.Handled{TEvent}"/>.</typeparam>
/// <param name="Consumer">The consumer.</param>
/// <param name="Event">The event the handlers received.</param>
/// <param name="Envelope">The envelope as stored: id, type name, key, partition, position.</param>
/// <param name="Attempt">The attempt that succeeded: 1 unless earlier attempts failed.</param>
public sealed record HandledEvent<TEvent>(string Consumer, TEvent Event, EventEnvelope Envelope, int Attempt);
