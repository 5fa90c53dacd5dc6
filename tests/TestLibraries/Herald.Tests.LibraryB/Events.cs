using Herald.Tests.LibraryA;

namespace Herald.Tests.LibraryB;

/// <summary>Declared here; handled here and in the tests.</summary>
public sealed record PaymentReceived(CallTrace Trace, decimal Amount);
