namespace Herald.Tests.AsyncHandlers;

public static class ThumbnailRenderer
{
    [Subscribe]
    public static void Log(ThumbnailRequested e) => e.Trace.Record("Herald.Tests.AsyncHandlers.ThumbnailRenderer.Log");

    [Subscribe]
    public static async Task Resize(ThumbnailRequested e)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.AsyncHandlers.ThumbnailRenderer.Resize");
    }

    [Subscribe]
    public static ValueTask Upload(ThumbnailRequested e, CancellationToken ct)
    {
        e.Trace.Record("Herald.Tests.AsyncHandlers.ThumbnailRenderer.Upload");
        return ValueTask.CompletedTask;
    }
}

public static class VideoCatalog
{
    [Subscribe]
    public static void Add(VideoUploaded e) => e.Trace.Record("Herald.Tests.AsyncHandlers.VideoCatalog.Add");
}

internal sealed class MediaIndexer
{
    [Subscribe]
    public async Task Index(IMediaEvent e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.AsyncHandlers.MediaIndexer.Index");
    }
}

public static class PriceDesk
{
    [Subscribe]
    public static void Quote(PriceQuoted e) => e.Trace.Record("Herald.Tests.AsyncHandlers.PriceDesk.Quote");

    [Subscribe]
    public static ValueTask Check(PriceQuoted e, CancellationToken ct)
    {
        e.Trace.Record("Herald.Tests.AsyncHandlers.PriceDesk.Check");
        return ValueTask.CompletedTask;
    }
}

internal sealed class PriceArchive
{
    [Subscribe]
    public Task Store(PriceQuoted e)
    {
        e.Trace.Record("Herald.Tests.AsyncHandlers.PriceArchive.Store");
        return Task.CompletedTask;
    }
}

public static class QuoteApprovalSteps
{
    [Subscribe(Order = 1)]
    public static void First(QuoteApproved e) => e.Trace.Record("Herald.Tests.AsyncHandlers.QuoteApprovalSteps.First");

    [Subscribe(Order = 3)]
    public static void Third(QuoteApproved e) => e.Trace.Record("Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Third");

    [Subscribe(Order = 4)]
    public static async ValueTask Fourth(QuoteApproved e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Fourth");
    }

    [Subscribe(Order = 5)]
    public static void Fifth(QuoteApproved e) => e.Trace.Record("Herald.Tests.AsyncHandlers.QuoteApprovalSteps.Fifth");
}

public sealed class QuoteApprovalHold(AsyncGate gate)
{
    [Subscribe(Order = 2)]
    public Task Hold(QuoteApproved e)
    {
        e.Trace.Record("Herald.Tests.AsyncHandlers.QuoteApprovalHold.Hold");
        return gate.Task;
    }
}
