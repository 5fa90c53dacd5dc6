using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Herald.Durable;

/// <summary>
/// Herald's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Herald</c>: subscribe with OpenTelemetry
/// (<c>AddSource("Herald")</c>, <c>AddMeter("Herald")</c>) or any listener.
/// </summary>
public static class HeraldTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Herald";

    /// <summary>Traces: append batches and durable deliveries.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>The meter of every Herald instrument.</summary>
    public static Meter Meter { get; } = new(Name);

    internal static readonly Counter<long> Published = Meter.CreateCounter<long>("herald.events.published", "{event}", "Durable events handed to the log writer.");
    internal static readonly Counter<long> Appended = Meter.CreateCounter<long>("herald.events.appended", "{event}", "Durable events committed to the log.");
    internal static readonly Counter<long> AppendRetried = Meter.CreateCounter<long>("herald.append.retried", "{batch}", "Append attempts that failed and were retried.");
    internal static readonly Counter<long> Handled = Meter.CreateCounter<long>("herald.events.handled", "{event}", "Durable deliveries handled and committed.");
    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("herald.events.failed", "{attempt}", "Durable handler attempts that failed.");
    internal static readonly Counter<long> Retried = Meter.CreateCounter<long>("herald.events.retried", "{attempt}", "Durable handler attempts that are retried.");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("herald.events.dead_lettered", "{event}", "Events dead-lettered by a consumer or by the writer.");
    internal static readonly Counter<long> AppendDeadLettered = Meter.CreateCounter<long>("herald.append.dead_lettered", "{event}", "Events the log writer could not append and wrote to the dead-letter file.");
    internal static readonly Counter<long> LeaseChanges = Meter.CreateCounter<long>("herald.consumer.lease_changes", "{change}", "Partition leases acquired, released or lost by this process.");
    internal static readonly Counter<long> BehindRetention = Meter.CreateCounter<long>("herald.consumer.behind_retention", "{check}", "Times a consumer found its offset behind the log's retention.");
    internal static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("herald.handler.duration", "ms", "Duration of durable handler attempts.");

    // The observable instruments are created once per process and read whatever runtimes and group members are live.
    private static readonly ConcurrentDictionary<DurableRuntime, byte> s_runtimes = new();
    private static readonly ConcurrentDictionary<ConsumerGroupMember, byte> s_members = new();

    internal static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "herald.queue.depth", ObserveQueueDepth, "{event}", "Events queued for the log writer.");

    internal static readonly ObservableGauge<long> ConsumerLag = Meter.CreateObservableGauge(
        "herald.consumer.lag", ObserveLag, "{event}", "Events after a consumer's committed offset, per partition this process owns.");

    internal static void Track(DurableRuntime runtime) => s_runtimes.TryAdd(runtime, 0);

    internal static void Untrack(DurableRuntime runtime) => s_runtimes.TryRemove(runtime, out _);

    internal static void Track(ConsumerGroupMember member) => s_members.TryAdd(member, 0);

    internal static void Untrack(ConsumerGroupMember member) => s_members.TryRemove(member, out _);

    private static IEnumerable<Measurement<long>> ObserveQueueDepth()
        => [.. s_runtimes.Keys.Select(runtime => new Measurement<long>(runtime.Writer.QueueDepth, new KeyValuePair<string, object?>("transport", runtime.Log.Transport)))];

    private static IEnumerable<Measurement<long>> ObserveLag()
        => [.. s_members.Keys.SelectMany(member => member.Workers.Select(worker => new Measurement<long>(
            worker.Lag,
            new KeyValuePair<string, object?>("consumer", member.Consumer),
            new KeyValuePair<string, object?>("partition", worker.Partition))))];
}
