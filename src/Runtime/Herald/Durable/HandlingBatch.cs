using System.Data.Common;

namespace Herald.Durable;

/// <summary>
/// One consumer handling one read batch of one partition, under its lease: the bookkeeping every store shares. The
/// inbox is looked up once for the batch; a completed envelope's mark and the offset stay pending until
/// <see cref="CommitAsync"/> (or a dead letter, or a handler's transaction) writes them in one fenced
/// <see cref="ICheckpointStore.CommitAsync"/>. Used by one caller at a time; disposing it commits nothing.
/// </summary>
public sealed class HandlingBatch : IAsyncDisposable
{
    private readonly ICheckpointStore _store;
    private readonly HashSet<Guid> _handled;
    private readonly List<InboxMark> _pending = [];
    private HandlingScope? _current;
    private long _committedOffset;
    private long _offset;
    private bool _disposed;

    private HandlingBatch(ICheckpointStore store, LeaseToken lease, long committedOffset, HashSet<Guid> handled)
    {
        _store = store;
        Lease = lease;
        _committedOffset = committedOffset;
        _offset = committedOffset;
        _handled = handled;
    }

    /// <summary>The lease the batch is handled under.</summary>
    public LeaseToken Lease { get; }

    /// <summary>The offset the next commit writes: the furthest envelope completed, dead-lettered or advanced past.</summary>
    public long PendingOffset => _offset;

    /// <summary>Whether a commit would write anything (marks, or an offset beyond the committed one).</summary>
    public bool HasPending => _pending.Count > 0 || _offset != _committedOffset;

    /// <summary>How many completed envelopes wait for the next commit.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Opens the unit of work in which the lease's owner handles <paramref name="envelopes"/> (what one read of the
    /// lease's partition returned), starting from the committed offset <paramref name="committedOffset"/>: looks the
    /// batch up in the inbox once.
    /// </summary>
    /// <exception cref="ArgumentException">An envelope was not read from the lease's partition.</exception>
    public static async ValueTask<HandlingBatch> BeginAsync(
        ICheckpointStore store, LeaseToken lease, long committedOffset, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(envelopes);
        ArgumentOutOfRangeException.ThrowIfNegative(committedOffset);
        Check(lease, envelopes);
        var handled = envelopes.Count == 0
            ? []
            : new HashSet<Guid>(await store.FindHandledAsync(lease.Consumer, envelopes, cancellationToken).ConfigureAwait(false));
        return new HandlingBatch(store, lease, committedOffset, handled);
    }

    /// <summary>
    /// Opens the unit of work in which the lease's owner handles <paramref name="page"/>, a read of
    /// <see cref="IEventLog.ReadForConsumerAsync"/> that already looked the page up in the inbox, starting from the
    /// committed offset <paramref name="committedOffset"/>: no lookup of its own.
    /// </summary>
    /// <exception cref="LeaseLostException">The read saw the lease lost: the page must not be handled.</exception>
    /// <exception cref="ArgumentException">An envelope was not read from the lease's partition.</exception>
    public static HandlingBatch Begin(ICheckpointStore store, long committedOffset, ConsumerPage page)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegative(committedOffset);
        if (page.LeaseLost)
            throw new LeaseLostException(page.Lease);
        Check(page.Lease, page.Page.Envelopes);
        return new HandlingBatch(store, page.Lease, committedOffset, [.. page.Handled]);
    }

    /// <summary>
    /// Adds <paramref name="page"/>, the partition's next read through <see cref="IEventLog.ReadForConsumerAsync"/>
    /// under the batch's lease, to the batch, with the inbox marks that read found.
    /// </summary>
    /// <exception cref="LeaseLostException">The read saw the lease lost: the page must not be handled.</exception>
    /// <exception cref="ArgumentException">The page was read under another lease, or an envelope not from its partition.</exception>
    public void Include(ConsumerPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (page.Lease != Lease)
            throw new ArgumentException("The page was read under another lease than the batch's: read it under the batch's lease.", nameof(page));
        if (page.LeaseLost)
            throw new LeaseLostException(page.Lease);
        Check(Lease, page.Page.Envelopes);
        _handled.UnionWith(page.Handled);
    }

    /// <summary>
    /// Adds the envelopes of the partition's next read to the batch (looked up in the inbox), so that one commit covers
    /// several reads: a consumer that keeps up with a busy partition commits every
    /// <see cref="ConsumerOptions.CommitInterval"/> instead of after every small read.
    /// </summary>
    /// <exception cref="ArgumentException">An envelope was not read from the lease's partition.</exception>
    public async ValueTask IncludeAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Check(Lease, envelopes);
        if (envelopes.Count == 0)
            return;
        foreach (var id in await _store.FindHandledAsync(Lease.Consumer, envelopes, cancellationToken).ConfigureAwait(false))
            _handled.Add(id);
    }

    /// <summary>
    /// Opens the unit of work of <paramref name="envelope"/>, an envelope of the batch; envelopes are begun in batch
    /// order, one scope at a time (the previous one completed or disposed).
    /// </summary>
    public HandlingScope Begin(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
            throw new InvalidOperationException("The previous envelope's handling scope is still open: complete or dispose it first.");
        if (envelope.Partition != Lease.Partition || envelope.Position < 1)
            throw new ArgumentException($"The envelope was not read from partition {Lease.Partition}.", nameof(envelope));
        _current = new HandlingScope(this, envelope, _handled.Contains(envelope.Id));
        return _current;
    }

    /// <summary>
    /// Moves the pending offset to <paramref name="position"/> without a mark (events the consumer passes: not its
    /// own, or the rest of a read page's scanned range); written by the next commit. Never moves it backwards.
    /// </summary>
    public void Advance(long position)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _offset = Math.Max(_offset, position);
    }

    /// <summary>
    /// Commits every pending mark and the pending offset in one fenced transaction; writes nothing when nothing is
    /// pending. Call it before anything else moves this consumer's offset, and at the end of the batch.
    /// </summary>
    /// <exception cref="LeaseLostException">The lease was lost: nothing was written.</exception>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
            throw new InvalidOperationException("An envelope's handling scope is still open: complete or dispose it first.");
        if (!HasPending)
            return;
        await _store.CommitAsync(new ProgressCommit(Lease, _offset, [.. _pending]), cancellationToken).ConfigureAwait(false);
        Committed();
    }

    /// <summary>
    /// Dead-letters <paramref name="envelope"/> (an envelope of the batch, not being handled): the letter, the pending
    /// marks and the offset moved to the envelope commit together, fenced.
    /// </summary>
    /// <exception cref="LeaseLostException">The lease was lost: nothing was written.</exception>
    public async ValueTask DeadLetterAsync(EventEnvelope envelope, string reason, string? exception, int attempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
            throw new InvalidOperationException("An envelope's handling scope is still open: complete or dispose it first.");
        var offset = Math.Max(_offset, envelope.Position);
        var letter = new DeadLetter(0, Lease.Consumer, envelope, reason, exception, attempts, at);
        await _store.CommitAsync(new ProgressCommit(Lease, offset, [.. _pending], letter), cancellationToken).ConfigureAwait(false);
        _offset = offset;
        Committed();
    }

    private static void Check(LeaseToken lease, IReadOnlyList<EventEnvelope> envelopes)
    {
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is not { Position: >= 1 } envelope || envelope.Partition != lease.Partition)
                throw new ArgumentException(
                    $"The envelope at index {i} was not read from partition {lease.Partition}: handle envelopes read from the lease's partition.",
                    nameof(envelopes));
        }
    }

    /// <summary>Ends the batch; what was not committed is delivered again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        if (_current is { } current)
            await current.DisposeAsync().ConfigureAwait(false);
        _disposed = true;
        _pending.Clear();
    }

    internal void Completed(HandlingScope scope)
    {
        _current = null;
        _pending.Add(new InboxMark(scope.Envelope.Id, scope.Envelope.Position));
        _handled.Add(scope.Envelope.Id);
        _offset = Math.Max(_offset, scope.Envelope.Position);
    }

    internal async ValueTask CompleteInTransactionAsync(HandlingScope scope, IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        var offset = Math.Max(_offset, scope.Envelope.Position);
        InboxMark[] marks = [.. _pending, new InboxMark(scope.Envelope.Id, scope.Envelope.Position)];
        await _store.CommitAsync(new ProgressCommit(Lease, offset, marks, Transaction: transaction), cancellationToken).ConfigureAwait(false);
        _current = null;
        _handled.Add(scope.Envelope.Id);
        _offset = offset;
        Committed();
    }

    internal ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken)
        => _store.BeginTransactionAsync(cancellationToken);

    internal void Closed(HandlingScope scope)
    {
        if (_current == scope)
            _current = null;
    }

    private void Committed()
    {
        _pending.Clear();
        _committedOffset = _offset;
    }
}

/// <summary>
/// The unit of work of one envelope of a <see cref="HandlingBatch"/>. Disposing it without <see cref="CompleteAsync"/>
/// rolls back what was written through its transaction and adds no mark: the envelope is delivered again.
/// </summary>
public sealed class HandlingScope : IAsyncDisposable
{
    private readonly HandlingBatch _batch;
    private IStoreTransaction? _transaction;
    private bool _transactionOpened;
    private bool _done;

    internal HandlingScope(HandlingBatch batch, EventEnvelope envelope, bool alreadyHandled)
    {
        _batch = batch;
        Envelope = envelope;
        AlreadyHandled = alreadyHandled;
    }

    /// <summary>The envelope.</summary>
    public EventEnvelope Envelope { get; }

    /// <summary>
    /// The consumer's inbox already holds this envelope's id (committed before the batch began, or completed earlier in
    /// this batch): it was handled; complete without handling again.
    /// </summary>
    public bool AlreadyHandled { get; }

    /// <summary>
    /// The store's transaction for the handler's own writes, opened by the first call (where the store has one writer
    /// at a time, this waits for its write lock and holds it until the scope ends); null when the store has none.
    /// Completing the scope then commits the handler's writes with the inbox mark and the offset.
    /// </summary>
    public async ValueTask<DbTransaction?> GetTransactionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (!_transactionOpened)
        {
            _transaction = await _batch.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            _transactionOpened = true;
        }
        return _transaction?.Transaction;
    }

    /// <summary>
    /// Records the inbox mark and moves the pending offset to the envelope. When the transaction was opened, commits it
    /// now with the mark, the batch's earlier pending marks and the offset; otherwise the mark waits for the batch's
    /// commit.
    /// </summary>
    /// <exception cref="LeaseLostException">The handler's transaction could not commit because the lease was lost.</exception>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_done)
            throw new InvalidOperationException("This handling scope was already completed or disposed.");
        if (_transaction is { } transaction)
        {
            try
            {
                await _batch.CompleteInTransactionAsync(this, transaction, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _done = true;
                _transaction = null;
                await transaction.DisposeAsync().ConfigureAwait(false);
                _batch.Closed(this);
            }
            return;
        }
        _done = true;
        _batch.Completed(this);
    }

    /// <summary>Ends the scope; without <see cref="CompleteAsync"/> the handler's writes roll back and no mark is added.</summary>
    public async ValueTask DisposeAsync()
    {
        _done = true;
        var transaction = _transaction;
        _transaction = null;
        try
        {
            if (transaction is not null)
                await transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _batch.Closed(this);
        }
    }
}
