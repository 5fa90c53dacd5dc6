using System.Diagnostics.Metrics;
using Herald.Durable;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// Counts the log writer's commits and the events in them from Herald's meter (<c>herald.events.appended</c>: one
/// measurement per committed batch), so a throughput benchmark can print how large its group commits were.
/// </summary>
internal sealed class CommitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _commits;
    private long _events;

    public CommitCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HeraldTelemetry.Name && instrument.Name == "herald.events.appended")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _events, value);
        });
        _listener.Start();
    }

    /// <summary>Starts counting again.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _commits, 0);
        Interlocked.Exchange(ref _events, 0);
    }

    /// <summary>For example <c>312 commits, 64.1 events per commit</c>.</summary>
    public string Describe()
    {
        var commits = Interlocked.Read(ref _commits);
        var events = Interlocked.Read(ref _events);
        return $"{commits} commits, {(commits == 0 ? 0 : (double)events / commits):0.0} events per commit";
    }

    public void Dispose() => _listener.Dispose();
}
