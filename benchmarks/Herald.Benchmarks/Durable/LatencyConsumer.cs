namespace Herald.Benchmarks.Durable;

/// <summary>
/// The durable consumer of the latency run: it only notes when each probe reached it, so what is measured is Herald's
/// path from publish to handler (append, wake-up, read, handling transaction), not a handler's work.
/// </summary>
public sealed class LatencyConsumer(LatencyRecorder recorder)
{
    public const string Name = "bench-latency";

    [Subscribe(Consumer = Name)]
    public void Handle(LatencyProbe probe) => recorder.RecordHandled(probe.Sequence, probe.PublishedAt);

    [Subscribe(Consumer = Name)]
    public void Handle(BufferedLatencyProbe probe) => recorder.RecordHandled(probe.Sequence, probe.PublishedAt);
}
