using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Events.UnhandledEventAnalyzer>;

namespace Herald.Analyzers.Tests.Events;

/// <summary>HER0008: an event is published but no handler receives it.</summary>
public sealed class UnhandledEventTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        """;

    [Fact]
    public async Task PublishWithoutHandler_IsReportedAtEachCall()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public readonly record struct OrderPinged(int Id);

            public static class Checkout
            {
                public static async Task Complete(IEventBus bus, CancellationToken ct)
                {
                    {|#0:bus.Publish(new OrderPlaced(1))|};
                    await {|#1:bus.PublishAsync(new OrderPinged(1), ct)|};
                }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.UnhandledEvent).WithLocation(0).WithArguments("OrderPlaced"),
            new DiagnosticResult(DiagnosticDescriptors.UnhandledEvent).WithLocation(1).WithArguments("OrderPinged"),
        ]);
    }

    [Fact]
    public async Task PublishWhoseOnlyHandlerIsInvalid_IsReported()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(int Id);

            public sealed class Mailer
            {
                [Subscribe] private void Send(OrderPlaced e) { }

                public void Resend(OrderPlaced e) => Send(e);
            }

            public static class Checkout
            {
                public static void Complete(IEventBus bus) => {|#0:bus.Publish(new OrderPlaced(1))|};
            }
            """;

        await Verify.VerifyAsync(source, [new DiagnosticResult(DiagnosticDescriptors.UnhandledEvent).WithLocation(0).WithArguments("OrderPlaced")]);
    }

    [Fact]
    public async Task PublishOfEventWithHandler_OfItsTypeBaseInterfaceOrDurableConsumer_IsNotReported()
    {
        const string source = Usings + """
            public interface IAudited { }

            public abstract record OrderEvent(int Id);

            public sealed record OrderPlaced(int Id) : OrderEvent(Id);

            public sealed record OrderShipped(int Id) : OrderEvent(Id);

            public sealed record UserRenamed(string Name) : IAudited;

            [Event("orders.indexed")]
            public sealed record OrderIndexed(int Id);

            public sealed class Handlers
            {
                [Subscribe] public void On(OrderPlaced e) { }
                [Subscribe] public Task On(OrderEvent e, CancellationToken ct) => Task.CompletedTask;
                [Subscribe] public void On(IAudited e) { }
                [Subscribe(Consumer = "search")] public Task On(OrderIndexed e, CancellationToken ct) => Task.CompletedTask;
            }

            public static class Publisher
            {
                public static async Task Run(IEventBus bus, CancellationToken ct)
                {
                    bus.Publish(new OrderPlaced(1));
                    await bus.PublishAsync(new OrderShipped(1), ct);
                    bus.Publish(new UserRenamed("a"));
                    await bus.PublishAsync(new OrderIndexed(1), ct);
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PublishOfUnsealedType_WithHandlerOfADerivedType_IsNotReported()
    {
        // At run time the event may be the derived type, whose handler then runs.
        const string source = Usings + """
            public abstract record OrderEvent(int Id);

            public sealed record OrderPlaced(int Id) : OrderEvent(Id);

            public static class Handlers
            {
                [Subscribe] public static void On(OrderPlaced e) { }
            }

            public static class Publisher
            {
                public static void Run(IEventBus bus, OrderEvent e) => bus.Publish(e);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PublishOfEventHandledInAReferencedAssembly_IsNotReported()
    {
        var library = ReferencedLibrary.Build("Shop.Inventory", """
            using Herald;

            namespace Shop.Inventory;

            public sealed record StockReserved(string Sku);

            public static class StockLog
            {
                [Subscribe] public static void Write(StockReserved e) { }
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
    public async Task PublishOfTypeParameter_IsNotReported()
    {
        const string source = Usings + """
            public static class Forwarder
            {
                public static void Forward<T>(IEventBus bus, T e) => bus.Publish(e);
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
