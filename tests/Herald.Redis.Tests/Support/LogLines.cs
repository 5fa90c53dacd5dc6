using Microsoft.Extensions.Logging;

namespace Herald.Redis.Tests.Support;

/// <summary>A logger provider that keeps every message (level, event id, text), and lets a test wait for one.</summary>
public sealed class LogLines : ILoggerProvider, ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, int EventId, string Message)> _lines = [];
    private readonly List<(Func<(LogLevel Level, int EventId, string Message), bool> Match, TaskCompletionSource Found)> _waiters = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Lines
    {
        get
        {
            lock (_gate)
                return [.. _lines];
        }
    }

    /// <summary>Completes when a line with <paramref name="eventId"/> (and holding <paramref name="text"/>) was (or is) logged.</summary>
    public async Task WaitForAsync(int eventId, TimeSpan timeout, string? text = null)
    {
        bool Match((LogLevel Level, int EventId, string Message) line)
            => line.EventId == eventId && (text is null || line.Message.Contains(text, StringComparison.Ordinal));
        TaskCompletionSource found;
        lock (_gate)
        {
            if (_lines.Exists(Match))
                return;
            found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Match, found));
        }
        try
        {
            await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No log line with event id {eventId} within {timeout}; lines: {string.Join(" | ", Lines.Select(l => $"{l.EventId} {l.Message}"))}");
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private void Add(LogLevel level, int eventId, string message)
    {
        lock (_gate)
        {
            var line = (level, eventId, message);
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToArray())
            {
                waiter.Found.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Logger(LogLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Add(logLevel, eventId.Id, formatter(state, exception));
    }
}
