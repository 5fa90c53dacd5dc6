using System.Runtime.CompilerServices;
using Herald;

namespace Herald.PublishLoop;

/// <summary>The event of the loop: an order line, as an app would publish one.</summary>
public sealed record OrderPlaced(int OrderId, string Sku, int Quantity);

// Three handler classes, singletons, each with a handler that does a little work and is not inlined (a handler that
// does real work is too big for the inliner; inlined increments would compare dispatch with nothing). The direct
// calls of the loop call the very same methods.

public sealed class Stock
{
    public long Reserved;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Reserve(OrderPlaced e) => Reserved += e.Quantity;
}

public sealed class Billing
{
    public long Lines;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Bill(OrderPlaced e) => Lines++;
}

public sealed class Analytics
{
    public long Orders;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Count(OrderPlaced e) => Orders += e.OrderId & 1;
}
