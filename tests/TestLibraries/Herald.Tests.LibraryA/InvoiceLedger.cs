namespace Herald.Tests.LibraryA;

/// <summary>A public static handler class.</summary>
public static class InvoiceLedger
{
    [Subscribe]
    public static void Post(InvoiceIssued e) => e.Trace.Record("Herald.Tests.LibraryA.InvoiceLedger.Post");

    [Subscribe(Order = 10)]
    public static void Reconcile(InvoiceIssued e) => e.Trace.Record("Herald.Tests.LibraryA.InvoiceLedger.Reconcile");
}
