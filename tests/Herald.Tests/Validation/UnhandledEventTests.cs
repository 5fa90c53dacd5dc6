namespace Herald.Tests.Validation;

public sealed class UnhandledEventTests
{
    [Fact]
    public void Publish_EventWithoutHandlers_DoesNothing()
    {
        using var host = TestHost.Create();

        var thrown = Record.Exception(() => host.Bus.Publish(new AccountArchived("acc-1")));

        Assert.Null(thrown);
    }

    [Fact]
    public void PublishAsync_EventWithoutHandlers_ReturnsCompletedTask()
    {
        using var host = TestHost.Create();

        var task = host.Bus.PublishAsync(new AccountArchived("acc-1"));

        Assert.True(task.IsCompletedSuccessfully);
    }

    [Fact]
    public void Publish_ValueTypeEventWithoutHandlers_DoesNothing()
    {
        using var host = TestHost.Create();

        var thrown = Record.Exception(() => host.Bus.Publish(new AccountPinged(1)));

        Assert.Null(thrown);
        Assert.True(host.Bus.PublishAsync(new AccountPinged(2)).IsCompletedSuccessfully);
    }

    [Fact]
    public void Publish_EventWithoutHandlers_LeavesOtherEventsHandlersUntouched()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new AccountArchived("acc-1"));
        host.Bus.Publish(new AccountClosed(trace));

        Assert.Equal(["Herald.Tests.Validation.AccountHandlers.Close"], trace.Calls);
    }
}
