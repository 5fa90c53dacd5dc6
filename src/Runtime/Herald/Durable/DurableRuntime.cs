using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Durable;

/// <summary>
/// The durable side of one service provider: the log, its writer and the signal that wakes consumers. Created on
/// first use, so an app that publishes no durable event never opens a log. It owns the writer and the log and is the
/// only one that disposes them.
/// </summary>
internal sealed class DurableRuntime : IAsyncDisposable, IDisposable
{
    private readonly IDisposable? _notifications;
    private int _disposed;

    public DurableRuntime(IServiceProvider services, HeraldOptions options, ILoggerFactory? loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Log = (options.LogFactory ?? (_ => new InMemoryEventLog(options.Partitions ?? Partitioning.DefaultPartitions)))(services);
        if (options.Partitions is { } asked && asked != Log.Stream.Partitions)
        {
            var partitions = Log.Stream.Partitions;
            Log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new InvalidOperationException(
                $"HeraldOptions.Partitions is {asked}, but the {Log.Transport} log was created with {partitions} partitions. A log keeps the " +
                $"count it was created with (changing it would move keys between partitions): set Partitions to {partitions}, or leave it unset.");
        }
        Observers = new DurableObservers([.. services.GetServices<DurableObserver>()], LoggerFactory.CreateLogger("Herald.Observers"));
        // Consumers commit through this store, so observers see every committed offset; without observers it is the log's own.
        Checkpoints = Observers.Any ? new ObservedCheckpoints(Log.Checkpoints, Observers) : Log.Checkpoints;
        var deadLetterFile = new DeadLetterFile(options.DeadLetterFile ?? options.DefaultDeadLetterFile ?? "dead-letters.jsonl");
        DeadLetters = deadLetterFile;
        Writer = new LogWriter(Log, options, deadLetterFile, Signal, Observers, LoggerFactory.CreateLogger("Herald.LogWriter"));
        if (Log is IAppendNotifications notifications)
            _notifications = notifications.Subscribe(partition =>
            {
                if (partition < 0)
                    Signal.PulseAll();
                else
                    Signal.Pulse(partition);
            });
        HeraldTelemetry.Track(this);
    }

    public HeraldOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IEventLog Log { get; }

    public LogWriter Writer { get; }

    /// <summary>The registered <see cref="DurableObserver"/>s.</summary>
    public DurableObservers Observers { get; }

    /// <summary>The log's checkpoints as consumers commit through them (observed when there are observers).</summary>
    public ICheckpointStore Checkpoints { get; }

    public LogSignal Signal { get; } = new();

    public DeadLetterFile DeadLetters { get; }

    public TimeProvider Time => Options.TimeProvider;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        HeraldTelemetry.Untrack(this);
        _notifications?.Dispose();
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
