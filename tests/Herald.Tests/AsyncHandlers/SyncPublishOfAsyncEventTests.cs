namespace Herald.Tests.AsyncHandlers;

/// <summary>
/// Publish of an event with asynchronous handlers. Where the event type is known at compile time, HER0006 makes it
/// a compile error, so these tests publish from generic code, where only the run-time check remains.
/// </summary>
public sealed class SyncPublishOfAsyncEventTests
{
    [Fact]
    public void Publish_FromGenericCode_EventWithAsyncHandlers_ThrowsNamingThemAndRunsNoHandler()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        var thrown = Assert.Throws<InvalidOperationException>(() => GenericPublisher.Publish(host.Bus, new ThumbnailRequested(trace)));

        Assert.StartsWith(
            "ThumbnailRequested has asynchronous inline handlers (Herald.Tests.AsyncHandlers.ThumbnailRenderer.Resize, " +
            "Herald.Tests.AsyncHandlers.ThumbnailRenderer.Upload), so Publish cannot run them without blocking.",
            thrown.Message, StringComparison.Ordinal);
        Assert.Contains("PublishAsync", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(trace.Calls);
    }

    [Fact]
    public void Publish_FromGenericCode_EventWhoseInterfaceHasAnAsyncHandler_ThrowsNamingIt()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        var thrown = Assert.Throws<InvalidOperationException>(() => GenericPublisher.Publish(host.Bus, new VideoUploaded(trace)));

        Assert.StartsWith(
            "VideoUploaded has asynchronous inline handlers (Herald.Tests.AsyncHandlers.MediaIndexer.Index), so Publish",
            thrown.Message, StringComparison.Ordinal);
        Assert.Empty(trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_EventWithAsyncHandlers_RunsThemAll()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ThumbnailRequested(trace)).AsTask().WaitAsync(Signals.Timeout);

        Assert.Equal(
            [
                "Herald.Tests.AsyncHandlers.ThumbnailRenderer.Log",
                "Herald.Tests.AsyncHandlers.ThumbnailRenderer.Resize",
                "Herald.Tests.AsyncHandlers.ThumbnailRenderer.Upload",
            ],
            trace.Calls);
    }
}
