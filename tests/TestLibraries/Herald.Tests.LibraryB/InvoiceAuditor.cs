using Herald.Tests.LibraryA;

namespace Herald.Tests.LibraryB;

/// <summary>A public instance handler class of an event declared in LibraryA.</summary>
public sealed class InvoiceAuditor
{
    [Subscribe(Order = -10)]
    public void Check(InvoiceIssued e) => e.Trace.Record("Herald.Tests.LibraryB.InvoiceAuditor.Check");
}
