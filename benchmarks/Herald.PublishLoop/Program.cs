using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Herald;
using Herald.PublishLoop;
using Microsoft.Extensions.DependencyInjection;

// What a publish costs in a user's app: IEventBus.Publish of an event with three handlers, against the same three
// handler methods called directly, in blocks that alternate so that both see the same machine. Each round runs
// --publishes publishes and as many direct calls; the first --warmup rounds let the JIT tier up and are left out;
// the result is the median of the other rounds' ratios. A third loop publishes from generic code, where the site
// cannot be intercepted and goes through the per-event slot. Exits 1 when a handler did not run exactly once per
// publish or call, or a publish allocated.
//
//   dotnet run -c Release --project benchmarks/Herald.PublishLoop -p:HeraldVersion=... [-- --publishes 20000000 --rounds 7 --warmup 3]
var publishes = Option("--publishes", 20_000_000);
var rounds = Option("--rounds", 7);
var warmup = Option("--warmup", 3);
const int Block = 1_000_000;
if (publishes < Block || publishes % Block != 0 || rounds < 1 || warmup < 0)
{
    Console.Error.WriteLine($"--publishes must be a positive multiple of {Block:N0}, --rounds at least 1, --warmup at least 0.");
    return 2;
}

var services = new ServiceCollection();
services.AddHerald();
using var provider = services.BuildServiceProvider();
var bus = provider.GetRequiredService<IEventBus>();
var stock = provider.GetRequiredService<Stock>();
var billing = provider.GetRequiredService<Billing>();
var analytics = provider.GetRequiredService<Analytics>();
var order = new OrderPlaced(7, "SKU-42", 3);

var direct = new List<double>();
var published = new List<double>();
var generic = new List<double>();
long allocated = 0;
for (var round = 0; round < warmup + rounds; round++)
{
    var ticks = new long[3];
    for (var block = 0; block < publishes / Block; block++)
    {
        var start = Stopwatch.GetTimestamp();
        CallDirectly(stock, billing, analytics, order, Block);
        ticks[0] += Stopwatch.GetTimestamp() - start;

        var before = GC.GetAllocatedBytesForCurrentThread();
        start = Stopwatch.GetTimestamp();
        Publish(bus, order, Block);
        ticks[1] += Stopwatch.GetTimestamp() - start;
        if (round >= warmup)
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;

        start = Stopwatch.GetTimestamp();
        PublishFromGenericCode(bus, order, Block);
        ticks[2] += Stopwatch.GetTimestamp() - start;
    }
    if (round < warmup)
        continue;
    direct.Add(Nanoseconds(ticks[0]));
    published.Add(Nanoseconds(ticks[1]));
    generic.Add(Nanoseconds(ticks[2]));
}

var calls = (long)(warmup + rounds) * publishes * 3;
if (stock.Reserved != calls * order.Quantity || billing.Lines != calls || analytics.Orders != calls * (order.OrderId & 1))
{
    Console.WriteLine($"publish loop: FAILED: the handlers ran {billing.Lines:N0} times, expected {calls:N0}.");
    return 1;
}

var version = typeof(IEventBus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"publish loop: Herald {version}, 3 handlers, {rounds} rounds of {publishes:N0} publishes after {warmup} warm-up rounds, median:");
Console.WriteLine($"  direct calls:                     {Median(direct),6:F2} ns");
Console.WriteLine($"  IEventBus.Publish (intercepted):  {Median(published),6:F2} ns   ratio {Median(Ratios(published, direct)):F2}x the direct calls");
Console.WriteLine($"  IEventBus.Publish (generic code): {Median(generic),6:F2} ns   ratio {Median(Ratios(generic, direct)):F2}x the direct calls");
Console.WriteLine($"  allocated per publish:            {(double)allocated / ((long)rounds * publishes):F2} B");
if (allocated > 0)
{
    Console.WriteLine("publish loop: FAILED: publishing allocated.");
    return 1;
}
return 0;

double Nanoseconds(long ticks) => ticks * 1e9 / Stopwatch.Frequency / publishes;

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static List<double> Ratios(List<double> measured, List<double> baseline) => measured.Select((m, i) => m / baseline[i]).ToList();

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void CallDirectly(Stock stock, Billing billing, Analytics analytics, OrderPlaced order, int count)
{
    for (var i = 0; i < count; i++)
    {
        stock.Reserve(order);
        billing.Bill(order);
        analytics.Count(order);
    }
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void Publish(IEventBus bus, OrderPlaced order, int count)
{
    for (var i = 0; i < count; i++)
        bus.Publish(order);
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void PublishFromGenericCode<TEvent>(IEventBus bus, TEvent e, int count)
{
    for (var i = 0; i < count; i++)
        bus.Publish(e);
}
