using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>Herald's log messages (compile-time generated: no boxing, no parsing per call).</summary>
internal static partial class HeraldLog
{
    [LoggerMessage(1, LogLevel.Warning, "Appending {Count} event(s) failed (attempt {Attempt} of {Attempts}); retrying.")]
    public static partial void AppendRetry(ILogger logger, Exception exception, int count, int attempt, int attempts);

    [LoggerMessage(2, LogLevel.Error, "{Count} event(s) could not be appended ({Reason}) and were written to {DeadLetterFile}.")]
    public static partial void AppendDeadLettered(ILogger logger, Exception exception, int count, string reason, string deadLetterFile);

    [LoggerMessage(3, LogLevel.Critical, "{Count} event(s) could not be appended ({Reason}) NOR written to {DeadLetterFile}. Event ids: {Ids}")]
    public static partial void AppendLost(ILogger logger, Exception exception, int count, string reason, string deadLetterFile, string ids);

    [LoggerMessage(4, LogLevel.Error, "Durable consumer {Consumer} is behind retention.")]
    public static partial void BehindRetention(ILogger logger, Exception exception, string consumer);

    [LoggerMessage(5, LogLevel.Error, "Durable consumer {Consumer} could not read the log; retrying.")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string consumer);

    [LoggerMessage(6, LogLevel.Information, "{Consumer} handled {Event} {Id} at {Position}.")]
    public static partial void Handled(ILogger logger, string consumer, string @event, Guid id, long position);

    [LoggerMessage(7, LogLevel.Warning, "{Consumer} failed on {Event} {Id} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}.")]
    public static partial void HandlerRetry(ILogger logger, Exception exception, string consumer, string @event, Guid id, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(8, LogLevel.Error, "{Consumer} dead-lettered {Event} {Id} at position {Position}: {Reason}.")]
    public static partial void DeadLettered(ILogger logger, Exception? exception, string consumer, string @event, Guid id, long position, string reason);

    [LoggerMessage(9, LogLevel.Information, "Retention removed {Count} event(s) from the log.")]
    public static partial void RetentionApplied(ILogger logger, long count);

    [LoggerMessage(10, LogLevel.Error, "Applying retention failed; trying again at the next interval.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Published {Event} {Id}.")]
    public static partial void Published(ILogger logger, string @event, Guid id);
}
