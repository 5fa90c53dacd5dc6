namespace Herald.Tests.Ordering;

// Source order is file path, then position: this file's handlers come before ReleaseHandlersB.cs's at equal Order.

public static class ReleaseChecklist
{
    [Subscribe(Order = 5)]
    public static void Announce(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Announce");

    [Subscribe]
    public static void Freeze(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Freeze");

    [Subscribe(Order = -5)]
    public static void Branch(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Branch");

    [Subscribe]
    public static void Tag(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Tag");

    [Subscribe(Order = 1)]
    public static Task Celebrate(ReleaseShipped e)
    {
        e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Celebrate");
        return Task.CompletedTask;
    }

    [Subscribe(Order = -1)]
    public static async ValueTask Mirror(ReleaseShipped e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Ordering.ReleaseChecklist.Mirror");
    }
}

internal sealed class ReleaseNotes
{
    [Subscribe]
    public void Draft(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseNotes.Draft");

    [Subscribe(Order = -5)]
    public void Collect(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseNotes.Collect");

    [Subscribe]
    public void Share(ReleaseShipped e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseNotes.Share");
}
