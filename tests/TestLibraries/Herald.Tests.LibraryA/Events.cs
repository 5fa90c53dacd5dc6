namespace Herald.Tests.LibraryA;

/// <summary>Declared here; handled here, in LibraryB and in the tests.</summary>
public sealed record InvoiceIssued(CallTrace Trace, string Number);

/// <summary>Declared here; handled only in LibraryB and in the tests.</summary>
public sealed record RefundRequested(CallTrace Trace, string Number);

/// <summary>An interface handled here; the tests declare an event that implements it.</summary>
public interface IBillingEvent
{
    /// <summary>The trace of the publish.</summary>
    CallTrace Trace { get; }
}
