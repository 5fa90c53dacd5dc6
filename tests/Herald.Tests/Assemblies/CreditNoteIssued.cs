namespace Herald.Tests.Assemblies;

/// <summary>Declared here, implementing an interface that LibraryA handles.</summary>
public sealed record CreditNoteIssued(CallTrace Trace, string Number) : IBillingEvent;
