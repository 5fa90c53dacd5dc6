namespace Herald.Tests.Ordering;

public sealed class ReleaseDeployer
{
    [Subscribe]
    public void Deploy(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseDeployer.Deploy");

    [Subscribe(Order = int.MinValue)]
    public void Prepare(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseDeployer.Prepare");

    [Subscribe(Order = 5)]
    public void Verify(ReleasePlanned e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseDeployer.Verify");

    [Subscribe]
    public async Task Roll(ReleaseShipped e)
    {
        await Task.Yield();
        e.Trace.Record("Herald.Tests.Ordering.ReleaseDeployer.Roll");
    }

    [Subscribe(Order = int.MaxValue)]
    public void Close(ReleaseShipped e) => e.Trace.Record("Herald.Tests.Ordering.ReleaseDeployer.Close");
}
