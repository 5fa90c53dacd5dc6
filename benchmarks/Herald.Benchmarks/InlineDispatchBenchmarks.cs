using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Herald;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks;

/// <summary>
/// One event, three trivial synchronous handlers (one static, two instance singletons): the cost of dispatch
/// itself, next to calling the same three methods directly in the same run. The handlers are not inlined
/// (<see cref="MethodImplOptions.NoInlining"/>), in both paths: a handler that does real work is too big for the
/// inliner, and a benchmark of inlined increments would compare dispatch with nothing.
/// </summary>
[MemoryDiagnoser]
public class InlineDispatchBenchmarks
{
    private readonly PriceChanged _event = new("SKU-1", 42m);
    private ServiceProvider _provider = null!;
    private IEventBus _bus = null!;
    private PriceIndex _index = null!;
    private PriceHistory _history = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddHerald();
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        _index = _provider.GetRequiredService<PriceIndex>();
        _history = _provider.GetRequiredService<PriceHistory>();
        _bus.Publish(_event); // resolves the singleton handlers once, as any first publish does
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true, Description = "3 direct calls")]
    public void DirectCalls()
    {
        PriceAudit.Record(_event);
        _index.Update(_event);
        _history.Append(_event);
    }

    [Benchmark(Description = "IEventBus.Publish")]
    public void BusPublish() => _bus.Publish(_event);

    [Benchmark(Description = "HeraldDispatch.Publish (typed)")]
    public void TypedPublish() => HeraldDispatch.Publish(_bus, _event);

    [Benchmark(Description = "IEventBus.PublishAsync (sync handlers)")]
    public ValueTask BusPublishAsync() => _bus.PublishAsync(_event);
}

public sealed record PriceChanged(string Sku, decimal Price);

public static class PriceAudit
{
    public static int Count;

    [Subscribe(Order = -1)]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Record(PriceChanged e) => Count++;
}

public sealed class PriceIndex
{
    public decimal Last;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Update(PriceChanged e) => Last = e.Price;
}

public sealed class PriceHistory
{
    public int Entries;

    [Subscribe(Order = 1)]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Append(PriceChanged e) => Entries++;
}
