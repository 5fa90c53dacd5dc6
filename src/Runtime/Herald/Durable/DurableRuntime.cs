using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Durable;

/// <summary>
/// The durable side of one service provider: the log, its writer and the signal that wakes consumers. Created on
/// first use, so an app that publishes no durable event never opens a log.
/// </summary>
internal sealed class DurableRuntime : IAsyncDisposable, IDisposable
{
    private int _disposed;

    public DurableRuntime(IServiceProvider services, HeraldOptions options, ILoggerFactory? loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Log = (options.LogFactory ?? (static _ => new InMemoryEventLog()))(services);
        var deadLetterFile = new DeadLetterFile(options.DeadLetterFile ?? options.DefaultDeadLetterFile ?? "dead-letters.jsonl");
        DeadLetters = deadLetterFile;
        Writer = new LogWriter(Log, options, deadLetterFile, Signal, LoggerFactory.CreateLogger("Herald.LogWriter"));
    }

    public HeraldOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IEventLog Log { get; }

    public LogWriter Writer { get; }

    public LogSignal Signal { get; } = new();

    public DeadLetterFile DeadLetters { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
