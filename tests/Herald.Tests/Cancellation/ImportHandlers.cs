namespace Herald.Tests.Cancellation;

public static class ImportSteps
{
    [Subscribe]
    public static void Begin(ImportStarted e, CancellationToken ct) => e.Trace.Record("Herald.Tests.Cancellation.ImportSteps.Begin", ct);

    [Subscribe]
    public static ValueTask Load(ImportStarted e, CancellationToken ct)
    {
        e.Trace.Record("Herald.Tests.Cancellation.ImportSteps.Load", ct);
        return ValueTask.CompletedTask;
    }

    [Subscribe]
    public static Task Finish(ImportStarted e, CancellationToken ct)
    {
        e.Trace.Record("Herald.Tests.Cancellation.ImportSteps.Finish", ct);
        return Task.CompletedTask;
    }

    [Subscribe]
    public static void Log(ImportLogged e, CancellationToken ct) => e.Trace.Record("Herald.Tests.Cancellation.ImportSteps.Log", ct);

    [Subscribe]
    public static void Count(ImportLogged e) => e.Trace.Record("Herald.Tests.Cancellation.ImportSteps.Count");
}

internal sealed class ImportWorker
{
    [Subscribe]
    public async Task Fetch(ImportAwaited e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Cancellation.ImportWorker.Fetch", ct);
    }

    [Subscribe]
    public void Parse(ImportAwaited e, CancellationToken ct) => e.Trace.Record("Herald.Tests.Cancellation.ImportWorker.Parse", ct);

    [Subscribe]
    public async ValueTask Store(ImportAwaited e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Cancellation.ImportWorker.Store", ct);
    }
}
