namespace Herald.Tests.Failures;

public static class ReportPipeline
{
    [Subscribe]
    public static void Collect(ReportCompiled e) => e.Trace.Record("Herald.Tests.Failures.ReportPipeline.Collect");

    [Subscribe]
    public static void Validate(ReportCompiled e) => e.Trace.Record("Herald.Tests.Failures.ReportPipeline.Validate");

    [Subscribe]
    public static void Render(ReportCompiled e) => e.Trace.Record("Herald.Tests.Failures.ReportPipeline.Render");

    [Subscribe]
    public static void Archive(ReportCompiled e) => e.Trace.Record("Herald.Tests.Failures.ReportPipeline.Archive");
}

public static class ExportPipeline
{
    [Subscribe]
    public static void Prepare(ExportRequested e) => e.Trace.Record("Herald.Tests.Failures.ExportPipeline.Prepare");

    /// <summary>Records (and fails, when arranged) before its first await: a failure here is a faulted, completed task.</summary>
    [Subscribe]
    public static async ValueTask Notify(ExportRequested e)
    {
        e.Trace.Record("Herald.Tests.Failures.ExportPipeline.Notify");
        await Task.Yield();
    }

    /// <summary>Records (and fails, when arranged) after a real suspension.</summary>
    [Subscribe]
    public static async Task Upload(ExportRequested e, CancellationToken ct)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Failures.ExportPipeline.Upload");
    }

    [Subscribe]
    public static void Close(ExportRequested e) => e.Trace.Record("Herald.Tests.Failures.ExportPipeline.Close");
}

public sealed class CheckoutValidator(DisposalProbe probe, InstanceLog log)
{
    [Subscribe]
    public void Validate(CheckoutAttempted e)
    {
        log.Add(this, probe);
        e.Trace.Record("Herald.Tests.Failures.CheckoutValidator.Validate");
    }
}

public static class CheckoutLedger
{
    [Subscribe(Order = 1)]
    public static void Note(CheckoutAttempted e) => e.Trace.Record("Herald.Tests.Failures.CheckoutLedger.Note");
}

public sealed class CheckoutConfirmer(DisposalProbe probe, InstanceLog log)
{
    [Subscribe]
    public async Task Confirm(CheckoutConfirmed e)
    {
        log.Add(this, probe);
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Failures.CheckoutConfirmer.Confirm");
    }
}
