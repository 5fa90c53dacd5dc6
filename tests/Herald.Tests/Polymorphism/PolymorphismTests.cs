namespace Herald.Tests.Polymorphism;

public sealed class PolymorphismTests
{
    private static readonly string[] DelayedHandlers =
    [
        "Herald.Tests.Polymorphism.ShipmentTracker.Track",        // interface, Order -1
        "Herald.Tests.Polymorphism.ShipmentTracker.Delay",        // own type, Order 0
        "Herald.Tests.Polymorphism.ShipmentTracker.Log",          // base class, Order 0, later in source
        "Herald.Tests.Polymorphism.ShipmentEscalation.Escalate",  // own type, Order 1
    ];

    private static readonly string[] BaseHandlers =
    [
        "Herald.Tests.Polymorphism.ShipmentTracker.Track",
        "Herald.Tests.Polymorphism.ShipmentTracker.Log",
    ];

    [Fact]
    public void Publish_DerivedEvent_ReachesBaseClassAndInterfaceHandlersMergedByOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new ShipmentDelayed(trace, 3));

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_BaseEvent_ReachesOnlyBaseClassAndInterfaceHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new ShipmentEvent(trace));

        Assert.Equal(BaseHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_DerivedEventThroughBaseStaticType_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        ShipmentEvent e = new ShipmentDelayed(trace, 3);

        host.Bus.Publish(e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_DerivedEventThroughHandledInterface_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        IShipmentEvent e = new ShipmentDelayed(trace, 3);

        host.Bus.Publish(e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_DerivedEventThroughUnhandledInterface_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        ICarrierNotice e = new ShipmentDelayed(trace, 3);

        host.Bus.Publish(e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_DerivedEventThroughBaseStaticType_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        ShipmentEvent e = new ShipmentDelayed(trace, 3);

        await host.Bus.PublishAsync(e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_DerivedEventThroughInterface_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        IShipmentEvent e = new ShipmentDelayed(trace, 3);

        await host.Bus.PublishAsync(e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public void TypedPublish_DerivedEventThroughBaseStaticType_ReachesRuntimeTypeHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        ShipmentEvent e = new ShipmentDelayed(trace, 3);

        HeraldDispatch.Publish(host.Bus, e);

        Assert.Equal(DelayedHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_DerivedEventWithoutOwnHandlersThroughBaseStaticType_ReachesBaseAndInterfaceHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        ShipmentEvent e = new ShipmentRerouted(trace, "Rotterdam");

        host.Bus.Publish(e);

        Assert.Equal(BaseHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_DerivedEventWithoutOwnHandlersThroughInterface_ReachesBaseAndInterfaceHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();
        IShipmentEvent e = new ShipmentRerouted(trace, "Rotterdam");

        host.Bus.Publish(e);

        Assert.Equal(BaseHandlers, trace.Calls);
    }

    [Fact]
    public void Publish_FromGenericCode_DerivedTypeTheGeneratorNeverSaw_ReachesBaseAndInterfaceHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        // The static type is ShipmentSplit itself (TEvent is inferred), which no generated table lists.
        GenericPublisher.Publish(host.Bus, new ShipmentSplit(trace, 2));

        Assert.Equal(BaseHandlers, trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_FromGenericCode_DerivedTypeTheGeneratorNeverSaw_ReachesBaseAndInterfaceHandlers()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await GenericPublisher.PublishAsync(host.Bus, new ShipmentSplit(trace, 2));

        Assert.Equal(BaseHandlers, trace.Calls);
    }
}
