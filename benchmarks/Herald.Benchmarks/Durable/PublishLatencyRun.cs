using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Herald.Durable;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// Publish-to-durable-consumer latency at a steady rate, on a SQLite file in a temporary folder, or with
/// <c>--postgres</c> / <c>--redis</c> on a server (a new schema or key prefix, removed at the end): not a
/// BenchmarkDotNet shape (a benchmark repeats one operation as fast as it can; this paces publishes and looks at the
/// distribution).
/// </summary>
/// <remarks>
/// <para>A pacer thread publishes <see cref="LatencyProbe"/> (Persisted) or <see cref="BufferedLatencyProbe"/> at
/// <c>--rate</c> events per second: every millisecond or so it publishes the events that are due, each without waiting
/// for the previous one to be acknowledged (so a slow commit delays only the events in it, and the rate holds). Each
/// probe carries the <see cref="Stopwatch"/> timestamp taken just before its <c>PublishAsync</c>. Recorded per event:
/// the <b>ack</b> latency (until its <c>PublishAsync</c> completed: for Persisted, its batch is committed) and the
/// <b>consumer</b> latency (until the durable consumer <see cref="LatencyConsumer"/> ran with it). The first
/// <c>--warmup</c> seconds are published the same way and left out of the figures.</para>
/// <para>Also printed: how far the pacer fell behind its schedule (if it did, events were published late and the
/// latencies are measured from when they were really published), the writer's commits, their mean batch size and their
/// duration (the <c>herald append</c> activity: the append's transaction, retries included), and the consumer's time per
/// delivery (Herald's <c>herald.handler.duration</c>: handling scope, handler, inbox mark and offset
/// commit), all read from Herald's own meter.</para>
/// </remarks>
internal static class PublishLatencyRun
{
    public const string Command = "latency";

    private const string Usage =
        "usage: latency [--rate <events/s>] [--seconds <measured seconds>] [--warmup <seconds>] [--buffered] [--partitions <count>] " +
        "[--postgres [<Npgsql connection string>] | --redis [<StackExchange.Redis configuration>]] (without a value, from HERALD_TEST_POSTGRES or HERALD_TEST_REDIS)";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = 10_000;
        var seconds = 10.0;
        var warmupSeconds = 2.0;
        var durability = Durability.Persisted;
        var partitions = Herald.Durable.Partitioning.DefaultPartitions;
        LatencyTransport? server = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres" or "--redis" when server is null:
                    var option = args[i];
                    var given = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                    try
                    {
                        server = option == "--postgres"
                            ? LatencyTransport.Postgres(given ?? Servers.BenchmarkServers.Postgres)
                            : LatencyTransport.Redis(given ?? Servers.BenchmarkServers.Redis);
                    }
                    catch (InvalidOperationException exception)
                    {
                        await Console.Error.WriteLineAsync(exception.Message);
                        return 2;
                    }
                    break;
                case "--rate" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out rate) && rate > 0:
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seconds) && seconds > 0:
                case "--warmup" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out warmupSeconds) && warmupSeconds >= 0:
                case "--partitions" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out partitions) && partitions > 0:
                    i++;
                    break;
                case "--buffered":
                    durability = Durability.Buffered;
                    break;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        var warmup = (int)(rate * warmupSeconds);
        var measured = (int)(rate * seconds);
        if (measured < 1)
        {
            await Console.Error.WriteLineAsync("--rate times --seconds must be at least one event.");
            return 2;
        }
        var folder = Directory.CreateTempSubdirectory("herald-latency-").FullName;
        var transport = server ?? LatencyTransport.Sqlite(folder);
        try
        {
            Console.WriteLine($"Herald publish-to-consumer latency: {durability}, {rate:N0} events/s, {seconds:0.#} s measured after {warmupSeconds:0.#} s warmup, {transport.Description}, {partitions} partition(s)");
            Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            // The baseline first, on a store of its own, so both run on the same machine minutes apart at most.
            LatencyRecorder baseline;
            string baselineName;
            using (var store = transport.CreateBaseline(partitions))
            {
                baselineName = store.Name;
                baseline = RawLatencyBaseline.Measure(store, rate, warmup + measured);
            }
            var result = await MeasureAsync(transport, rate, warmup, measured, durability, partitions) with { Baseline = baseline, BaselineName = baselineName };
            result.Print(Console.Out);
            return result.AllHandled ? 0 : 1;
        }
        finally
        {
            transport.Remove();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<LatencyResult> MeasureAsync(LatencyTransport transport, int rate, int warmup, int measured, Durability durability, int partitions)
    {
        var total = warmup + measured;
        var recorder = new LatencyRecorder(total);
        var publishedAt = new long[total];
        var pacerLag = new long[total];
        using var meter = new HeraldMeterReadings();

        var services = new ServiceCollection();
        services.AddSingleton(recorder);
        services.AddHerald(o =>
        {
            transport.Use(o);
            o.Partitions = partitions;
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        var consumers = provider.GetRequiredService<DurableConsumers>();
        await consumers.StartAsync(CancellationToken.None);
        try
        {
            var pending = new List<Task>();
            Exception? pacerFailure = null;
            var pacer = new Thread(() =>
            {
                try
                {
                    Pace(bus, recorder, rate, durability, publishedAt, pacerLag, pending, warmup, meter);
                }
                catch (Exception exception)
                {
                    pacerFailure = exception;
                }
            })
            {
                IsBackground = true,
                Name = "latency pacer",
            };
            pacer.Start();
            pacer.Join();
            if (pacerFailure is not null)
                throw new InvalidOperationException("Publishing failed.", pacerFailure);
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromMinutes(1));

            var allHandled = true;
            try
            {
                await recorder.AllHandled.WaitAsync(TimeSpan.FromMinutes(1));
            }
            catch (TimeoutException)
            {
                allHandled = false;
            }
            var readings = meter.Snapshot();
            return new LatencyResult(durability, rate, warmup, recorder, publishedAt, pacerLag, readings, allHandled);
        }
        finally
        {
            await consumers.StopAsync(CancellationToken.None);
        }
    }

    private static void Pace(
        IEventBus bus, LatencyRecorder recorder, int rate, Durability durability, long[] publishedAt, long[] pacerLag,
        List<Task> pending, int warmup, HeraldMeterReadings meter)
    {
        var ticksPerEvent = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < recorder.Total)
        {
            var due = (int)Math.Min(recorder.Total, ((Stopwatch.GetTimestamp() - start) / ticksPerEvent) + 1);
            for (; sent < due; sent++)
            {
                if (sent == warmup)
                    meter.Reset(); // the figures of the measured part only
                var now = Stopwatch.GetTimestamp();
                publishedAt[sent] = now;
                pacerLag[sent] = now - (start + (long)(sent * ticksPerEvent));
                var publish = durability == Durability.Persisted
                    ? bus.PublishAsync(new LatencyProbe(sent, now))
                    : bus.PublishAsync(new BufferedLatencyProbe(sent, now));
                if (publish.IsCompletedSuccessfully)
                    recorder.RecordAcknowledged(sent, Stopwatch.GetTimestamp() - now);
                else
                    pending.Add(AcknowledgedAsync(publish, recorder, sent, now));
            }
            if (sent < recorder.Total)
                Thread.Sleep(1);
        }
    }

    private static async Task AcknowledgedAsync(ValueTask publish, LatencyRecorder recorder, int sequence, long publishedAt)
    {
        await publish.ConfigureAwait(false);
        recorder.RecordAcknowledged(sequence, Stopwatch.GetTimestamp() - publishedAt);
    }

    /// <summary>
    /// Herald's own instruments, read while the run goes: commits (appended batches), deliveries and their duration
    /// (meter), and how long each writer commit took (the "herald append" activity, the only one sampled).
    /// </summary>
    private sealed class HeraldMeterReadings : IDisposable
    {
        private const string AppendActivity = "herald append";

        private readonly MeterListener _listener = new();
        private readonly ActivityListener _activities;
        private List<double> _commitMilliseconds = new(1 << 14);
        private readonly Lock _gate = new();
        private long _commits;
        private long _appended;
        private long _failedAttempts;
        private List<double> _deliveryMilliseconds = new(1 << 17);

        public HeraldMeterReadings()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HeraldTelemetry.Name
                    && instrument.Name is "herald.events.appended" or "herald.handler.duration" or "herald.events.failed")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                lock (_gate)
                {
                    if (instrument.Name == "herald.events.appended")
                    {
                        _commits++;
                        _appended += value;
                    }
                    else
                    {
                        _failedAttempts += value;
                    }
                }
            });
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
            {
                lock (_gate)
                    _deliveryMilliseconds.Add(value);
            });
            _listener.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == HeraldTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Name == AppendActivity ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName != AppendActivity)
                        return;
                    lock (_gate)
                        _commitMilliseconds.Add(activity.Duration.TotalMilliseconds);
                },
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public void Reset()
        {
            lock (_gate)
            {
                _commits = 0;
                _appended = 0;
                _failedAttempts = 0;
                _deliveryMilliseconds = new List<double>(_deliveryMilliseconds.Capacity);
                _commitMilliseconds = new List<double>(_commitMilliseconds.Capacity);
            }
        }

        public MeterSnapshot Snapshot()
        {
            lock (_gate)
                return new MeterSnapshot(_commits, _appended, _failedAttempts, [.. _deliveryMilliseconds], [.. _commitMilliseconds]);
        }

        public void Dispose()
        {
            _activities.Dispose();
            _listener.Dispose();
        }
    }

    private sealed record MeterSnapshot(long Commits, long Appended, long FailedAttempts, double[] DeliveryMilliseconds, double[] CommitMilliseconds);

    private sealed record LatencyResult(
        Durability Durability,
        int Rate,
        int Warmup,
        LatencyRecorder Recorder,
        long[] PublishedAt,
        long[] PacerLag,
        MeterSnapshot Meter,
        bool AllHandled)
    {
        /// <summary>The raw loop at the same pace on the same store (<see cref="RawLatencyBaseline"/>).</summary>
        public LatencyRecorder? Baseline { get; init; }

        /// <summary>The baseline's name in the output, for example <c>raw SQLite</c>.</summary>
        public string BaselineName { get; init; } = "raw";

        public void Print(TextWriter output)
        {
            var measured = Recorder.Total - Warmup;
            var window = Stopwatch.GetElapsedTime(PublishedAt[Warmup], PublishedAt[^1]).TotalSeconds;
            output.WriteLine();
            output.WriteLine($"published {measured:N0} events in {window:0.00} s: {measured / window:N0} events/s (asked {Rate:N0})");
            output.WriteLine($"handled by the consumer: {Recorder.HandledCount - Warmup:N0} of {measured:N0}" + (AllHandled ? string.Empty : " (gave up waiting after 1 min)"));
            output.WriteLine($"writer: {Meter.Commits:N0} commits, {(Meter.Commits == 0 ? 0 : (double)Meter.Appended / Meter.Commits):0.0} events per commit");
            output.WriteLine($"consumer: {Meter.DeliveryMilliseconds.Length:N0} deliveries, failed attempts {Meter.FailedAttempts:N0}");
            output.WriteLine($"GC over the whole process run: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2 collections, {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms paused in total");
            output.WriteLine();
            output.WriteLine("| latency (ms) | p50 | p90 | p99 | p99.9 | max |");
            output.WriteLine("|---|---|---|---|---|---|");
            output.WriteLine(Row($"publish to ack ({Durability})", Milliseconds(Recorder.Acknowledged[Warmup..])));
            output.WriteLine(Row("publish to durable consumer", Milliseconds(Recorder.Handled[Warmup..])));
            output.WriteLine(Row("writer time per commit", Meter.CommitMilliseconds));
            output.WriteLine(Row("consumer time per delivery", Meter.DeliveryMilliseconds));
            output.WriteLine(Row("pacer behind schedule", Array.ConvertAll(PacerLag[Warmup..], t => Math.Max(0, t) * 1000.0 / Stopwatch.Frequency)));
            if (Baseline is not null)
            {
                output.WriteLine(Row($"baseline: {BaselineName}, publish to commit", Milliseconds(Baseline.Acknowledged[Warmup..])));
                output.WriteLine(Row($"baseline: {BaselineName}, publish to reader", Milliseconds(Baseline.Handled[Warmup..])));
                output.WriteLine();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Herald / raw baseline at p50 and p99: ack {Ratio(Recorder.Acknowledged, Baseline.Acknowledged, 0.5):0.00}x and {Ratio(Recorder.Acknowledged, Baseline.Acknowledged, 0.99):0.00}x, consumer {Ratio(Recorder.Handled, Baseline.Handled, 0.5):0.00}x and {Ratio(Recorder.Handled, Baseline.Handled, 0.99):0.00}x"));
            }
            output.WriteLine();
            // Steady (the consumer keeps the pace, at some distance) or growing (it cannot keep up)?
            output.WriteLine("publish to durable consumer, p50 of each second (ms): " + string.Join(" ", PerSecond(Recorder.Handled)));
            output.WriteLine("publish to ack, p50 of each second (ms): " + string.Join(" ", PerSecond(Recorder.Acknowledged)));
        }

        private IEnumerable<string> PerSecond(ReadOnlySpan<long> ticks)
        {
            var seconds = new List<string>();
            for (var first = Warmup; first < Recorder.Total; first += Rate)
            {
                var values = Milliseconds(ticks[first..Math.Min(Recorder.Total, first + Rate)]);
                Array.Sort(values);
                seconds.Add(values.Length == 0 ? "-" : At(values, 0.5).ToString("0.0", CultureInfo.InvariantCulture));
            }
            return seconds;
        }

        private double Ratio(ReadOnlySpan<long> herald, ReadOnlySpan<long> baseline, double quantile)
        {
            var h = Milliseconds(herald[Warmup..]);
            var b = Milliseconds(baseline[Warmup..]);
            if (h.Length == 0 || b.Length == 0)
                return double.NaN;
            Array.Sort(h);
            Array.Sort(b);
            return At(h, quantile) / At(b, quantile);
        }

        // 0 marks an event that was never acknowledged or handled: left out.
        private static double[] Milliseconds(ReadOnlySpan<long> ticks)
        {
            var values = new List<double>(ticks.Length);
            foreach (var t in ticks)
            {
                if (t > 0)
                    values.Add(t * 1000.0 / Stopwatch.Frequency);
            }
            return [.. values];
        }

        private static string Row(string name, double[] values)
        {
            if (values.Length == 0)
                return $"| {name} | - | - | - | - | - |";
            Array.Sort(values);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {At(values, 0.50):0.00} | {At(values, 0.90):0.00} | {At(values, 0.99):0.00} | {At(values, 0.999):0.00} | {values[^1]:0.00} |");
        }

        // Nearest rank: the smallest value with at least that share of the values at or below it.
        private static double At(double[] sorted, double quantile)
            => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
