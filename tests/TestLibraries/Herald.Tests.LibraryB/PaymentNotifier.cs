namespace Herald.Tests.LibraryB;

/// <summary>An internal instance handler class of this library's own event.</summary>
internal sealed class PaymentNotifier
{
    [Subscribe]
    public void Notify(PaymentReceived e) => e.Trace.Record("Herald.Tests.LibraryB.PaymentNotifier.Notify");
}
