namespace Herald.Tests.Lifetimes;

public sealed class SessionAuditor(InstanceLog log)
{
    [Subscribe]
    public void Audit(SessionOpened e) => log.Add(this);
}

/// <summary>Two handlers in one class: within one publish they share the scope, hence the instance.</summary>
public sealed class BasketPricer(DisposalProbe dependency, InstanceLog log)
{
    [Subscribe]
    public void Price(BasketChanged e) => log.Add(this, dependency);

    [Subscribe(Order = 1)]
    public void Discount(BasketChanged e) => log.Add(this, dependency);
}

public sealed class ReportBuilder(DisposalProbe dependency, InstanceLog log)
{
    [Subscribe]
    public void Build(ReportRequested e) => log.Add(this, dependency);
}

/// <summary>Two handlers in a class the tests register as transient: one instance per publish, shared by both.</summary>
public sealed class ShiftPlanner(DisposalProbe dependency, InstanceLog log)
{
    [Subscribe]
    public void Plan(ShiftSwapped e) => log.Add(this, dependency);

    [Subscribe(Order = 1)]
    public void Notify(ShiftSwapped e) => log.Add(this, dependency);
}

/// <summary>Left as AddHerald registers it (singleton); shares <see cref="ShiftClosed"/> with <see cref="ShiftAuditor"/>.</summary>
public sealed class ShiftCloser(InstanceLog log)
{
    [Subscribe]
    public void Close(ShiftClosed e) => log.Add(this);
}

/// <summary>Registered scoped by the tests, next to the singleton <see cref="ShiftCloser"/>.</summary>
public sealed class ShiftAuditor(DisposalProbe dependency, InstanceLog log)
{
    [Subscribe(Order = 1)]
    public void Audit(ShiftClosed e) => log.Add(this, dependency);
}
