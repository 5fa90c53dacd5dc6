namespace Herald.Tests.Cancellation;

/// <summary>Handlers that take the token and complete synchronously.</summary>
public sealed record ImportStarted(CallTrace Trace);

/// <summary>Synchronous handlers only, one taking a token: publishable with Publish.</summary>
public sealed record ImportLogged(CallTrace Trace);

/// <summary>A handler that really suspends first, then handlers that take the token.</summary>
public sealed record ImportAwaited(CallTrace Trace);
