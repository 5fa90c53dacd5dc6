using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.Failures;

public sealed class ScopeDisposalOnFailureTests
{
    private const string Validate = "Herald.Tests.Failures.CheckoutValidator.Validate";
    private const string Note = "Herald.Tests.Failures.CheckoutLedger.Note";
    private const string Confirm = "Herald.Tests.Failures.CheckoutConfirmer.Confirm";

    [Fact]
    public void Publish_RunAll_ScopedHandlerFails_ScopeIsDisposed()
    {
        using var host = CreateHost(FailurePolicy.RunAll);
        var failure = new InvalidOperationException("card declined");
        var trace = new CallTrace().When(Validate, () => throw failure);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new CheckoutAttempted(trace)));

        Assert.Same(failure, Assert.Single(thrown.Failures).Exception);
        Assert.Equal([Validate, Note], trace.Calls);
        AssertScopeDisposed(host);
    }

    [Fact]
    public void Publish_StopOnFirst_ScopedHandlerFails_ScopeIsDisposed()
    {
        using var host = CreateHost(FailurePolicy.StopOnFirst);
        var failure = new InvalidOperationException("card declined");
        var trace = new CallTrace().When(Validate, () => throw failure);

        var thrown = Assert.Throws<InvalidOperationException>(() => host.Bus.Publish(new CheckoutAttempted(trace)));

        Assert.Same(failure, thrown);
        Assert.Equal([Validate], trace.Calls);
        AssertScopeDisposed(host);
    }

    [Fact]
    public void Publish_RunAll_LaterHandlerFails_ScopeOfEarlierScopedHandlerIsDisposed()
    {
        using var host = CreateHost(FailurePolicy.RunAll);
        var failure = new InvalidOperationException("ledger locked");
        var trace = new CallTrace().When(Note, () => throw failure);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new CheckoutAttempted(trace)));

        Assert.Equal(Note, Assert.Single(thrown.Failures).Handler);
        AssertScopeDisposed(host);
    }

    [Theory]
    [InlineData(FailurePolicy.RunAll)]
    [InlineData(FailurePolicy.StopOnFirst)]
    public async Task PublishAsync_SyncCompletion_ScopedHandlerFails_ScopeIsDisposed(FailurePolicy policy)
    {
        using var host = CreateHost(policy);
        var failure = new InvalidOperationException("card declined");
        var trace = new CallTrace().When(Validate, () => throw failure);

        var thrown = await Record.ExceptionAsync(() => host.Bus.PublishAsync(new CheckoutAttempted(trace)).AsTask());

        Assert.Same(failure, policy == FailurePolicy.RunAll ? Assert.IsType<HandlersFailedException>(thrown).InnerExceptions[0] : thrown);
        AssertScopeDisposed(host);
    }

    [Theory]
    [InlineData(FailurePolicy.RunAll)]
    [InlineData(FailurePolicy.StopOnFirst)]
    public async Task PublishAsync_ScopedHandlerFailsAfterSuspension_ScopeIsDisposed(FailurePolicy policy)
    {
        using var host = CreateHost(policy);
        var failure = new InvalidOperationException("confirmation lost");
        var trace = new CallTrace().When(Confirm, () => throw failure);

        var thrown = await Record.ExceptionAsync(
            () => host.Bus.PublishAsync(new CheckoutConfirmed(trace)).AsTask().WaitAsync(Signals.Timeout));

        Assert.Same(failure, policy == FailurePolicy.RunAll ? Assert.IsType<HandlersFailedException>(thrown).InnerExceptions[0] : thrown);
        Assert.Equal([Confirm], trace.Calls);
        AssertScopeDisposed(host);
    }

    private static TestHost CreateHost(FailurePolicy policy) => TestHost.Create(
        services => services
            .AddSingleton<InstanceLog>()
            .AddScoped<DisposalProbe>()
            .AddScoped<CheckoutValidator>()
            .AddScoped<CheckoutConfirmer>(),
        policy);

    private static void AssertScopeDisposed(TestHost host)
    {
        var entry = Assert.Single(host.Get<InstanceLog>().Entries);
        Assert.NotNull(entry.Dependency);
        Assert.True(entry.Dependency.IsDisposed);
    }
}
