namespace Herald.Tests.Failures;

/// <summary>Four synchronous handlers.</summary>
public sealed record ReportCompiled(CallTrace Trace);

/// <summary>Synchronous handlers around two asynchronous ones.</summary>
public sealed record ExportRequested(CallTrace Trace);

/// <summary>Handled by a class that the tests register as scoped, then by a static handler.</summary>
public sealed record CheckoutAttempted(CallTrace Trace);

/// <summary>Handled by a scoped class whose handler completes asynchronously.</summary>
public sealed record CheckoutConfirmed(CallTrace Trace);
