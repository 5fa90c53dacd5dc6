using System.Collections.Concurrent;
using System.Diagnostics;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// The baseline of the latency run, measured in the same run on a store of its own: what an app would write by hand to
/// store events at the same pace and read them back (<see cref="RawLatencyStore"/>: Microsoft.Data.Sqlite, Npgsql or
/// StackExchange.Redis, for the transport the run measures). The same pacer (every millisecond or so, the events that
/// are due), one writer thread that commits whatever arrived since its last commit as one write (at most 512 events),
/// and one reader thread that reads the new events after each commit on a connection of its own. Recorded per event
/// as for Herald: until its commit returned ("ack") and until the reader saw it ("consumer").
/// </summary>
/// <remarks>
/// What it leaves out and Herald does: envelopes and JSON serialization, the write gate and several concurrent
/// readers (one per partition), the consumers' inbox marks and offset commits, the checkpoint loop. What the two share:
/// the machine, the disk, the store and its settings. So the gap between the two rows is what Herald adds; the
/// baseline's own p99 is the floor this machine puts under any log on that store at this rate.
/// </remarks>
internal sealed class RawLatencyBaseline
{
    /// <summary>The most events one write commits (the log writer's largest batch).</summary>
    private const int MaxBatch = 512;

    private readonly LatencyRecorder _recorder;
    private readonly long[] _publishedAt;
    private readonly ConcurrentQueue<int> _queue = new();
    private readonly SemaphoreSlim _toWrite = new(0);
    private readonly SemaphoreSlim _toRead = new(0);
    private volatile bool _published;
    private Exception? _failure;

    private RawLatencyBaseline(int total)
    {
        _recorder = new LatencyRecorder(total);
        _publishedAt = new long[total];
    }

    /// <summary>Publishes <paramref name="total"/> events at <paramref name="rate"/> into <paramref name="store"/>.</summary>
    public static LatencyRecorder Measure(RawLatencyStore store, int rate, int total)
    {
        var run = new RawLatencyBaseline(total);
        var writer = new Thread(() => run.Guard(() => run.Write(store))) { IsBackground = true, Name = "raw writer" };
        var reader = new Thread(() => run.Guard(() => run.Read(store))) { IsBackground = true, Name = "raw reader" };
        writer.Start();
        reader.Start();
        run.Pace(rate);
        run._published = true;
        run._toWrite.Release();
        if (!writer.Join(TimeSpan.FromMinutes(1)) || !reader.Join(TimeSpan.FromMinutes(1)))
            throw new TimeoutException("The raw baseline did not finish within a minute of its last publish.");
        if (run._failure is not null)
            throw new InvalidOperationException("The raw baseline failed.", run._failure);
        return run._recorder;
    }

    private void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (Exception exception)
        {
            _failure ??= exception;
            _toRead.Release();
        }
    }

    private void Pace(int rate)
    {
        var ticksPerEvent = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < _recorder.Total && _failure is null)
        {
            var due = (int)Math.Min(_recorder.Total, ((Stopwatch.GetTimestamp() - start) / ticksPerEvent) + 1);
            for (; sent < due; sent++)
            {
                _publishedAt[sent] = Stopwatch.GetTimestamp();
                _queue.Enqueue(sent);
            }
            _toWrite.Release();
            if (sent < _recorder.Total)
                Thread.Sleep(1);
        }
    }

    private void Write(RawLatencyStore store)
    {
        var sequences = new List<int>(MaxBatch);
        var written = 0;
        while (written < _recorder.Total)
        {
            _toWrite.Wait();
            while (sequences.Count < MaxBatch && _queue.TryDequeue(out var sequence))
                sequences.Add(sequence);
            if (sequences.Count == 0)
            {
                if (_published && _queue.IsEmpty)
                    return;
                continue;
            }
            store.Write(sequences, _publishedAt);
            var now = Stopwatch.GetTimestamp();
            foreach (var sequence in sequences)
                _recorder.RecordAcknowledged(sequence, now - _publishedAt[sequence]);
            written += sequences.Count;
            sequences.Clear();
            _toRead.Release();
            if (!_queue.IsEmpty)
                _toWrite.Release(); // more arrived while this batch committed (or it was capped): go again at once
        }
    }

    private void Read(RawLatencyStore store)
    {
        var seen = 0;
        while (seen < _recorder.Total && _failure is null)
        {
            _toRead.Wait();
            store.ReadNew(sequence =>
            {
                seen++;
                _recorder.RecordHandled(sequence, _publishedAt[sequence]);
            });
        }
    }
}
