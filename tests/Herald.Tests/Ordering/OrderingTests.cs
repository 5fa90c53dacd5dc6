namespace Herald.Tests.Ordering;

public sealed class OrderingTests
{
    private static readonly string[] PlannedOrder =
    [
        "Herald.Tests.Ordering.ReleaseDeployer.Prepare",    // int.MinValue
        "Herald.Tests.Ordering.ReleaseChecklist.Branch",    // -5, file A
        "Herald.Tests.Ordering.ReleaseNotes.Collect",       // -5, file A, later position
        "Herald.Tests.Ordering.ReleaseChecklist.Freeze",    // 0, file A
        "Herald.Tests.Ordering.ReleaseChecklist.Tag",       // 0, file A
        "Herald.Tests.Ordering.ReleaseNotes.Draft",         // 0, file A, later position
        "Herald.Tests.Ordering.ReleaseDeployer.Deploy",     // 0, file B
        "Herald.Tests.Ordering.ReleaseChecklist.Announce",  // 5, file A
        "Herald.Tests.Ordering.ReleaseDeployer.Verify",     // 5, file B
    ];

    private static readonly string[] ShippedOrder =
    [
        "Herald.Tests.Ordering.ReleaseChecklist.Mirror",    // -1, async (yields)
        "Herald.Tests.Ordering.ReleaseNotes.Share",         // 0, file A
        "Herald.Tests.Ordering.ReleaseDeployer.Roll",       // 0, file B, async (yields)
        "Herald.Tests.Ordering.ReleaseChecklist.Celebrate", // 1, Task completed synchronously
        "Herald.Tests.Ordering.ReleaseDeployer.Close",      // int.MaxValue
    ];

    [Fact]
    public void Publish_RunsEveryHandlerByOrderThenSourceOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new ReleasePlanned(trace, "1.0"));

        Assert.Equal(PlannedOrder, trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_RunsEveryHandlerByOrderThenSourceOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ReleasePlanned(trace, "1.0"));

        Assert.Equal(PlannedOrder, trace.Calls);
    }

    [Fact]
    public void TypedPublish_RunsHandlersInTheSameOrderAsTheBus()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        HeraldDispatch.Publish(host.Bus, new ReleasePlanned(trace, "1.0"));

        Assert.Equal(PlannedOrder, trace.Calls);
    }

    [Fact]
    public void Publish_RepeatedPublishes_KeepTheSameOrder()
    {
        using var host = TestHost.Create();
        var first = new CallTrace();
        var second = new CallTrace();

        host.Bus.Publish(new ReleasePlanned(first, "1.0"));
        host.Bus.Publish(new ReleasePlanned(second, "1.1"));

        Assert.Equal(PlannedOrder, first.Calls);
        Assert.Equal(PlannedOrder, second.Calls);
    }

    [Fact]
    public async Task PublishAsync_WithAsyncHandlers_RunsEveryHandlerInOrderAfterEachCompletes()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ReleaseShipped(trace, "2.0")).AsTask().WaitAsync(Signals.Timeout);

        Assert.Equal(ShippedOrder, trace.Calls);
    }
}
