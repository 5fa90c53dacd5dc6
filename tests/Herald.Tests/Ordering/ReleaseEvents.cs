namespace Herald.Tests.Ordering;

public sealed record ReleasePlanned(CallTrace Trace, string Version);

public sealed record ReleaseShipped(CallTrace Trace, string Version);
