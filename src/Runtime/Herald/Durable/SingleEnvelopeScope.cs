namespace Herald.Durable;

/// <summary>A scope of a batch of one: completing it commits the batch; disposing it disposes the batch.</summary>
internal sealed class SingleEnvelopeScope(IHandlingBatch batch, IHandlingScope scope) : IHandlingScope
{
    private bool _completed;

    public bool AlreadyHandled => scope.AlreadyHandled;

    public object? Transaction => scope.Transaction;

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
            throw new InvalidOperationException("This handling scope was already completed.");
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await batch.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await batch.DisposeAsync().ConfigureAwait(false);
        }
    }
}
