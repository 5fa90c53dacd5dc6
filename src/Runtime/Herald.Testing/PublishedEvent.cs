namespace Herald.Testing;

/// <summary>An event published through <see cref="IEventBus"/>, as the harness recorded it.</summary>
/// <typeparam name="TEvent">The type asked for in <see cref="HeraldTestHarness.Published{TEvent}"/>.</typeparam>
/// <param name="Event">The event. For a publish the harness saw only on the durable side (a dead-letter replay, the typed
/// <c>HeraldDispatch</c> path) it is read back from the envelope's payload.</param>
/// <param name="Envelope">For a durable event, its envelope: id, type name, key, headers, and its partition and position
/// once the log writer appended it (0 and 0 before, and for an event written in the app's transaction); null for an
/// event without an <see cref="EventAttribute"/>, which only runs inline handlers.</param>
/// <param name="Enlisted">The envelope was written in the app's transaction (<c>bus.Enlist</c>): it exists only if that
/// transaction committed.</param>
/// <param name="Exception">What the publish threw (inline handlers failed: a <see cref="HandlersFailedException"/>; a
/// cancellation; ...); null when it succeeded or has not ended yet.</param>
public sealed record PublishedEvent<TEvent>(TEvent Event, EventEnvelope? Envelope, bool Enlisted, Exception? Exception);
