using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.AsyncHandlers;

public sealed class AsyncCompletionTests
{
    private static readonly string[] PriceQuotedHandlers =
    [
        "Herald.Tests.AsyncHandlers.PriceDesk.Quote",
        "Herald.Tests.AsyncHandlers.PriceDesk.Check",
        "Herald.Tests.AsyncHandlers.PriceArchive.Store",
    ];

    private const string First = "Herald.Tests.AsyncHandlers.QuoteApprovalSteps.First";
    private const string Hold = "Herald.Tests.AsyncHandlers.QuoteApprovalHold.Hold";
    private const string Third = "Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Third";
    private const string Fourth = "Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Fourth";
    private const string Fifth = "Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Fifth";

    [Fact]
    public async Task PublishAsync_HandlersCompleteSynchronously_ReturnsCompletedTask()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        var task = host.Bus.PublishAsync(new PriceQuoted(trace));

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(PriceQuotedHandlers, trace.Calls);
        await task;
    }

    [Fact]
    public async Task TypedPublishAsync_HandlersCompleteSynchronously_ReturnsCompletedTask()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        var task = HeraldDispatch.PublishAsync(host.Bus, new PriceQuoted(trace));

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(PriceQuotedHandlers, trace.Calls);
        await task;
    }

    [Fact]
    public async Task PublishAsync_HandlerAwaitsSignal_LaterHandlersRunOnlyAfterItCompletesInOrder()
    {
        using var host = TestHost.Create(services => services.AddSingleton<AsyncGate>());
        var trace = new CallTrace();

        var task = host.Bus.PublishAsync(new QuoteApproved(trace));

        Assert.False(task.IsCompleted);
        Assert.Equal([First, Hold], trace.Calls);

        host.Get<AsyncGate>().Open();
        await task.AsTask().WaitAsync(Signals.Timeout);

        Assert.Equal([First, Hold, Third, Fourth, Fifth], trace.Calls);
    }
}
