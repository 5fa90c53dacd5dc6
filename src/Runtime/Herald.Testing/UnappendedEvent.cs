namespace Herald.Testing;

/// <summary>
/// A durable event the log writer could not append (after its retries, or at shutdown): it was written to the
/// dead-letter file instead, and no consumer receives it.
/// </summary>
/// <param name="Envelope">The envelope, without a position.</param>
/// <param name="Reason"><c>append failed</c>, or <c>not written before shutdown</c>.</param>
/// <param name="Exception">The last failure of the append.</param>
/// <param name="DeadLetterFile">The file the envelope was written to.</param>
public sealed record UnappendedEvent(EventEnvelope Envelope, string Reason, Exception Exception, string DeadLetterFile);
