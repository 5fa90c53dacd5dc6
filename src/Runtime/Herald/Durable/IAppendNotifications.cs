namespace Herald.Durable;

/// <summary>
/// Implemented by a log that can tell this process when any process appended to it (PostgreSQL's LISTEN/NOTIFY, a
/// blocking read on Redis): Herald's consumers then wake at once instead of at their next poll
/// (<see cref="ConsumerOptions.PollInterval"/>). Appends made by this process's own log writer wake them without it.
/// Optional: a log without it is polled. A notification may be late, repeated or lost (the listening connection
/// dropped); polling stays as the fallback, so a lost one costs at most one poll interval.
/// </summary>
public interface IAppendNotifications
{
    /// <summary>
    /// Calls <paramref name="appended"/> with a partition each time events were appended to it (or with -1 when the
    /// partition is not known: every partition is then looked at), on any thread, until the returned registration is
    /// disposed. The callback must return quickly.
    /// </summary>
    IDisposable Subscribe(Action<int> appended);
}
