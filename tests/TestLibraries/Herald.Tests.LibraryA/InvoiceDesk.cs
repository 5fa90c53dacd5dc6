namespace Herald.Tests.LibraryA;

/// <summary>Library code that publishes: the bus must reach the handlers of the app that references this library.</summary>
public static class InvoiceDesk
{
    public static void Issue(IEventBus bus, InvoiceIssued invoice)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.Publish(invoice);
    }
}
