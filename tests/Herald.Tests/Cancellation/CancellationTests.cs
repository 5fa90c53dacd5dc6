namespace Herald.Tests.Cancellation;

public sealed class CancellationTests
{
    private const string Begin = "Herald.Tests.Cancellation.ImportSteps.Begin";
    private const string Load = "Herald.Tests.Cancellation.ImportSteps.Load";
    private const string Finish = "Herald.Tests.Cancellation.ImportSteps.Finish";
    private const string Log = "Herald.Tests.Cancellation.ImportSteps.Log";
    private const string Count = "Herald.Tests.Cancellation.ImportSteps.Count";
    private const string Fetch = "Herald.Tests.Cancellation.ImportWorker.Fetch";
    private const string Parse = "Herald.Tests.Cancellation.ImportWorker.Parse";
    private const string Store = "Herald.Tests.Cancellation.ImportWorker.Store";

    [Fact]
    public async Task PublishAsync_AlreadyCancelledToken_ReturnsCanceledTaskAndRunsNoHandler()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var trace = new CallTrace();

        var task = host.Bus.PublishAsync(new ImportStarted(trace), cts.Token);

        Assert.True(task.IsCanceled);
        var thrown = await Assert.ThrowsAsync<TaskCanceledException>(() => task.AsTask());
        Assert.Equal(cts.Token, thrown.CancellationToken);
        Assert.Empty(trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_AlreadyCancelledToken_WithAsyncHandlers_RunsNoHandler()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var trace = new CallTrace();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Bus.PublishAsync(new ImportAwaited(trace), cts.Token).AsTask());

        Assert.Equal(cts.Token, thrown.CancellationToken);
        Assert.Empty(trace.Calls);
    }

    [Fact]
    public async Task TypedPublishAsync_AlreadyCancelledToken_RunsNoHandler()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var trace = new CallTrace();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => HeraldDispatch.PublishAsync(host.Bus, new ImportStarted(trace), cts.Token).AsTask());

        Assert.Equal(cts.Token, thrown.CancellationToken);
        Assert.Empty(trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_HandlersTakingAToken_ReceiveTheCallersToken()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ImportStarted(trace), cts.Token);

        Assert.Equal([(Begin, cts.Token), (Load, cts.Token), (Finish, cts.Token)], trace.Tokens);
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlersTakingAToken_ReceiveTheCallersTokenAfterSuspension()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ImportAwaited(trace), cts.Token).AsTask().WaitAsync(Signals.Timeout);

        Assert.Equal([(Fetch, cts.Token), (Parse, cts.Token), (Store, cts.Token)], trace.Tokens);
    }

    [Fact]
    public void Publish_HandlersTakingAToken_ReceiveNoToken()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new ImportLogged(trace));

        Assert.Equal([Log, Count], trace.Calls);
        Assert.Equal([(Log, CancellationToken.None)], trace.Tokens);
    }

    [Fact]
    public async Task PublishAsync_TokenCancelledByAHandler_StopsTheNextHandlersWithCancellation()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace().When(Load, cts.Cancel);

        var thrown = await Record.ExceptionAsync(() => host.Bus.PublishAsync(new ImportStarted(trace), cts.Token).AsTask());

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.Equal([Begin, Load], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_TokenCancelledByAHandlerAfterSuspension_StopsTheNextHandlersWithCancellation()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace().When(Fetch, cts.Cancel);

        var thrown = await Record.ExceptionAsync(
            () => host.Bus.PublishAsync(new ImportAwaited(trace), cts.Token).AsTask().WaitAsync(Signals.Timeout));

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.Equal([Fetch], trace.Calls);
    }

    [Theory]
    [InlineData(FailurePolicy.RunAll)]
    [InlineData(FailurePolicy.StopOnFirst)]
    public async Task PublishAsync_HandlerThrowsCancellationOfTheCallersToken_PropagatesItUnwrapped(FailurePolicy policy)
    {
        using var host = TestHost.Create(failurePolicy: policy);
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace().When(Begin, () =>
        {
            cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
        });

        var thrown = await Record.ExceptionAsync(() => host.Bus.PublishAsync(new ImportStarted(trace), cts.Token).AsTask());

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.Equal([Begin], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_RunAll_CancellationAfterAFailure_PropagatesCancellationNotHandlersFailed()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var trace = new CallTrace()
            .When(Begin, () => throw new InvalidOperationException("parse error"))
            .When(Load, cts.Cancel);

        var thrown = await Record.ExceptionAsync(() => host.Bus.PublishAsync(new ImportStarted(trace), cts.Token).AsTask());

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.Equal([Begin, Load], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_HandlerThrowsCancellationOfAnotherToken_IsAHandlerFailure()
    {
        using var host = TestHost.Create();
        using var cts = new CancellationTokenSource();
        var ownTimeout = new OperationCanceledException("the handler's own timeout");
        var trace = new CallTrace().When(Load, () => throw ownTimeout);

        var thrown = await Assert.ThrowsAsync<HandlersFailedException>(
            () => host.Bus.PublishAsync(new ImportStarted(trace), cts.Token).AsTask());

        var failure = Assert.Single(thrown.Failures);
        Assert.Equal(Load, failure.Handler);
        Assert.Same(ownTimeout, failure.Exception);
        Assert.Equal([Begin, Load, Finish], trace.Calls);
    }
}
