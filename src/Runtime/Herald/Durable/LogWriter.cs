using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// The one writer of the log in this process. Publishers queue envelopes (a bounded queue: a full one makes them wait,
/// it never drops); the write loop, the queue's only reader, takes what is queued, up to
/// <see cref="HeraldOptions.MaxBatchSize"/>, and commits it in one append (group commit).
/// <see cref="Durability.Persisted"/> publishers are released when their batch is committed. A failing append is
/// retried with backoff; what still fails goes to the dead-letter file, is counted and logged, and its Persisted
/// publishers get the exception. <see cref="DurableRuntime"/> owns it and is the only one that disposes it.
/// </summary>
internal sealed class LogWriter : IAsyncDisposable
{
    private readonly IEventLog _log;
    private readonly HeraldOptions _options;
    private readonly DeadLetterFile _deadLetters;
    private readonly LogSignal _signal;
    private readonly DurableObservers _observers;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _loop;
    private int _queued;
    private int _released; // Persisted publishers the last commit released (the write loop's own)

    public LogWriter(IEventLog log, HeraldOptions options, DeadLetterFile deadLetters, LogSignal signal, DurableObservers observers, ILogger logger)
    {
        _log = log;
        _options = options;
        _deadLetters = deadLetters;
        _signal = signal;
        _observers = observers;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Envelopes queued and not yet committed.</summary>
    public int QueueDepth => Volatile.Read(ref _queued);

    /// <summary>Queues an envelope as <see cref="Durability.Buffered"/>, waiting (blocking) for room when the queue is full.</summary>
    public void Enqueue(EventEnvelope envelope)
    {
        Published(envelope);
        var pending = new Pending(envelope, null);
        Interlocked.Increment(ref _queued);
        if (_observers.Any)
            _observers.Published(envelope, enlisted: false);
        if (_queue.Writer.TryWrite(pending))
            return;
        try
        {
            // Back-pressure on a synchronous publisher: wait for room rather than drop.
            _queue.Writer.WriteAsync(pending).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException exception)
        {
            Interlocked.Decrement(ref _queued);
            throw ShuttingDown(exception);
        }
    }

    /// <summary>Queues an envelope; completes when it is queued (Buffered) or committed (Persisted).</summary>
    public ValueTask AppendAsync(EventEnvelope envelope, Durability durability, CancellationToken cancellationToken)
    {
        Published(envelope);
        var committed = durability == Durability.Persisted
            ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
            : null;
        var pending = new Pending(envelope, committed);
        Interlocked.Increment(ref _queued);
        // Before the queue has it, so that observers always see an envelope published before it is appended (the loop
        // may commit it before this thread runs again).
        if (_observers.Any)
            _observers.Published(envelope, enlisted: false);
        if (_queue.Writer.TryWrite(pending))
            return committed is null ? default : new ValueTask(committed.Task);
        return WaitForRoomAsync(pending, cancellationToken);
    }

    /// <summary>
    /// Completes once every envelope queued before the call is committed (or dead-lettered); the writer keeps taking
    /// envelopes. Completes at once when the writer is shut down.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new Pending(null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        await marker.Committed!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WaitForRoomAsync(Pending pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException exception)
        {
            Interlocked.Decrement(ref _queued);
            throw ShuttingDown(exception);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _queued);
            throw;
        }
        if (pending.Committed is not null)
            await pending.Committed.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops taking envelopes and writes what is queued, within <see cref="HeraldOptions.ShutdownTimeout"/>; past it the
    /// write loop stops appending and puts what is left in the dead-letter file.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete())
        {
            await _loop.ConfigureAwait(false); // disposed already: wait for the first disposal's end
            return;
        }
        if (await Task.WhenAny(_loop, Task.Delay(_options.ShutdownTimeout)).ConfigureAwait(false) != _loop)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
            if (await Task.WhenAny(_loop, Task.Delay(_options.ShutdownTimeout)).ConfigureAwait(false) != _loop)
            {
                // The append in progress ignores cancellation: leave the loop (the queue's only reader) to dead-letter
                // the rest when it returns; the token source stays alive for it.
                HeraldLog.WriterStuck(_logger, QueueDepth);
                return;
            }
        }
        _abandon.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_options.MaxBatchSize);
        var envelopes = new List<EventEnvelope>(_options.MaxBatchSize);
        var markers = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            envelopes.Clear();
            markers.Clear();
            // Fewer envelopes than the Persisted publishers the last commit released: their continuations are queued on
            // the thread pool, and most publish again at once. One yield lets them queue before this commit, so the
            // publishers do not split into two groups whose commits alternate (64 publishers on PostgreSQL: 32 to 35
            // events per commit without it, 38 to 58 with it; benchmarks/README.md, "PostgreSQL and Redis"). A publisher
            // that does not publish again costs this one yield per commit. Yielding until nothing more came made the
            // batches larger (55 to 62) but the throughput no better: the publishers then prepare their next events
            // while the writer waits instead of while it commits.
            if (Take(batch, envelopes, markers) && batch.Count < _released && batch.Count < _options.MaxBatchSize)
            {
                await Task.Yield();
                Take(batch, envelopes, markers);
            }
            if (batch.Count > 0)
            {
                var outcome = _abandon.IsCancellationRequested
                    ? DeadLetter(batch, "not written before shutdown", new TimeoutException($"Shutdown: not written within {_options.ShutdownTimeout}."), attempts: 0)
                    : await CommitAsync(batch, envelopes).ConfigureAwait(false);
                Interlocked.Add(ref _queued, -batch.Count);
                // After the count dropped: an observer that waits for an empty queue reads it as it now is.
                if (_observers.Any)
                    Report(envelopes, outcome);
            }
            foreach (var marker in markers)
                marker.TrySetResult();
        }
    }

    /// <summary>Takes what is queued into the batch, up to its size or a flush marker; false after a marker.</summary>
    private bool Take(List<Pending> batch, List<EventEnvelope> envelopes, List<TaskCompletionSource> markers)
    {
        while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var pending))
        {
            if (pending.Envelope is null)
            {
                markers.Add(pending.Committed!);
                return false; // a flush marker: commit what precedes it first
            }
            batch.Add(pending);
            envelopes.Add(pending.Envelope);
        }
        return true;
    }

    private void Report(List<EventEnvelope> envelopes, BatchOutcome outcome)
    {
        if (outcome.Positions is { } positions)
            _observers.Appended([.. envelopes.Select((envelope, i) => envelope.WithPosition(positions[i]))]);
        else
            _observers.AppendDeadLettered([.. envelopes], outcome.Reason!, outcome.Failure!, _deadLetters.Path);
    }

    private async Task<BatchOutcome> CommitAsync(List<Pending> batch, List<EventEnvelope> envelopes)
    {
        using var activity = HeraldTelemetry.ActivitySource.StartActivity("herald append", ActivityKind.Producer);
        activity?.SetTag("herald.batch.size", batch.Count);
        var attempts = _options.AppendRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var positions = await _log.Stream.AppendAsync(envelopes, _abandon.Token).ConfigureAwait(false);
                HeraldTelemetry.Appended.Add(batch.Count);
                var released = 0;
                foreach (var pending in batch)
                {
                    if (pending.Committed is { } committed)
                    {
                        committed.TrySetResult();
                        released++;
                    }
                }
                _released = released;
                _signal.Appended(envelopes, positions);
                return new BatchOutcome(positions, null, null);
            }
            catch (Exception exception) when (attempt < attempts && !_abandon.IsCancellationRequested)
            {
                HeraldTelemetry.AppendRetried.Add(1);
                HeraldLog.AppendRetry(_logger, exception, batch.Count, attempt, attempts);
                try
                {
                    await Task.Delay(_options.AppendRetryDelay * Math.Pow(2, attempt - 1), _abandon.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: the next attempt is not made; the batch goes to the file below.
                }
            }
            catch (Exception exception)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                return DeadLetter(batch, _abandon.IsCancellationRequested ? "not written before shutdown" : "append failed", exception, attempt);
            }
        }
    }

    private BatchOutcome DeadLetter(List<Pending> batch, string reason, Exception exception, int attempts)
    {
        var envelopes = batch.Select(p => p.Envelope!).ToArray();
        try
        {
            _deadLetters.Write(envelopes, reason, exception, attempts);
            HeraldTelemetry.DeadLettered.Add(envelopes.Length);
            HeraldTelemetry.AppendDeadLettered.Add(envelopes.Length);
            HeraldLog.AppendDeadLettered(_logger, exception, envelopes.Length, reason, _deadLetters.Path);
        }
        catch (Exception fileException)
        {
            // Last resort: the log is the only record left. Every id is in it so the events can be recovered.
            HeraldLog.AppendLost(_logger, new AggregateException(exception, fileException), envelopes.Length, reason, _deadLetters.Path, string.Join(", ", envelopes.Select(e => e.Id)));
        }
        foreach (var pending in batch)
            pending.Committed?.TrySetException(new EventAppendException(pending.Envelope!, _deadLetters.Path, exception));
        return new BatchOutcome(null, reason, exception);
    }

    private void Published(EventEnvelope envelope)
    {
        HeraldTelemetry.Published.Add(1);
        if (_options.LogEvents)
            HeraldLog.Published(_logger, envelope.Type, envelope.Id);
    }

    private static InvalidOperationException ShuttingDown(Exception inner)
        => new("Herald is shutting down: the log writer takes no more events.", inner);

    // A struct: the queue stores it inline, so a Buffered publish allocates nothing here. A null envelope is a flush
    // marker, completed when the loop reaches it.
    private readonly record struct Pending(EventEnvelope? Envelope, TaskCompletionSource? Committed);

    // What became of a batch: its positions when it was appended, else why it went to the dead-letter file.
    private readonly record struct BatchOutcome(IReadOnlyList<LogPosition>? Positions, string? Reason, Exception? Failure);
}
