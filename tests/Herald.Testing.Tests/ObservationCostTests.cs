using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Testing.Tests;

/// <summary>
/// Once a harness exists in a process, every event slot holds an observing dispatcher; a bus without observers in
/// that process still publishes without allocating (the forwarding costs a virtual call and a field read, no object).
/// Measured with GC.GetAllocatedBytesForCurrentThread after a warm-up, as tests/Herald.Tests' allocation tests do.
/// </summary>
public sealed class ObservationCostTests
{
    private const int Publishes = 10_000;

    [Fact]
    public void ABusWithoutObservers_InAProcessThatObserves_StillPublishesWithoutAllocating()
    {
        using var observed = new ServiceCollection().AddHerald().AddHeraldTestHarness().BuildServiceProvider();
        var harness = observed.GetRequiredService<HeraldTestHarness>();
        observed.GetRequiredService<IEventBus>().Publish(new CartViewed("observed"));
        Assert.Single(harness.Published<CartViewed>()); // the slots now hold observing dispatchers

        using var plain = new ServiceCollection().AddHerald().BuildServiceProvider();
        var bus = plain.GetRequiredService<IEventBus>();
        var view = new CartViewed("plain");
        Measure(bus, view, Publishes);

        var allocated = Measure(bus, view, Publishes);

        Assert.Equal(0, allocated);
        Assert.Single(harness.Published<CartViewed>()); // the other bus's publishes are not the harness's
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Measure(IEventBus bus, CartViewed view, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
            bus.Publish(view);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
