using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Events.EventNameAnalyzer>;
using VerifyShared = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Events.SharedEventNameAnalyzer>;

namespace Herald.Analyzers.Tests.Events;

/// <summary>HER0007: a durable event needs its own <c>[Event]</c> name (one per declaration, one across the compilation).</summary>
public sealed class EventNameTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        """;

    [Fact]
    public async Task DurableHandler_OfEventWithoutName_IsReported()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class SearchIndexer
            {
                [Subscribe(Consumer = "search-index")]
                public Task {|#0:Index|}(OrderPlaced e, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(0).WithArguments(
            "OrderPlaced",
            "is received by durable consumer 'search-index' (SearchIndexer.Index) but has no [Event] name; add [Event(\"...\")] with a stable name that the log can store");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task DurableStructEvent_WithoutName_IsReported()
    {
        const string source = Usings + """
            public readonly record struct StockCounted(string Sku, int Count);

            public static class Ledger
            {
                [Subscribe(Consumer = "ledger")]
                public static void {|#0:Book|}(StockCounted e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(0).WithArguments(
            "StockCounted",
            "is received by durable consumer 'ledger' (Ledger.Book) but has no [Event] name; add [Event(\"...\")] with a stable name that the log can store");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task NamedDurableEvent_InlineHandlers_AndDurableHandlersOfBaseTypes_AreNotReported()
    {
        const string source = Usings + """
            public interface IOrderEvent { int Id { get; } }

            public abstract record OrderEvent(int Id) : IOrderEvent;

            [Event("orders.placed")]
            public sealed record OrderPlaced(int Id) : OrderEvent(Id);

            public sealed record OrderViewed(int Id);

            public sealed class Handlers
            {
                [Subscribe(Consumer = "search-index")]
                public Task Index(OrderPlaced e, CancellationToken ct) => Task.CompletedTask;

                [Subscribe]
                public void Count(OrderViewed e) { }

                [Subscribe(Consumer = "timeline")]
                public Task Record(OrderEvent e) => Task.CompletedTask;

                [Subscribe(Consumer = "audit")]
                public Task Audit(IOrderEvent e) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task TwoEventTypesWithOneName_AreBothReported()
    {
        const string source = Usings + """
            namespace Shop.Orders
            {
                [{|#0:Event("orders.created")|}]
                public sealed record OrderCreated(int Id);
            }

            namespace Shop.Legacy
            {
                [{|#1:Event("orders.created")|}]
                public sealed class OrderCreated { public int Id { get; init; } }

                [Event("orders.updated")]
                public sealed record OrderUpdated(int Id);
            }
            """;

        await VerifyShared.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.SharedEventName).WithLocation(0).WithArguments(
                "OrderCreated", "shares the event name \"orders.created\" with 'Shop.Legacy.OrderCreated'; a consumer could not tell them apart, so give each event type its own name"),
            new DiagnosticResult(DiagnosticDescriptors.SharedEventName).WithLocation(1).WithArguments(
                "OrderCreated", "shares the event name \"orders.created\" with 'Shop.Orders.OrderCreated'; a consumer could not tell them apart, so give each event type its own name"),
        ]);
    }

    [Fact]
    public async Task NameTakenByAReferencedAssemblysEventInUse_IsReported()
    {
        var library = ReferencedLibrary.Build("Shop.Inventory", """
            using Herald;

            namespace Shop.Inventory;

            [Event("stock.reserved")]
            public sealed record StockReserved(string Sku);

            public static class StockLog
            {
                [Subscribe] public static void Write(StockReserved e) { }
            }
            """);
        const string source = Usings + """
            using Shop.Inventory;

            [{|#0:Event("stock.reserved")|}]
            public sealed record ReservationMade(string Sku);

            public static class Warehouse
            {
                [Subscribe] public static void On(StockReserved e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.SharedEventName).WithLocation(0).WithArguments(
            "ReservationMade", "shares the event name \"stock.reserved\" with 'Shop.Inventory.StockReserved'; a consumer could not tell them apart, so give each event type its own name");
        await VerifyShared.VerifyAsync(source, [expected], library);
    }

    [Fact]
    public async Task EmptyName_IsReported()
    {
        const string source = Usings + """
            [{|#0:Event(" ")|}]
            public sealed record OrderPlaced(int Id);
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(0).WithArguments(
            "OrderPlaced", "has an empty [Event] name; give it a stable name such as \"orders.created\"");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task DurableHandler_OfGenericEvent_IsReported_AndTheGenericEventName()
    {
        const string source = Usings + """
            [{|#1:Event("boxes.packed")|}]
            public sealed record Packed<T>(T Content);

            public sealed class Warehouse
            {
                [Subscribe(Consumer = "warehouse")]
                public Task {|#0:Store|}(Packed<int> e, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(0).WithArguments(
                "Packed<int>",
                "is received by durable consumer 'warehouse' (Warehouse.Store) but is generic: one [Event] name cannot say which closed type a stored event is, so Herald cannot make it durable and leaves this handler out; declare a non-generic event type for it"),
            new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(1).WithArguments(
                "Packed<T>",
                "is generic, and one [Event] name cannot say which closed type a stored event is, so Herald does not make it durable; declare a non-generic event type for each payload"),
        ]);
    }

    [Fact]
    public async Task DurableHandler_OfEventWithEmptyName_IsReported()
    {
        const string source = Usings + """
            [{|#1:Event("")|}]
            public sealed record OrderPlaced(int Id);

            public sealed class SearchIndexer
            {
                [Subscribe(Consumer = "search-index")]
                public Task {|#0:Index|}(OrderPlaced e) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(0).WithArguments(
                "OrderPlaced",
                "is received by durable consumer 'search-index' (SearchIndexer.Index) but its [Event] name is empty, so Herald cannot make it durable and leaves this handler out; give it a stable name such as \"orders.created\""),
            new DiagnosticResult(DiagnosticDescriptors.EventName).WithLocation(1).WithArguments(
                "OrderPlaced", "has an empty [Event] name; give it a stable name such as \"orders.created\""),
        ]);
    }

    [Fact]
    public async Task GenericEventName_DoesNotTakePartInTheSharedNameCheck()
    {
        // One [Event] that makes nothing durable cannot clash with one that does; the generic one is reported on its own.
        const string source = Usings + """
            [Event("boxes.packed")]
            public sealed record Packed<T>(T Content);

            [Event("boxes.packed")]
            public sealed record BoxPacked(int Id);

            public static class Boxes
            {
                [Subscribe] public static void On(BoxPacked e) { }
                [Subscribe] public static void On(Packed<int> e) { }
            }
            """;

        await VerifyShared.VerifyAsync(source);
    }
}
