namespace Herald;

/// <summary>
/// Thrown by a publish under <see cref="FailurePolicy.RunAll"/> after every inline handler ran and at least one
/// of them failed. It carries every failure, in the order the handlers ran.
/// </summary>
public sealed class HandlersFailedException : AggregateException
{
    /// <summary>Creates the exception for the failures of one publish.</summary>
    /// <param name="eventType">The type of the published event.</param>
    /// <param name="failures">The failures, in handler order; at least one.</param>
    public HandlersFailedException(Type eventType, IReadOnlyList<HandlerFailure> failures)
        : base(BuildMessage(eventType, failures), failures.Select(f => f.Exception))
    {
        EventType = eventType;
        Failures = failures;
    }

    /// <summary>The type of the published event.</summary>
    public Type EventType { get; }

    /// <summary>Each failed handler with its exception, in the order the handlers ran.</summary>
    public IReadOnlyList<HandlerFailure> Failures { get; }

    private static string BuildMessage(Type eventType, IReadOnlyList<HandlerFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
            throw new ArgumentException("A HandlersFailedException needs at least one failure.", nameof(failures));

        var handlers = string.Join(", ", failures.Select(f => $"{f.Handler} ({f.Exception.GetType().Name}: {f.Exception.Message})"));
        return failures.Count == 1
            ? $"1 handler of {eventType.Name} failed: {handlers}"
            : $"{failures.Count} handlers of {eventType.Name} failed: {handlers}";
    }
}
