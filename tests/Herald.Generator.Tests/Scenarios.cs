using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Herald.Generator.Tests;

/// <summary>The programs the generator is tested on; each has a baseline of its generated table.</summary>
internal static class Scenarios
{
    public const string StaticAndInstanceHandlersSource = """
        using Herald;

        namespace Sample;

        public sealed record OrderPlaced(int OrderId);

        public static class AuditLog
        {
            [Subscribe(Order = -10)]
            public static void Write(OrderPlaced e) { }
        }

        public sealed class Mailer
        {
            [Subscribe]
            public void Send(OrderPlaced e) { }
        }

        public sealed class Metrics
        {
            [Subscribe(Order = 5)]
            public void Count(OrderPlaced e) { }

            [Subscribe]
            public void CountAgain(OrderPlaced e, System.Threading.CancellationToken cancellationToken) { }
        }

        public sealed class Checkout(IEventBus bus)
        {
            public void Complete(int orderId) => bus.Publish(new OrderPlaced(orderId));
        }
        """;

    public const string AsyncAndSyncHandlersSource = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public sealed record PaymentReceived(decimal Amount);

        public sealed record Heartbeat(long Ticks);

        public sealed class Ledger
        {
            [Subscribe(Order = 1)]
            public Task Book(PaymentReceived e) => Task.CompletedTask;

            [Subscribe(Order = 2)]
            public Task BookWithToken(PaymentReceived e, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        public static class Receipts
        {
            [Subscribe(Order = 0)]
            public static void Log(PaymentReceived e) { }

            [Subscribe(Order = 3)]
            public static ValueTask Send(PaymentReceived e) => default;

            [Subscribe(Order = 4)]
            public static ValueTask SendWithToken(PaymentReceived e, CancellationToken cancellationToken) => default;

            [Subscribe(Order = 5)]
            public static void Archive(PaymentReceived e) { }

            [Subscribe]
            public static void Beat(Heartbeat e) { }
        }
        """;

    public const string PolymorphismSource = """
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public interface IOrderEvent
        {
            int OrderId { get; }
        }

        public abstract record OrderEvent(int OrderId) : IOrderEvent;

        public sealed record OrderShipped(int OrderId, string Carrier) : OrderEvent(OrderId);

        public record OrderCancelled(int OrderId) : OrderEvent(OrderId);

        public sealed class Timeline
        {
            [Subscribe(Order = 10)]
            public ValueTask Record(IOrderEvent e) => default;
        }

        public static class Audit
        {
            [Subscribe]
            public static void Any(OrderEvent e) { }

            [Subscribe]
            public static void Shipped(OrderShipped e) { }
        }

        public sealed class Shipping(IEventBus bus)
        {
            public ValueTask ShipAsync(int orderId) => bus.PublishAsync(new OrderShipped(orderId, "post"));

            public ValueTask CancelAsync(int orderId) => bus.PublishAsync(new OrderCancelled(orderId));
        }
        """;

    /// <summary>The library of the cross-assembly scenario: its table exports its handlers.</summary>
    public const string LibrarySource = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Shop.Inventory;

        public sealed record StockReserved(string Sku, int Quantity);

        public static class StockLog
        {
            [Subscribe(Order = -1)]
            public static void Write(StockReserved e) { }
        }

        public sealed class Replenisher
        {
            [Subscribe(Order = 1)]
            public Task Reorder(StockReserved e, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """;

    /// <summary>The application of the cross-assembly scenario: its table calls the library's exports.</summary>
    public const string AppSource = """
        using System.Threading.Tasks;
        using Herald;
        using Shop.Inventory;

        namespace Shop.App;

        public sealed class Dashboard
        {
            [Subscribe]
            public void Refresh(StockReserved e) { }
        }

        public sealed class Warehouse(IEventBus bus)
        {
            public ValueTask ReserveAsync(string sku) => bus.PublishAsync(new StockReserved(sku, 1));
        }
        """;

    /// <summary>
    /// Durable events: one with inline sync and async handlers and durable consumers (rich payload), one with no
    /// handler at all (only declared), and a struct published with a sync inline handler.
    /// </summary>
    public const string DurableEventsSource = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public enum OrderStatus { Pending, Paid, Shipped }

        public sealed record Address(string Street, string City, string? PostalCode);

        public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

        [Event("orders.created", Version = 2)]
        public sealed record OrderCreated(
            [property: PartitionKey] Guid OrderId,
            string Customer,
            IReadOnlyList<OrderLine> Lines,
            Address ShipTo,
            OrderStatus Status,
            DateTimeOffset PlacedAt,
            decimal? Discount,
            Dictionary<string, string> Tags);

        [Event("audit.ping", Durability = Durability.Buffered)]
        public sealed record AuditPing(long Ticks);

        [Event("stock.counted")]
        public struct StockCounted
        {
            [PartitionKey]
            public string Sku { get; set; }

            public int Count { get; set; }
        }

        public static class AuditLog
        {
            [Subscribe(Order = -10)]
            public static void Write(OrderCreated e) { }
        }

        public sealed class Mailer
        {
            [Subscribe]
            public Task Send(OrderCreated e, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        public static class Shelf
        {
            [Subscribe]
            public static void Update(StockCounted e) { }
        }

        public sealed class SearchIndexer
        {
            [Subscribe(Consumer = "search-index")]
            public Task Index(OrderCreated e, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        public static class Reports
        {
            [Subscribe(Consumer = "reports", Order = 1)]
            public static void Count(OrderCreated e) { }

            [Subscribe(Consumer = "reports")]
            public static ValueTask Ping(AuditPing e) => default;
        }

        public sealed class Warehouse(IEventBus bus)
        {
            public void Count(string sku) => bus.Publish(new StockCounted { Sku = sku, Count = 1 });
        }
        """;

    /// <summary>
    /// A library that declares a durable event and a durable consumer but no inline handler: it still gets a
    /// module, so that its types and consumers are registered.
    /// </summary>
    public const string DurableLibrarySource = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Shop.Billing;

        [Event("billing.invoice-issued")]
        public sealed record InvoiceIssued([property: PartitionKey] int InvoiceId, decimal Amount);

        public sealed class Bookkeeper
        {
            [Subscribe(Consumer = "bookkeeping")]
            public ValueTask Book(InvoiceIssued e, CancellationToken cancellationToken) => default;
        }
        """;

    /// <summary>The application that publishes the library's durable event: its module registers the library's.</summary>
    public const string DurableAppSource = """
        using System.Threading.Tasks;
        using Herald;
        using Shop.Billing;

        namespace Shop.Front;

        public static class Receipts
        {
            [Subscribe]
            public static void Print(InvoiceIssued e) { }
        }

        public sealed class Checkout(IEventBus bus)
        {
            public ValueTask PayAsync(int invoiceId) => bus.PublishAsync(new InvoiceIssued(invoiceId, 10m));
        }
        """;

    /// <summary>
    /// Publish sites of every kind the interceptors treat: a sealed event (intercepted), the same event published
    /// from a second site and asynchronously with a token, an event published through its interface (intercepted; the
    /// table's redirect finds the runtime type's entry), a struct event (no null check), a publish from generic code
    /// (no interceptor: the slot resolves it at run time), and a publish of an event no handler receives (no entry, no
    /// interceptor).
    /// </summary>
    public const string InterceptedSitesSource = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public interface IParcelEvent
        {
            string ParcelId { get; }
        }

        public sealed record ParcelScanned(string ParcelId, string Depot) : IParcelEvent;

        public sealed record ParcelLost(string ParcelId) : IParcelEvent;

        public readonly record struct DepotTick(int Depot);

        public sealed record Unheard(int Id);

        public sealed class Depot
        {
            [Subscribe]
            public void OnScanned(ParcelScanned e) { }
        }

        public static class Tracking
        {
            [Subscribe(Order = 10)]
            public static void OnParcelEvent(IParcelEvent e) { }

            [Subscribe]
            public static void OnTick(DepotTick e) { }
        }

        public sealed class Scanner(IEventBus bus)
        {
            public void Scan(string id) => bus.Publish(new ParcelScanned(id, "Lyon"));

            public void ScanAgain(ParcelScanned scanned) => bus.Publish(scanned);

            public ValueTask ScanAsync(string id, CancellationToken cancellationToken) => bus.PublishAsync(new ParcelScanned(id, "Oslo"), cancellationToken);

            public void Report(IParcelEvent e) => bus.Publish(e);

            public void Tick() => bus.Publish(new DepotTick(4));

            public void Forward<TEvent>(TEvent e) => bus.Publish(e);

            public void Nobody() => bus.Publish(new Unheard(1));
        }
        """;

    public static CSharpCompilation InterceptedSites() => TestCompilation.Create("Sample.Parcels", [("Parcels.cs", InterceptedSitesSource)]);

    public static CSharpCompilation StaticAndInstanceHandlers() => TestCompilation.Create("Sample.Orders", StaticAndInstanceHandlersSource);

    public static CSharpCompilation AsyncAndSyncHandlers() => TestCompilation.Create("Sample.Payments", AsyncAndSyncHandlersSource);

    public static CSharpCompilation Polymorphism() => TestCompilation.Create("Sample.Shipping", PolymorphismSource);

    public static CSharpCompilation Library() => TestCompilation.Create("Shop.Inventory", LibrarySource);

    public static CSharpCompilation App()
    {
        MetadataReference library = TestCompilation.EmitWithGeneratedCode(Library());
        return TestCompilation.Create("Shop.App", AppSource, [library]);
    }

    public static CSharpCompilation DurableEvents() => TestCompilation.Create("Sample.Durable", DurableEventsSource);

    public static CSharpCompilation DurableLibrary() => TestCompilation.Create("Shop.Billing", DurableLibrarySource);

    public static CSharpCompilation DurableApp()
    {
        MetadataReference library = TestCompilation.EmitWithGeneratedCode(DurableLibrary());
        return TestCompilation.Create("Shop.Front", DurableAppSource, [library]);
    }

    /// <summary>Every scenario by name, for tests that hold for all of them.</summary>
    public static CSharpCompilation ByName(string name) => name switch
    {
        nameof(StaticAndInstanceHandlers) => StaticAndInstanceHandlers(),
        nameof(AsyncAndSyncHandlers) => AsyncAndSyncHandlers(),
        nameof(Polymorphism) => Polymorphism(),
        nameof(Library) => Library(),
        nameof(App) => App(),
        nameof(DurableEvents) => DurableEvents(),
        nameof(DurableLibrary) => DurableLibrary(),
        nameof(DurableApp) => DurableApp(),
        nameof(InterceptedSites) => InterceptedSites(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario."),
    };

    public static TheoryData<string> Names =>
    [
        nameof(StaticAndInstanceHandlers),
        nameof(AsyncAndSyncHandlers),
        nameof(Polymorphism),
        nameof(Library),
        nameof(App),
        nameof(DurableEvents),
        nameof(DurableLibrary),
        nameof(DurableApp),
        nameof(InterceptedSites),
    ];
}
