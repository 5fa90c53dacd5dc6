using System.Runtime.CompilerServices;

namespace Herald.Tests.Allocation;

/// <summary>Runs after the parallel tests, alone, so the static counters of its handlers are its own.</summary>
[CollectionDefinition(nameof(ZeroAllocationTests), DisableParallelization = true)]
public sealed class ZeroAllocationCollection;

/// <summary>
/// A publish to synchronous handlers allocates nothing. Measured with GC.GetAllocatedBytesForCurrentThread, which
/// counts only this thread's allocations; each path is first run enough times for its static state to be
/// initialised and its code to be jitted, and the measuring loop is compiled fully optimised from its first call
/// so that on-stack replacement of the loop itself cannot allocate mid-measure.
/// </summary>
[Collection(nameof(ZeroAllocationTests))]
public sealed class ZeroAllocationTests
{
    private const int Publishes = 10_000;
    private const int WarmUpPublishes = 5_000;

    [Fact]
    public void Publish_ThroughBus_ToThreeSyncHandlers_AllocatesNothing()
    {
        using var host = TestHost.Create();
        var bus = host.Bus;
        var e = new MeterRead { Value = 1 };
        var recorder = host.Get<MeterRecorder>();
        MeasurePublish(bus, e, WarmUpPublishes);
        var (first, second, third) = (MeterCounters.ReadFirst, recorder.Reads, MeterCounters.ReadThird);

        var allocated = MeasurePublish(bus, e, Publishes);

        Assert.Equal(0, allocated);
        Assert.Equal(first + Publishes, MeterCounters.ReadFirst);
        Assert.Equal(second + Publishes, recorder.Reads);
        Assert.Equal(third + Publishes, MeterCounters.ReadThird);
    }

    [Fact]
    public void Publish_ThroughTypedDispatch_ToThreeSyncHandlers_AllocatesNothing()
    {
        using var host = TestHost.Create();
        var bus = host.Bus;
        var e = new MeterRead { Value = 1 };
        var recorder = host.Get<MeterRecorder>();
        MeasureTypedPublish(bus, e, WarmUpPublishes);
        var (first, second, third) = (MeterCounters.ReadFirst, recorder.Reads, MeterCounters.ReadThird);

        var allocated = MeasureTypedPublish(bus, e, Publishes);

        Assert.Equal(0, allocated);
        Assert.Equal(first + Publishes, MeterCounters.ReadFirst);
        Assert.Equal(second + Publishes, recorder.Reads);
        Assert.Equal(third + Publishes, MeterCounters.ReadThird);
    }

    [Fact]
    public void PublishAsync_ThroughBus_ToThreeSynchronouslyCompletingHandlers_AllocatesNothing()
    {
        using var host = TestHost.Create();
        var bus = host.Bus;
        var e = new MeterSynced { Value = 1 };
        var recorder = host.Get<MeterRecorder>();
        MeasurePublishAsync(bus, e, WarmUpPublishes);
        var (first, second, third) = (MeterCounters.SyncedFirst, recorder.Syncs, MeterCounters.SyncedThird);

        var allocated = MeasurePublishAsync(bus, e, Publishes);

        Assert.Equal(0, allocated);
        Assert.Equal(first + Publishes, MeterCounters.SyncedFirst);
        Assert.Equal(second + Publishes, recorder.Syncs);
        Assert.Equal(third + Publishes, MeterCounters.SyncedThird);
    }

    [Fact]
    public void PublishAsync_ThroughTypedDispatch_ToThreeSynchronouslyCompletingHandlers_AllocatesNothing()
    {
        using var host = TestHost.Create();
        var bus = host.Bus;
        var e = new MeterSynced { Value = 1 };
        var recorder = host.Get<MeterRecorder>();
        MeasureTypedPublishAsync(bus, e, WarmUpPublishes);
        var (first, second, third) = (MeterCounters.SyncedFirst, recorder.Syncs, MeterCounters.SyncedThird);

        var allocated = MeasureTypedPublishAsync(bus, e, Publishes);

        Assert.Equal(0, allocated);
        Assert.Equal(first + Publishes, MeterCounters.SyncedFirst);
        Assert.Equal(second + Publishes, recorder.Syncs);
        Assert.Equal(third + Publishes, MeterCounters.SyncedThird);
    }

    [Fact]
    public void PublishAsync_ThroughBus_ToThreeSyncHandlers_AllocatesNothing()
    {
        using var host = TestHost.Create();
        var bus = host.Bus;
        var e = new MeterRead { Value = 1 };
        var recorder = host.Get<MeterRecorder>();
        MeasurePublishAsync(bus, e, WarmUpPublishes);
        var (first, second, third) = (MeterCounters.ReadFirst, recorder.Reads, MeterCounters.ReadThird);

        var allocated = MeasurePublishAsync(bus, e, Publishes);

        Assert.Equal(0, allocated);
        Assert.Equal(first + Publishes, MeterCounters.ReadFirst);
        Assert.Equal(second + Publishes, recorder.Reads);
        Assert.Equal(third + Publishes, MeterCounters.ReadThird);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MeasurePublish(IEventBus bus, MeterRead e, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
            bus.Publish(e);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MeasureTypedPublish(IEventBus bus, MeterRead e, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
            HeraldDispatch.Publish(bus, e);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MeasurePublishAsync(IEventBus bus, MeterSynced e, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var task = bus.PublishAsync(e);
            if (!task.IsCompletedSuccessfully)
                throw new InvalidOperationException("A publish whose handlers complete synchronously returned a pending task.");
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MeasurePublishAsync(IEventBus bus, MeterRead e, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var task = bus.PublishAsync(e);
            if (!task.IsCompletedSuccessfully)
                throw new InvalidOperationException("A publish whose handlers complete synchronously returned a pending task.");
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MeasureTypedPublishAsync(IEventBus bus, MeterSynced e, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var task = HeraldDispatch.PublishAsync(bus, e);
            if (!task.IsCompletedSuccessfully)
                throw new InvalidOperationException("A publish whose handlers complete synchronously returned a pending task.");
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
