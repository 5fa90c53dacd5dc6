namespace Herald;

/// <summary>An event that could not be appended or handled, kept with the reason so that nothing is lost silently.</summary>
/// <param name="Id">The dead letter's id in its store.</param>
/// <param name="Consumer">The durable consumer that gave up on it; null when the append itself failed.</param>
/// <param name="Envelope">The event.</param>
/// <param name="Reason">Why: the handler kept failing, the payload could not be read, the type is unknown, ...</param>
/// <param name="Exception">The last exception, as text; null when there was none.</param>
/// <param name="Attempts">How many times handling (or appending) was tried.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered (UTC).</param>
public sealed record DeadLetter(
    long Id,
    string? Consumer,
    EventEnvelope Envelope,
    string Reason,
    string? Exception,
    int Attempts,
    DateTimeOffset DeadLetteredAt);
