namespace Herald.Tests.Polymorphism;

public static class ShipmentTracker
{
    [Subscribe(Order = -1)]
    public static void Track(IShipmentEvent e) => e.Trace.Record("Herald.Tests.Polymorphism.ShipmentTracker.Track");

    [Subscribe]
    public static void Delay(ShipmentDelayed e) => e.Trace.Record("Herald.Tests.Polymorphism.ShipmentTracker.Delay");

    [Subscribe]
    public static void Log(ShipmentEvent e) => e.Trace.Record("Herald.Tests.Polymorphism.ShipmentTracker.Log");
}

internal sealed class ShipmentEscalation
{
    [Subscribe(Order = 1)]
    public void Escalate(ShipmentDelayed e) => e.Trace.Record("Herald.Tests.Polymorphism.ShipmentEscalation.Escalate");
}
