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

    [LoggerMessage(4, LogLevel.Error, "Durable consumer {Consumer} is behind retention in partition {Partition}.")]
    public static partial void BehindRetention(ILogger logger, Exception exception, string consumer, int partition);

    [LoggerMessage(5, LogLevel.Error, "Durable consumer {Consumer} could not read partition {Partition} of the log; retrying.")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string consumer, int partition);

    [LoggerMessage(6, LogLevel.Information, "{Consumer} handled {Event} {Id} at {Partition}/{Position}.")]
    public static partial void Handled(ILogger logger, string consumer, string @event, Guid id, int partition, long position);

    [LoggerMessage(7, LogLevel.Warning, "{Consumer} failed on {Event} {Id} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}.")]
    public static partial void HandlerRetry(ILogger logger, Exception exception, string consumer, string @event, Guid id, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(8, LogLevel.Error, "{Consumer} dead-lettered {Event} {Id} at {Partition}/{Position}: {Reason}.")]
    public static partial void DeadLettered(ILogger logger, Exception? exception, string consumer, string @event, Guid id, int partition, long position, string reason);

    [LoggerMessage(9, LogLevel.Information, "Retention removed {Count} event(s) from the log.")]
    public static partial void RetentionApplied(ILogger logger, long count);

    [LoggerMessage(10, LogLevel.Error, "Applying retention failed; trying again at the next interval.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Published {Event} {Id}.")]
    public static partial void Published(ILogger logger, string @event, Guid id);

    [LoggerMessage(12, LogLevel.Information, "{Member} took partition {Partition} of consumer {Consumer} (epoch {Epoch}).")]
    public static partial void LeaseAcquired(ILogger logger, string consumer, int partition, string member, long epoch);

    [LoggerMessage(13, LogLevel.Information, "{Member} released partition {Partition} of consumer {Consumer}.")]
    public static partial void LeaseReleased(ILogger logger, string consumer, int partition, string member);

    [LoggerMessage(14, LogLevel.Warning, "{Member} lost partition {Partition} of consumer {Consumer} (epoch {Epoch}): another member took it or its offset was moved; its uncommitted events go to the new owner.")]
    public static partial void LeaseLost(ILogger logger, string consumer, int partition, string member, long epoch);

    [LoggerMessage(15, LogLevel.Warning, "A commit of consumer {Consumer} in partition {Partition} was refused at epoch {Epoch}: the lease is no longer this member's.")]
    public static partial void LeaseLostOnCommit(ILogger logger, Exception exception, string consumer, int partition, long epoch);

    [LoggerMessage(16, LogLevel.Error, "Consumer {Consumer}: member {Member} could not renew its leases or rebalance; trying again.")]
    public static partial void GroupTickFailed(ILogger logger, Exception exception, string consumer, string member);

    [LoggerMessage(17, LogLevel.Warning, "Consumer {Consumer}: member {Member} could not release its leases on stop; they expire after the lease duration.")]
    public static partial void LeaveFailed(ILogger logger, Exception exception, string consumer, string member);

    [LoggerMessage(18, LogLevel.Critical, "The log writer did not stop within the shutdown timeout; {Count} queued event(s) go to the dead-letter file when its append returns.")]
    public static partial void WriterStuck(ILogger logger, int count);

    [LoggerMessage(19, LogLevel.Warning, "The durable observer {Observer} threw from {Method}; Herald goes on without it for this call.")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer, string method);
}
