namespace Herald.Testing;

/// <summary>
/// An event a durable consumer dead-lettered (its handlers kept failing, or the stored event could not be read): the
/// letter and the consumer's offset were committed together, and the consumer moved on.
/// </summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Envelope">The envelope as stored: id, type name, key, partition, position.</param>
/// <param name="Reason">Why, as stored with the letter (for example <c>the handler failed 3 time(s)</c>).</param>
/// <param name="Exception">The last exception; null when there was none (an unreadable or unknown event).</param>
/// <param name="Attempts">How many times the handlers were tried (0 when the event could not be read).</param>
public sealed record DeadLetteredEvent(string Consumer, EventEnvelope Envelope, string Reason, Exception? Exception, int Attempts);
