namespace Herald.Tests.LibraryA;

/// <summary>An internal static handler class, of an interface: receives events of other assemblies that implement it.</summary>
internal static class BillingJournal
{
    [Subscribe]
    internal static void Write(IBillingEvent e) => e.Trace.Record("Herald.Tests.LibraryA.BillingJournal.Write");
}
