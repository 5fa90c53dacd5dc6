namespace Herald.Durable.Tests;

/// <summary>Durable consumer "billing": records each order; the test's <see cref="FaultPlan"/> can make it fail.</summary>
public sealed class Billing(DeliveryLog log, FaultPlan faults)
{
    [Subscribe(Consumer = "billing")]
    public Task Charge(OrderPlaced e, CancellationToken ct)
    {
        faults.Attempt("billing", e.OrderId);
        log.Record("billing", e);
        return Task.CompletedTask;
    }
}

/// <summary>Durable consumer "shipping".</summary>
public sealed class Shipping(DeliveryLog log)
{
    [Subscribe(Consumer = "shipping")]
    public void Ship(ParcelShipped e) => log.Record("shipping", e);
}

/// <summary>Durable consumer "audit".</summary>
public sealed class Auditor(DeliveryLog log)
{
    [Subscribe(Consumer = "audit")]
    public ValueTask Note(AuditNoted e, CancellationToken ct)
    {
        log.Record("audit", e);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Durable consumer "meters".</summary>
public sealed class MeterBook(DeliveryLog log)
{
    [Subscribe(Consumer = "meters")]
    public void Book(MeterRead e) => log.Record("meters", e);
}

/// <summary>
/// Durable consumer "visits": a handler class that depends on a scoped <see cref="VisitScope"/>; registered scoped by
/// the test that uses it, so each delivery gets a service scope (and a scope object) of its own.
/// </summary>
public sealed class VisitBook(VisitScope scope, DeliveryLog log)
{
    [Subscribe(Consumer = "visits")]
    public void Note(VisitNoted e)
    {
        scope.Touch();
        log.Record("visits", (e, scope.Id));
    }
}

/// <summary>A scoped dependency that knows when its scope ends.</summary>
public sealed class VisitScope : IDisposable
{
    private static int s_next;
    private static int s_disposed;

    public int Id { get; } = Interlocked.Increment(ref s_next);

    public static int Disposed => Volatile.Read(ref s_disposed);

    public bool Touched { get; private set; }

    public void Touch() => Touched = true;

    public void Dispose() => Interlocked.Increment(ref s_disposed);
}

/// <summary>An inline handler of a durable event: runs before the event is appended.</summary>
public sealed class OrderDesk(DeliveryLog log, FaultPlan faults)
{
    [Subscribe]
    public void Accept(OrderPlaced e)
    {
        if (faults.InlineFails)
            throw new InvalidOperationException("inline handler refused the order");
        log.Record("inline", e);
    }
}
