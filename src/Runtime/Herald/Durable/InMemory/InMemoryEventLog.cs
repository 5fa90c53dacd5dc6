namespace Herald.Durable;

/// <summary>
/// An <see cref="IEventLog"/> in process memory: the semantics of a durable log (partitions, positions, offsets, the
/// inbox, leases and fencing, dead letters, retention) without persistence. For development and tests; everything is
/// gone when the process ends. Service providers that share one instance share one log (several members of a
/// consumer group in one process).
/// </summary>
public sealed class InMemoryEventLog : IEventLog, IRetentionPreview
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "InMemory";

    private readonly InMemoryStream _stream;
    private readonly InMemoryCheckpoints _checkpoints;
    private readonly InMemoryLeases _leases;
    private readonly InMemoryDeadLetters _deadLetters;

    /// <summary>Creates an empty log.</summary>
    /// <param name="partitions">The partition count (default <see cref="Partitioning.DefaultPartitions"/>).</param>
    public InMemoryEventLog(int partitions = Partitioning.DefaultPartitions)
    {
        Partitioning.ValidateCount(partitions, nameof(partitions));
        var gate = new Lock();
        _leases = new InMemoryLeases(gate, partitions);
        _deadLetters = new InMemoryDeadLetters(gate);
        _stream = new InMemoryStream(gate, partitions);
        _checkpoints = new InMemoryCheckpoints(gate, _leases, _deadLetters);
    }

    /// <inheritdoc />
    public string Transport => TransportName;

    /// <inheritdoc />
    public IEventStream Stream => _stream;

    /// <inheritdoc />
    public ICheckpointStore Checkpoints => _checkpoints;

    /// <inheritdoc />
    public ILeaseStore Leases => _leases;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    /// <remarks>
    /// Removes, across the whole log in append order, the envelopes beyond <see cref="RetentionPolicy.MaxEvents"/> and
    /// those before the first that occurred within <see cref="RetentionPolicy.MaxAge"/>, so each partition keeps an
    /// unbroken suffix; then the inbox marks that no retained envelope or dead letter with the same id needs.
    /// </remarks>
    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (policy.KeepsEverything)
            return ValueTask.FromResult(0L);
        var removed = _stream.Retain(policy, now);
        _checkpoints.ForgetMarks(_stream.RetainedIds(), _deadLetters.Ids());
        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RetentionCut>> PreviewRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_stream.Preview(policy, now));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
