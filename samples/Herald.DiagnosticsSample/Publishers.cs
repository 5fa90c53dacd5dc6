using Herald;

namespace Herald.DiagnosticsSample;

public static class Publishers
{
    // HER0006: ReportRequested has an async inline handler; this must be 'await bus.PublishAsync(...)'.
    public static void RequestReport(IEventBus bus) => bus.Publish(new ReportRequested("monthly"));

    // HER0008: nothing handles CacheWarmed.
    public static ValueTask WarmCache(IEventBus bus, CancellationToken ct) => bus.PublishAsync(new CacheWarmed("eu"), ct);
}
