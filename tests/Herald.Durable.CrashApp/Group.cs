namespace Herald.Durable.CrashApp;

/// <summary>An event of the consumer-group tests: the <paramref name="Sequence"/>-th event of <paramref name="Key"/>.</summary>
[Event("crash.group-event-posted")]
public sealed record GroupEventPosted([property: PartitionKey] string Key, int Sequence);

/// <summary>Writes the app's lines to standard output, one at a time, flushed (the test reads them as they come).</summary>
public sealed class GroupOutput
{
    private readonly Lock _gate = new();

    public void Write(string line)
    {
        lock (_gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}

/// <summary>
/// The consumer "group": records every delivery as
/// <c>h &lt;pid&gt; &lt;partition&gt; &lt;position&gt; &lt;key&gt; &lt;sequence&gt; &lt;start ticks&gt; &lt;end ticks&gt;</c> (UTC ticks), so
/// the test can check exactly-once delivery, order per key, and that no two processes handled one partition at once.
/// </summary>
public sealed class GroupHandler(GroupOutput output)
{
    [Subscribe(Consumer = "group")]
    public void Handle(GroupEventPosted e)
    {
        var started = DateTime.UtcNow.Ticks;
        var envelope = DurableContext.Current!.Envelope;
        output.Write(FormattableString.Invariant(
            $"h {Environment.ProcessId} {envelope.Partition} {envelope.Position} {e.Key} {e.Sequence} {started} {DateTime.UtcNow.Ticks}"));
    }
}

/// <summary>Prints Herald's warnings and errors as <c>log &lt;level&gt; &lt;event id&gt; &lt;message&gt;</c> lines for the tests.</summary>
public sealed class LinesLoggerProvider(GroupOutput output) : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(output);

    public void Dispose()
    {
    }

    private sealed class Logger(GroupOutput output) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                output.Write($"log {logLevel} {eventId.Id} {formatter(state, exception).ReplaceLineEndings(" ")}");
        }
    }
}
