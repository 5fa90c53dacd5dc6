using System.Reflection;
using Herald;
using Herald.PackageSample;
using Microsoft.Extensions.DependencyInjection;

// Herald from its package: the handlers below are found by the packaged generator, which writes the dispatch
// table (and HeraldDispatch) into this assembly. Exits 1 when any handler did not run as expected.
var services = new ServiceCollection();
services.AddSingleton<Ledger>();
services.AddHerald();
await using var provider = services.BuildServiceProvider();
var bus = provider.GetRequiredService<IEventBus>();
var ledger = provider.GetRequiredService<Ledger>();

bus.Publish(new ParcelScanned("PX-1", "Lyon"));
await bus.PublishAsync(new ParcelDelivered("PX-1", "front desk"));
await HeraldDispatch.PublishAsync(bus, new ParcelDelivered("PX-2", "locker 4"));

var failures = 0;
try
{
    bus.Publish(new ParcelLost("PX-3"));
}
catch (HandlersFailedException ex)
{
    failures = ex.Failures.Count;
    ledger.Write($"failed: {string.Join(", ", ex.Failures.Select(f => f.Handler))}");
}

#if HERALD_CHECK_ANALYZER
// ParcelDelivered has an asynchronous handler, so the packaged analyzer must reject this line (HER0006).
bus.Publish(new ParcelDelivered("PX-9", "nowhere"));
#endif

string[] expected =
[
    "scanned PX-1 at Lyon",
    "tracking PX-1: scanned",
    "delivered PX-1 to front desk",
    "tracking PX-1: delivered",
    "delivered PX-2 to locker 4",
    "tracking PX-2: delivered",
    "tracking PX-3: lost",
    "failed: Herald.PackageSample.Claims.Open",
];
var actual = ledger.Entries;
foreach (var entry in actual)
    Console.WriteLine(entry);

if (!actual.SequenceEqual(expected) || failures != 1 || Statistics.ParcelEvents != 4)
{
    Console.WriteLine($"package sample: FAILED ({failures} failures, {Statistics.ParcelEvents} parcel events counted; expected 1 and 4), expected entries:");
    foreach (var entry in expected)
        Console.WriteLine($"  {entry}");
    return 1;
}

Console.WriteLine($"package sample: OK (Herald {typeof(IEventBus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}, {actual.Count} dispatches)");
return 0;

namespace Herald.PackageSample
{
    public interface IParcelEvent
    {
        string ParcelId { get; }
    }

    public sealed record ParcelScanned(string ParcelId, string Depot) : IParcelEvent;

    public sealed record ParcelDelivered(string ParcelId, string Recipient) : IParcelEvent;

    public sealed record ParcelLost(string ParcelId) : IParcelEvent;

    /// <summary>What the handlers did, in order.</summary>
    public sealed class Ledger
    {
        private readonly List<string> _entries = [];
        private readonly Lock _gate = new();

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_gate)
                    return [.. _entries];
            }
        }

        public void Write(string entry)
        {
            lock (_gate)
                _entries.Add(entry);
        }
    }

    public sealed class Depot(Ledger ledger)
    {
        [Subscribe(Order = -1)]
        public void OnScanned(ParcelScanned e) => ledger.Write($"scanned {e.ParcelId} at {e.Depot}");
    }

    public sealed class Couriers(Ledger ledger)
    {
        [Subscribe]
        public async ValueTask OnDelivered(ParcelDelivered e, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            ledger.Write($"delivered {e.ParcelId} to {e.Recipient}");
        }
    }

    /// <summary>An interface handler: every parcel event reaches it, after the handlers with lower Order.</summary>
    public sealed class Tracking(Ledger ledger)
    {
        [Subscribe(Order = 10)]
        public void OnParcelEvent(IParcelEvent e) => ledger.Write($"tracking {e.ParcelId}: {e switch
        {
            ParcelScanned => "scanned",
            ParcelDelivered => "delivered",
            ParcelLost => "lost",
            _ => "unknown",
        }}");
    }

    public static class Statistics
    {
        public static int ParcelEvents;

        [Subscribe]
        public static void Count(IParcelEvent e) => Interlocked.Increment(ref ParcelEvents);
    }

    public static class Claims
    {
        [Subscribe]
        public static void Open(ParcelLost e) => throw new InvalidOperationException($"no claim desk for {e.ParcelId}");
    }
}
