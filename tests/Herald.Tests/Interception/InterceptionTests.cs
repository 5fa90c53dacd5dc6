using System.Reflection;
using Herald.Tests.Failures;
using Herald.Tests.Polymorphism;

namespace Herald.Tests.Interception;

/// <summary>
/// A publish site whose event type this assembly's table dispatches is intercepted (bound to the table's method); a
/// publish from generic code is not, and goes through the per-event slot. Both must run the same handlers, in the
/// same order, with the same failures. The rest of this suite runs intercepted here and through the slot in
/// Herald.Tests.WithoutInterceptors, which compiles the same files with interceptors off.
/// </summary>
public sealed class InterceptionTests
{
    private static readonly string[] DelayedHandlers =
    [
        "Herald.Tests.Polymorphism.ShipmentTracker.Track",
        "Herald.Tests.Polymorphism.ShipmentTracker.Delay",
        "Herald.Tests.Polymorphism.ShipmentTracker.Log",
        "Herald.Tests.Polymorphism.ShipmentEscalation.Escalate",
    ];

    [Fact]
    public void PublishSites_AreInterceptedWhereThePackageSwitchesInterceptorsOn()
    {
        // The generated interceptors: extension methods of IEventBus in the file-local class of Herald.Interceptors.g.cs.
        var interceptors = typeof(InterceptionTests).Assembly.GetTypes()
            .Where(t => t.Namespace == "Herald.Generated" && t.Name.EndsWith("__PublishInterceptors", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)))
            .ToList();

#if HERALD_INTERCEPTORS_OFF
        Assert.Empty(interceptors);
#else
        Assert.Contains(interceptors, m => m.GetParameters() is [{ ParameterType: var bus }, { ParameterType: var e }]
                                           && bus == typeof(IEventBus) && e == typeof(IShipmentEvent));
        Assert.All(interceptors, m => Assert.Equal(typeof(IEventBus), m.GetParameters()[0].ParameterType));
#endif
    }

    [Fact]
    public void Publish_OfInterfaceTypedEvent_RunsTheRuntimeTypesHandlers_InterceptedAndFromGenericCode()
    {
        using var host = TestHost.Create();
        var intercepted = new CallTrace();
        var generic = new CallTrace();
        IShipmentEvent first = new ShipmentDelayed(intercepted, 3);
        IShipmentEvent second = new ShipmentDelayed(generic, 3);

        host.Bus.Publish(first);
        GenericPublisher.Publish(host.Bus, second);

        Assert.Equal(DelayedHandlers, intercepted.Calls);
        Assert.Equal(DelayedHandlers, generic.Calls);
    }

    [Fact]
    public async Task PublishAsync_OfInterfaceTypedEvent_RunsTheRuntimeTypesHandlers_InterceptedAndFromGenericCode()
    {
        using var host = TestHost.Create();
        var intercepted = new CallTrace();
        var generic = new CallTrace();
        IShipmentEvent first = new ShipmentDelayed(intercepted, 3);
        IShipmentEvent second = new ShipmentDelayed(generic, 3);

        await host.Bus.PublishAsync(first);
        await GenericPublisher.PublishAsync(host.Bus, second);

        Assert.Equal(DelayedHandlers, intercepted.Calls);
        Assert.Equal(DelayedHandlers, generic.Calls);
    }

    [Fact]
    public void Publish_OfInterfaceTypedEventWhoseRuntimeTypeHasNoEntry_RunsTheInterfacesHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        IShipmentEvent e = new ShipmentSplit(trace, 2);

        host.Bus.Publish(e);

        Assert.Equal(
            ["Herald.Tests.Polymorphism.ShipmentTracker.Track", "Herald.Tests.Polymorphism.ShipmentTracker.Log"],
            trace.Calls);
    }

    [Fact]
    public void Publish_FromGenericCode_RunsTheSameHandlersAndFailuresAsTheInterceptedSite()
    {
        using var host = TestHost.Create();
        var failure = new InvalidOperationException("renderer down");
        var intercepted = new CallTrace().When("Herald.Tests.Failures.ReportPipeline.Render", () => throw failure);
        var generic = new CallTrace().When("Herald.Tests.Failures.ReportPipeline.Render", () => throw failure);

        var fromSite = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new ReportCompiled(intercepted)));
        var fromGeneric = Assert.Throws<HandlersFailedException>(() => GenericPublisher.Publish(host.Bus, new ReportCompiled(generic)));

        Assert.Equal(intercepted.Calls, generic.Calls);
        Assert.Equal(4, generic.Calls.Count);
        Assert.Equal(fromSite.Failures.Select(f => (f.Handler, f.Exception)), fromGeneric.Failures.Select(f => (f.Handler, f.Exception)));
    }

    [Fact]
    public async Task PublishAsync_FromGenericCode_StopsOnCancellationAsTheInterceptedSiteDoes()
    {
        using var host = TestHost.Create();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var fromSite = host.Bus.PublishAsync(new ReportCompiled(new CallTrace()), cancellation.Token);
        var fromGeneric = GenericPublisher.PublishAsync(host.Bus, new ReportCompiled(new CallTrace()), cancellation.Token);

        Assert.True(fromSite.IsCanceled);
        Assert.True(fromGeneric.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fromSite);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fromGeneric);
    }

    [Fact]
    public void Publish_NullEvent_ThrowsArgumentNullException_InterceptedAndFromGenericCode()
    {
        using var host = TestHost.Create();

        var fromSite = Assert.Throws<ArgumentNullException>(() => host.Bus.Publish((ReportCompiled)null!));
        var fromGeneric = Assert.Throws<ArgumentNullException>(() => GenericPublisher.Publish(host.Bus, (ReportCompiled)null!));

        Assert.Equal("event", fromSite.ParamName);
        Assert.Equal("event", fromGeneric.ParamName);
    }

    [Fact]
    public void Publish_OnNullBus_ThrowsNullReferenceException_AsTheInstanceCallDoes()
    {
        IEventBus bus = null!;

        Assert.Throws<NullReferenceException>(() => bus.Publish(new ReportCompiled(new CallTrace())));
        Assert.Throws<NullReferenceException>(() => GenericPublisher.Publish(bus, new ReportCompiled(new CallTrace())));
    }
}
