using Herald.Tests.LibraryB;

namespace Herald.Tests.Assemblies;

/// <summary>This assembly's handlers of events declared in LibraryA.</summary>
public static class InvoiceIssuedHandlers
{
    [Subscribe(Order = -10)]
    public static void Screen(InvoiceIssued e) => e.Trace.Record("Herald.Tests.Assemblies.InvoiceIssuedHandlers.Screen");

    [Subscribe]
    public static void Book(InvoiceIssued e) => e.Trace.Record("Herald.Tests.Assemblies.InvoiceIssuedHandlers.Book");

    [Subscribe(Order = 10)]
    public static void Follow(InvoiceIssued e) => e.Trace.Record("Herald.Tests.Assemblies.InvoiceIssuedHandlers.Follow");
}

internal sealed class RefundApprover
{
    [Subscribe]
    public void Approve(RefundRequested e) => e.Trace.Record("Herald.Tests.Assemblies.RefundApprover.Approve");
}

/// <summary>This assembly's handler of an event declared in LibraryB.</summary>
internal static class PaymentReconciler
{
    [Subscribe(Order = -1)]
    internal static void Reconcile(PaymentReceived e) => e.Trace.Record("Herald.Tests.Assemblies.PaymentReconciler.Reconcile");
}

public static class CreditNoteFiling
{
    [Subscribe]
    public static void File(CreditNoteIssued e) => e.Trace.Record("Herald.Tests.Assemblies.CreditNoteFiling.File");
}
