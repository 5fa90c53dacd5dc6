namespace Herald.Testing;

/// <summary>An attempt of a durable consumer's handlers that threw.</summary>
/// <typeparam name="TEvent">The type asked for in <see cref="HeraldTestHarness.Failed{TEvent}"/>.</typeparam>
/// <param name="Consumer">The consumer.</param>
/// <param name="Event">The event the handlers received.</param>
/// <param name="Envelope">The envelope as stored: id, type name, key, partition, position.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="Exception">What the handler threw.</param>
/// <param name="WillRetry">True when another attempt follows; false when the event is dead-lettered next.</param>
public sealed record FailedAttempt<TEvent>(string Consumer, TEvent Event, EventEnvelope Envelope, int Attempt, Exception Exception, bool WillRetry);
