using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.SyncPublishAnalyzer>;

namespace Herald.Analyzers.Tests;

/// <summary>HER0006: synchronous <c>Publish</c> of an event that has asynchronous inline handlers.</summary>
public sealed class SyncPublishAnalyzerTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        """;

    [Fact]
    public async Task SyncPublish_OfEventWithTaskHandler_Reports()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public Task Send(OrderPlaced e) => Task.CompletedTask;
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => {|HER0006:bus.Publish(new OrderPlaced(1))|};
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfEventWithValueTaskHandlerTakingToken_Reports()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public static class Mailer
            {
                [Subscribe(Order = 3)]
                public static ValueTask Send(OrderPlaced e, CancellationToken cancellationToken) => default;

                [Subscribe]
                public static void Log(OrderPlaced e) { }
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus)
                {
                    var e = new OrderPlaced(1);
                    {|HER0006:bus.Publish(e)|};
                    {|HER0006:bus.Publish<OrderPlaced>(e)|};
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Diagnostic_NamesTheEventAndItsAsyncHandlers()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public Task Send(OrderPlaced e) => Task.CompletedTask;

                [Subscribe]
                public void Log(OrderPlaced e) { }
            }

            public static class Archive
            {
                [Subscribe]
                public static ValueTask Store(OrderPlaced e) => default;
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => {|#0:bus.Publish(new OrderPlaced(1))|};
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.SyncPublishOfAsyncEvent)
            .WithLocation(0)
            .WithArguments("OrderPlaced", "Archive.Store, Mailer.Send");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task SyncPublish_OfEventWithOnlySyncHandlers_DoesNotReport()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public void Send(OrderPlaced e) { }

                [Subscribe(Order = -1)]
                public static void Log(OrderPlaced e, CancellationToken cancellationToken) { }
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => bus.Publish(new OrderPlaced(1));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PublishAsync_OfEventWithAsyncHandler_DoesNotReport()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public Task Send(OrderPlaced e, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public static class Checkout
            {
                public static ValueTask CompleteAsync(IEventBus bus, CancellationToken cancellationToken)
                    => bus.PublishAsync(new OrderPlaced(1), cancellationToken);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfEventWithDurableAsyncHandler_DoesNotReport()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class SearchIndexer
            {
                [Subscribe(Consumer = "search-index")]
                public Task Index(OrderPlaced e, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => bus.Publish(new OrderPlaced(1));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfTypeParameter_DoesNotReport()
    {
        // The event type is only known per instantiation: the runtime check covers it.
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public Task Send(OrderPlaced e) => Task.CompletedTask;
            }

            public static class Forwarder
            {
                public static void Forward<T>(IEventBus bus, T e) => bus.Publish(e);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfEventWhoseOnlyAsyncHandlerIsInvalid_DoesNotReport()
    {
        // A private handler is not dispatched (another rule reports it), so it cannot make Publish block.
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                private Task Send(OrderPlaced e) => Task.CompletedTask;

                [Subscribe]
                public void Log(OrderPlaced e) { }

                public Task Resend(OrderPlaced e) => Send(e);
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => bus.Publish(new OrderPlaced(1));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfOtherEvent_DoesNotReport()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed record OrderShipped(int Id);

            public sealed class Mailer
            {
                [Subscribe]
                public Task Send(OrderPlaced e) => Task.CompletedTask;

                [Subscribe]
                public void Track(OrderShipped e) { }
            }

            public static class Shipping
            {
                public static void Ship(IEventBus bus) => bus.Publish(new OrderShipped(1));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfDerivedEvent_WithAsyncHandlerOfBaseClass_Reports()
    {
        const string source = Usings + """
            public abstract record OrderEvent(int Id);

            public sealed record OrderShipped(int Id) : OrderEvent(Id);

            public sealed class Timeline
            {
                [Subscribe]
                public Task Record(OrderEvent e) => Task.CompletedTask;
            }

            public static class Shipping
            {
                public static void Ship(IEventBus bus) => {|HER0006:bus.Publish(new OrderShipped(1))|};
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfDerivedEvent_WithAsyncHandlerOfInterface_Reports()
    {
        const string source = Usings + """
            public interface IOrderEvent
            {
                int Id { get; }
            }

            public sealed record OrderShipped(int Id) : IOrderEvent;

            public readonly record struct OrderPinged(int Id) : IOrderEvent;

            public static class Timeline
            {
                [Subscribe]
                public static ValueTask Record(IOrderEvent e, CancellationToken cancellationToken) => default;
            }

            public static class Shipping
            {
                public static void Ship(IEventBus bus)
                {
                    {|HER0006:bus.Publish(new OrderShipped(1))|};
                    {|HER0006:bus.Publish(new OrderPinged(1))|};
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfBaseEvent_WithAsyncHandlerOfDerivedClass_DoesNotReport()
    {
        // The analyzer decides by the static type: a handler of a derived type is not a handler of its base.
        const string source = Usings + """
            public record OrderEvent(int Id);

            public sealed record OrderShipped(int Id) : OrderEvent(Id);

            public sealed class Timeline
            {
                [Subscribe]
                public Task Record(OrderShipped e) => Task.CompletedTask;
            }

            public static class Orders
            {
                public static void Touch(IEventBus bus) => bus.Publish(new OrderEvent(1));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SyncPublish_OfEventWithAsyncHandlerInReferencedAssembly_Reports()
    {
        var library = ReferencedLibrary.Build("Shop.Inventory", """
            using System.Threading;
            using System.Threading.Tasks;
            using Herald;

            namespace Shop.Inventory;

            public sealed record StockReserved(string Sku);

            public sealed class Replenisher
            {
                [Subscribe]
                public Task Reorder(StockReserved e, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """);
        const string source = Usings + """
            using Shop.Inventory;

            public static class Warehouse
            {
                public static void Reserve(IEventBus bus) => {|#0:bus.Publish(new StockReserved("sku-1"))|};
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.SyncPublishOfAsyncEvent)
            .WithLocation(0)
            .WithArguments("StockReserved", "Shop.Inventory.Replenisher.Reorder");
        await Verify.VerifyAsync(source, [expected], library);
    }

    [Fact]
    public async Task SyncPublish_OfEventWithOnlySyncHandlersInReferencedAssembly_DoesNotReport()
    {
        var library = ReferencedLibrary.Build("Shop.Inventory", """
            using Herald;

            namespace Shop.Inventory;

            public sealed record StockReserved(string Sku);

            public static class StockLog
            {
                [Subscribe]
                public static void Write(StockReserved e) { }
            }
            """);
        const string source = Usings + """
            using Shop.Inventory;

            public static class Warehouse
            {
                public static void Reserve(IEventBus bus) => bus.Publish(new StockReserved("sku-1"));
            }
            """;

        await Verify.VerifyAsync(source, library);
    }

    [Fact]
    public async Task SyncPublish_WithoutHeraldReference_DoesNotRun()
    {
        // A compilation that does not reference Herald has nothing to check (and no IEventBus to bind).
        var test = new HeraldAnalyzerTest<SyncPublishAnalyzer>
        {
            TestCode = """
                public sealed class Bus
                {
                    public void Publish<T>(T e) { }
                }

                public static class Program
                {
                    public static void Run(Bus bus) => bus.Publish(1);
                }
                """,
        };
        test.TestState.AdditionalReferences.RemoveAll(r => r.Display?.EndsWith("Herald.dll", StringComparison.Ordinal) == true);

        await test.RunAsync(CancellationToken.None);
    }
}
