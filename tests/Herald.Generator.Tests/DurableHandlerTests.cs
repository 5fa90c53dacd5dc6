using System.Reflection;
using Herald.Generator.Tests.Infrastructure;
using Herald.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// The <c>[Subscribe(Consumer = ...)]</c> handlers a module lists for the durable consumers, run for real from a
/// compiled and loaded table.
/// </summary>
public sealed class DurableHandlerTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        [Event("orders.created")]
        public sealed record OrderCreated(int OrderId);

        public sealed record Untracked(int Id);

        public static class Calls
        {
            public static readonly List<string> Log = new();
        }

        public sealed class SearchIndexer
        {
            [Subscribe(Consumer = "search-index")]
            public async Task Index(OrderCreated e, CancellationToken cancellationToken)
            {
                await Task.Yield();
                Calls.Log.Add("index " + e.OrderId + " " + cancellationToken.CanBeCanceled);
            }
        }

        public static class Reports
        {
            [Subscribe(Consumer = "reports", Order = 2)]
            public static void Count(OrderCreated e) => Calls.Log.Add("count " + e.OrderId);

            [Subscribe(Consumer = "reports", Order = 1)]
            public static ValueTask Total(OrderCreated e) { Calls.Log.Add("total " + e.OrderId); return default; }

            [Subscribe(Consumer = "reports")]
            public static void NotDurable(Untracked e) => Calls.Log.Add("untracked");

            [Subscribe]
            public static void Inline(OrderCreated e) => Calls.Log.Add("inline " + e.OrderId);
        }
        """;

    [Fact]
    public void DurableHandlers_AreListedByConsumerThenEventNameThenOrder()
    {
        var handlers = Handlers(GeneratedAssembly.Load(Source));

        Assert.Equal(
            [
                ("reports", "orders.created", "Sample.Reports.Total", 1),
                ("reports", "orders.created", "Sample.Reports.Count", 2),
                ("search-index", "orders.created", "Sample.SearchIndexer.Index", 0),
            ],
            handlers.Select(h => (h.Consumer, h.EventName, h.Handler, h.Order)).ToArray());
    }

    [Fact]
    public async Task Invoke_CallsTheHandlerWithTheEventResolvingItsClassFromTheServices()
    {
        var loaded = GeneratedAssembly.Load(Source);
        var handlers = Handlers(loaded);
        var indexer = Activator.CreateInstance(loaded.Assembly.GetType("Sample.SearchIndexer", throwOnError: true)!)!;
        var services = new OneService(indexer);
        var orderCreated = Activator.CreateInstance(loaded.Assembly.GetType("Sample.OrderCreated", throwOnError: true)!, 42)!;
        using var cancellation = new CancellationTokenSource();

        foreach (var handler in handlers)
            await handler.Invoke(services, orderCreated, cancellation.Token);

        var log = (List<string>)loaded.Assembly.GetType("Sample.Calls", throwOnError: true)!
            .GetField("Log", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(["total 42", "count 42", "index 42 True"], log);
        Assert.Equal([indexer.GetType()], services.Requested);
    }

    [Fact]
    public void DurableHandlerClasses_AreRegisteredAsServices()
    {
        var source = GeneratorRun.Run(TestCompilation.Create("Sample.DurableServices", Source)).GeneratedSource;

        Assert.Contains("TryAddSingleton<global::Sample.SearchIndexer>(services);", source, StringComparison.Ordinal);
        Assert.DoesNotContain("NotDurable", source, StringComparison.Ordinal);
    }

    private static DurableHandler[] Handlers(GeneratedAssembly loaded)
    {
        var moduleType = loaded.Assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(HeraldModule)));
        var module = Activator.CreateInstance(moduleType, nonPublic: true)!;
        var create = typeof(HeraldModule).GetMethod("CreateDurableHandlers", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (DurableHandler[])create.Invoke(module, null)!;
    }

    /// <summary>A service provider that holds one service and records what was asked of it.</summary>
    private sealed class OneService(object service) : IServiceProvider
    {
        public List<Type> Requested { get; } = [];

        public object? GetService(Type serviceType)
        {
            Requested.Add(serviceType);
            return serviceType.IsInstanceOfType(service) ? service : null;
        }
    }
}
