using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// The one writer of the log. Publishers queue envelopes (a bounded queue: a full one makes them wait, it never
/// drops); the writer takes what is queued, up to <see cref="HeraldOptions.MaxBatchSize"/>, and commits it in one
/// append (group commit). <see cref="Durability.Persisted"/> publishers are released when their batch is committed.
/// A failing append is retried with backoff; what still fails goes to the dead-letter file, is counted and logged,
/// and its Persisted publishers get the exception.
/// </summary>
internal sealed class LogWriter : IAsyncDisposable
{
    private readonly IEventLog _log;
    private readonly HeraldOptions _options;
    private readonly DeadLetterFile _deadLetters;
    private readonly LogSignal _signal;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;
    private int _queued;

    public LogWriter(IEventLog log, HeraldOptions options, DeadLetterFile deadLetters, LogSignal signal, ILogger logger)
    {
        _log = log;
        _options = options;
        _deadLetters = deadLetters;
        _signal = signal;
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
        if (_queue.Writer.TryWrite(pending))
            return committed is null ? default : new ValueTask(committed.Task);
        return WaitForRoomAsync(pending, cancellationToken);
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
    /// Stops taking envelopes and writes what is queued, within <see cref="HeraldOptions.ShutdownTimeout"/>; what cannot
    /// be written in time goes to the dead-letter file.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete())
            return;
        var finished = await Task.WhenAny(_loop, Task.Delay(_options.ShutdownTimeout)).ConfigureAwait(false);
        if (finished == _loop)
            return;

        // The writer could not drain in time: keep what is left in the dead-letter file, not in memory.
        var left = new List<Pending>();
        while (_queue.Reader.TryRead(out var pending))
            left.Add(pending);
        if (left.Count == 0)
            return;
        var timeout = new TimeoutException($"Shutdown: {left.Count} queued event(s) could not be written within {_options.ShutdownTimeout}.");
        DeadLetter(left, "not written before shutdown", timeout, attempts: 0);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_options.MaxBatchSize);
        var envelopes = new List<EventEnvelope>(_options.MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            if (batch.Count == 0)
                continue;
            envelopes.Clear();
            foreach (var pending in batch)
                envelopes.Add(pending.Envelope);
            await CommitAsync(batch, envelopes).ConfigureAwait(false);
            Interlocked.Add(ref _queued, -batch.Count);
        }
    }

    private async Task CommitAsync(List<Pending> batch, List<EventEnvelope> envelopes)
    {
        using var activity = HeraldTelemetry.ActivitySource.StartActivity("herald append", ActivityKind.Producer);
        activity?.SetTag("herald.batch.size", batch.Count);
        var attempts = _options.AppendRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _log.AppendAsync(envelopes, CancellationToken.None).ConfigureAwait(false);
                HeraldTelemetry.Appended.Add(batch.Count);
                foreach (var pending in batch)
                    pending.Committed?.TrySetResult();
                _signal.Pulse();
                return;
            }
            catch (Exception exception) when (attempt < attempts)
            {
                HeraldTelemetry.AppendRetried.Add(1);
                HeraldLog.AppendRetry(_logger, exception, batch.Count, attempt, attempts);
                await Task.Delay(_options.AppendRetryDelay * Math.Pow(2, attempt - 1)).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                DeadLetter(batch, "append failed", exception, attempts);
                return;
            }
        }
    }

    private void DeadLetter(List<Pending> batch, string reason, Exception exception, int attempts)
    {
        var envelopes = batch.Select(p => p.Envelope).ToArray();
        try
        {
            _deadLetters.Write(envelopes, reason, exception, attempts);
            HeraldTelemetry.DeadLettered.Add(envelopes.Length);
            HeraldLog.AppendDeadLettered(_logger, exception, envelopes.Length, reason, _deadLetters.Path);
        }
        catch (Exception fileException)
        {
            // Last resort: the log is the only record left. Every id is in it so the events can be recovered.
            HeraldLog.AppendLost(_logger, new AggregateException(exception, fileException), envelopes.Length, reason, _deadLetters.Path, string.Join(", ", envelopes.Select(e => e.Id)));
        }
        foreach (var pending in batch)
            pending.Committed?.TrySetException(new EventAppendException(pending.Envelope, _deadLetters.Path, exception));
    }

    private void Published(EventEnvelope envelope)
    {
        HeraldTelemetry.Published.Add(1);
        if (_options.LogEvents)
            HeraldLog.Published(_logger, envelope.Type, envelope.Id);
    }

    private static InvalidOperationException ShuttingDown(Exception inner)
        => new("Herald is shutting down: the log writer takes no more events.", inner);

    // A struct: the queue stores it inline, so a Buffered publish allocates nothing here.
    private readonly record struct Pending(EventEnvelope Envelope, TaskCompletionSource? Committed);
}
