namespace Herald.Tests.Failures;

public sealed class FailurePolicyTests
{
    private const string Collect = "Herald.Tests.Failures.ReportPipeline.Collect";
    private const string Validate = "Herald.Tests.Failures.ReportPipeline.Validate";
    private const string Render = "Herald.Tests.Failures.ReportPipeline.Render";
    private const string Archive = "Herald.Tests.Failures.ReportPipeline.Archive";

    private const string Prepare = "Herald.Tests.Failures.ExportPipeline.Prepare";
    private const string Notify = "Herald.Tests.Failures.ExportPipeline.Notify";
    private const string Upload = "Herald.Tests.Failures.ExportPipeline.Upload";
    private const string Close = "Herald.Tests.Failures.ExportPipeline.Close";

    private readonly InvalidOperationException _first = new("first failure");
    private readonly FormatException _second = new("second failure");

    [Fact]
    public void Publish_RunAll_RunsEveryHandlerThenThrowsEveryFailureInOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace().When(Validate, () => throw _first).When(Archive, () => throw _second);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new ReportCompiled(trace)));

        Assert.Equal([Collect, Validate, Render, Archive], trace.Calls);
        AssertFailures(thrown, typeof(ReportCompiled), (Validate, _first), (Archive, _second));
        Assert.StartsWith(
            $"2 handlers of ReportCompiled failed: {Validate} (InvalidOperationException: first failure), {Archive} (FormatException: second failure)",
            thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_RunAll_OneFailure_ThrowsHandlersFailedExceptionWithIt()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace().When(Render, () => throw _first);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new ReportCompiled(trace)));

        Assert.Equal([Collect, Validate, Render, Archive], trace.Calls);
        AssertFailures(thrown, typeof(ReportCompiled), (Render, _first));
    }

    [Fact]
    public async Task Publish_RunAll_EveryHandlerFails_EachRunsOnceAndEveryFailureIsCollectedInOrder()
    {
        // The first failure leaves the handlers' single protected region; the rest run one by one after it.
        using var host = TestHost.Create();
        var failures = new Exception[] { new InvalidOperationException("1"), new FormatException("2"), new ArgumentException("3"), new TimeoutException("4") };
        var trace = new CallTrace()
            .When(Collect, () => throw failures[0]).When(Validate, () => throw failures[1])
            .When(Render, () => throw failures[2]).When(Archive, () => throw failures[3]);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new ReportCompiled(trace)));
        var thrownAsync = await Assert.ThrowsAsync<HandlersFailedException>(async () => await host.Bus.PublishAsync(new ReportCompiled(trace)));

        Assert.Equal([Collect, Validate, Render, Archive, Collect, Validate, Render, Archive], trace.Calls);
        AssertFailures(thrown, typeof(ReportCompiled), (Collect, failures[0]), (Validate, failures[1]), (Render, failures[2]), (Archive, failures[3]));
        AssertFailures(thrownAsync, typeof(ReportCompiled), (Collect, failures[0]), (Validate, failures[1]), (Render, failures[2]), (Archive, failures[3]));
    }

    [Fact]
    public async Task PublishAsync_SyncHandlers_CancelledAfterAFailure_StopsWithCancellationNotTheFailure()
    {
        // A failure moves the publish to the per-handler path; the token is still checked before each later handler.
        using var host = TestHost.Create();
        using var cancellation = new CancellationTokenSource();
        var trace = new CallTrace().When(Collect, () =>
        {
            cancellation.Cancel();
            throw _first;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await host.Bus.PublishAsync(new ReportCompiled(trace), cancellation.Token));

        Assert.Equal([Collect], trace.Calls);
    }

    [Fact]
    public void Publish_StopOnFirst_PropagatesTheOriginalExceptionAndSkipsTheRest()
    {
        using var host = TestHost.Create(failurePolicy: FailurePolicy.StopOnFirst);
        var trace = new CallTrace().When(Validate, () => throw _first).When(Archive, () => throw _second);

        var thrown = Assert.Throws<InvalidOperationException>(() => host.Bus.Publish(new ReportCompiled(trace)));

        Assert.Same(_first, thrown);
        Assert.Equal([Collect, Validate], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_SyncHandlers_RunAll_ReturnsFaultedTaskWithEveryFailureInOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace().When(Validate, () => throw _first).When(Archive, () => throw _second);

        var task = host.Bus.PublishAsync(new ReportCompiled(trace));

        Assert.True(task.IsFaulted);
        var thrown = await Assert.ThrowsAsync<HandlersFailedException>(() => task.AsTask());
        Assert.Equal([Collect, Validate, Render, Archive], trace.Calls);
        AssertFailures(thrown, typeof(ReportCompiled), (Validate, _first), (Archive, _second));
    }

    [Fact]
    public async Task PublishAsync_SyncHandlers_StopOnFirst_PropagatesTheOriginalExceptionAndSkipsTheRest()
    {
        using var host = TestHost.Create(failurePolicy: FailurePolicy.StopOnFirst);
        var trace = new CallTrace().When(Validate, () => throw _first).When(Archive, () => throw _second);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Bus.PublishAsync(new ReportCompiled(trace)).AsTask());

        Assert.Same(_first, thrown);
        Assert.Equal([Collect, Validate], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlers_RunAll_CollectsSynchronousAndLaterFailuresInOrder()
    {
        using var host = TestHost.Create();
        // Notify fails before its first await (a completed, faulted task); Close fails after Upload suspended.
        var trace = new CallTrace().When(Notify, () => throw _first).When(Close, () => throw _second);

        var thrown = await Assert.ThrowsAsync<HandlersFailedException>(
            () => host.Bus.PublishAsync(new ExportRequested(trace)).AsTask().WaitAsync(Signals.Timeout));

        Assert.Equal([Prepare, Notify, Upload, Close], trace.Calls);
        AssertFailures(thrown, typeof(ExportRequested), (Notify, _first), (Close, _second));
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlers_RunAll_CollectsAFailureAfterSuspension()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace().When(Upload, () => throw _first).When(Close, () => throw _second);

        var thrown = await Assert.ThrowsAsync<HandlersFailedException>(
            () => host.Bus.PublishAsync(new ExportRequested(trace)).AsTask().WaitAsync(Signals.Timeout));

        Assert.Equal([Prepare, Notify, Upload, Close], trace.Calls);
        AssertFailures(thrown, typeof(ExportRequested), (Upload, _first), (Close, _second));
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlers_StopOnFirst_FailureAfterSuspension_PropagatesOriginalAndSkipsTheRest()
    {
        using var host = TestHost.Create(failurePolicy: FailurePolicy.StopOnFirst);
        var trace = new CallTrace().When(Upload, () => throw _first).When(Close, () => throw _second);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => host.Bus.PublishAsync(new ExportRequested(trace)).AsTask().WaitAsync(Signals.Timeout));

        Assert.Same(_first, thrown);
        Assert.Equal([Prepare, Notify, Upload], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlers_StopOnFirst_SynchronousFailure_PropagatesOriginalAndSkipsTheRest()
    {
        using var host = TestHost.Create(failurePolicy: FailurePolicy.StopOnFirst);
        var trace = new CallTrace().When(Notify, () => throw _first);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => host.Bus.PublishAsync(new ExportRequested(trace)).AsTask().WaitAsync(Signals.Timeout));

        Assert.Same(_first, thrown);
        Assert.Equal([Prepare, Notify], trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_AsyncHandlers_NoFailure_Completes()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new ExportRequested(trace)).AsTask().WaitAsync(Signals.Timeout);

        Assert.Equal([Prepare, Notify, Upload, Close], trace.Calls);
    }

    private static void AssertFailures(HandlersFailedException thrown, Type eventType, params (string Handler, Exception Exception)[] expected)
    {
        Assert.Equal(eventType, thrown.EventType);
        Assert.Equal(expected.Select(f => f.Handler), thrown.Failures.Select(f => f.Handler));
        Assert.Equal(expected.Length, thrown.Failures.Count);
        Assert.Equal(expected.Length, thrown.InnerExceptions.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Same(expected[i].Exception, thrown.Failures[i].Exception);
            Assert.Same(expected[i].Exception, thrown.InnerExceptions[i]);
        }
    }
}
