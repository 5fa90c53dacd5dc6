namespace Herald.Tests.LibraryA;

/// <summary>An internal instance handler class: resolved from the app's provider through LibraryA's exported wrapper.</summary>
internal sealed class InvoiceMailer
{
    [Subscribe]
    public void Send(InvoiceIssued e) => e.Trace.Record("Herald.Tests.LibraryA.InvoiceMailer.Send");
}
