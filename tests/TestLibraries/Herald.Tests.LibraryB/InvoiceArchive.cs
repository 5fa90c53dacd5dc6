using Herald.Tests.LibraryA;

namespace Herald.Tests.LibraryB;

/// <summary>An internal static handler class of events declared in LibraryA.</summary>
internal static class InvoiceArchive
{
    [Subscribe]
    internal static void Store(InvoiceIssued e) => e.Trace.Record("Herald.Tests.LibraryB.InvoiceArchive.Store");

    [Subscribe]
    internal static void StoreRefund(RefundRequested e) => e.Trace.Record("Herald.Tests.LibraryB.InvoiceArchive.StoreRefund");
}
