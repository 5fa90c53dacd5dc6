using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>HER0003: an event member's type cannot be serialized; an error on durable events, a warning otherwise.</summary>
public sealed class NotSerializableTests
{
    private static DiagnosticResult Error(int location, string subject, string reason)
        => new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(location).WithArguments(subject, reason);

    private static DiagnosticResult Warning(int location, string subject, string reason)
        => Error(location, subject, reason).WithSeverity(DiagnosticSeverity.Warning);

    [Fact]
    public async Task EveryUnserializableKind_OnADurableEvent_IsAnError()
    {
        const string source = Usings + """
            public interface IShape { double Area { get; } }

            [Event("jobs.queued")]
            public sealed record JobQueued(
                Action {|#0:Callback|},
                Func<int, int> {|#1:Transform|},
                Type {|#2:Kind|},
                IntPtr {|#3:Handle|},
                Task {|#4:Pending|},
                ValueTask<int> {|#5:Result|},
                CancellationToken {|#6:Token|},
                InvalidOperationException {|#7:Failure|},
                object {|#8:State|},
                IShape {|#9:Shape|},
                System.Collections.ArrayList {|#10:Legacy|});
            """;

        await Verify.VerifyAsync(source,
        [
            Error(0, "'Callback' in 'JobQueued'", "a delegate is code, not data; pass the data the handler needs"),
            Error(1, "'Transform' in 'JobQueued'", "a delegate is code, not data; pass the data the handler needs"),
            Error(2, "'Kind' in 'JobQueued'", "'Type' describes code, not data; pass a name"),
            Error(3, "'Handle' in 'JobQueued'", "a pointer means nothing outside this process; pass the data it points to"),
            Error(4, "'Pending' in 'JobQueued'", "'Task' is work in progress, not data; await it and pass the result"),
            Error(5, "'Result' in 'JobQueued'", "'ValueTask<int>' is work in progress, not data; await it and pass the result"),
            Error(6, "'Token' in 'JobQueued'", "a CancellationToken belongs to the publisher's flow; handlers take their own"),
            Error(7, "'Failure' in 'JobQueued'", "'InvalidOperationException' does not survive a round trip; pass a message or an error code"),
            Error(8, "'State' in 'JobQueued'", "'object' loses its type on the wire; use a concrete type"),
            Error(9, "'Shape' in 'JobQueued'", "Herald's serializer cannot carry 'IShape': it is an interface, and polymorphic payloads are not supported; use a concrete record or class"),
            Error(10, "'Legacy' in 'JobQueued'", "'ArrayList' is a non-generic collection of 'object' values; use a generic collection of a concrete type"),
        ]);
    }

    [Fact]
    public async Task InlineOnlyEvent_IsAWarning()
    {
        const string source = Usings + """
            public sealed record JobQueued(string Name, Action {|#0:Callback|});

            public static class Jobs
            {
                [Subscribe] public static void Run(JobQueued e) => e.Callback();
            }
            """;

        await Verify.VerifyAsync(source, [Warning(0, "'Callback' in 'JobQueued'", "a delegate is code, not data; pass the data the handler needs")]);
    }

    [Fact]
    public async Task EventReceivedByADurableConsumer_IsAnError()
    {
        const string source = Usings + """
            public sealed record JobQueued(string Name, CancellationToken {|#0:Token|});

            public sealed class Worker
            {
                [Subscribe(Consumer = "worker")]
                public Task Run(JobQueued e, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source, [Error(0, "'Token' in 'JobQueued'", "a CancellationToken belongs to the publisher's flow; handlers take their own")]);
    }

    [Fact]
    public async Task DerivedEventOfADurableConsumersBaseType_IsAnError()
    {
        const string source = Usings + """
            public abstract record JobEvent(string Name);

            public sealed record JobQueued(string Name, Exception {|#0:Cause|}) : JobEvent(Name);

            public sealed class Worker
            {
                [Subscribe(Consumer = "worker")]
                public Task Run(JobEvent e, CancellationToken ct) => Task.CompletedTask;
            }

            public static class Scheduler
            {
                public static ValueTask Queue(IEventBus bus) => bus.PublishAsync(new JobQueued("a", new Exception()));
            }
            """;

        await Verify.VerifyAsync(source, [Error(0, "'Cause' in 'JobQueued'", "'Exception' does not survive a round trip; pass a message or an error code")]);
    }

    [Fact]
    public async Task NestedDelegate_IsReportedWithItsPath()
    {
        const string source = Usings + """
            public sealed record Retry(int Attempts, Func<TimeSpan> {|#1:Delay|});

            [Event("jobs.queued")]
            public sealed record JobQueued(string Name, Retry {|#0:Policy|});
            """;

        var expected = Error(0, "'Policy.Delay' in 'JobQueued'", "a delegate is code, not data; pass the data the handler needs").WithLocation(1);
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task AbstractMemberType_WithJsonDerivedTypes_IsReported_AndNotWalkedIntoTheDerivedTypes()
    {
        const string source = Usings + """
            [JsonDerivedType(typeof(Circle), "circle")]
            [JsonDerivedType(typeof(Polygon), "polygon")]
            public abstract record Shape;

            public sealed record Circle(double Radius) : Shape;

            public sealed record Polygon(IReadOnlyList<double> Points, Action Redraw) : Shape;

            [Event("shapes.drawn")]
            public sealed record ShapeDrawn(Shape {|#0:Shape|});
            """;

        // The generated serializer writes no type discriminator, so the derived types never travel: only the
        // abstract member is reported, not the delegate one of them declares.
        await Verify.VerifyAsync(source,
            [Error(0, "'Shape' in 'ShapeDrawn'", "Herald's serializer cannot carry 'Shape': it is an abstract type, and polymorphic payloads are not supported; use a concrete record or class")]);
    }

    [Fact]
    public async Task AbstractMemberType_WithoutKnownDerivedTypes_IsReported()
    {
        const string source = Usings + """
            public abstract record Shape;

            public sealed record Circle(double Radius) : Shape;

            [Event("shapes.drawn")]
            public sealed record ShapeDrawn(IReadOnlyList<Shape> {|#0:Shapes|});
            """;

        await Verify.VerifyAsync(source,
            [Error(0, "'Shapes' in 'ShapeDrawn'", "Herald's serializer cannot carry 'Shape': it is an abstract type, and polymorphic payloads are not supported; use a concrete record or class")]);
    }

    [Fact]
    public async Task MemberTypeWithoutPublicConstructor_IsReported()
    {
        const string source = Usings + """
            public sealed class Money
            {
                private Money(long cents) => Cents = cents;

                public long Cents { get; }

                public static Money Of(long cents) => new(cents);
            }

            [Event("orders.paid")]
            public sealed record OrderPaid(Guid OrderId, Money {|#0:Total|});
            """;

        await Verify.VerifyAsync(source,
            [Error(0, "'Total' in 'OrderPaid'", "'Money' has no public constructor to create it with when the event is read back; add one")]);
    }

    [Fact]
    public async Task EventWhoseConstructorParameterMatchesNoMember_IsReportedOnTheEvent()
    {
        const string source = Usings + """
            [Event("orders.paid")]
            public sealed class {|#0:OrderPaid|}
            {
                public OrderPaid(Guid id, long cents)
                {
                    OrderId = id;
                    Cents = cents;
                }

                public Guid OrderId { get; }

                public long Cents { get; }
            }
            """;

        await Verify.VerifyAsync(source,
            [Error(0, "'OrderPaid'", "constructor parameter 'id' of 'OrderPaid' matches no public property or field of the same name and type, so it cannot be filled when the event is read back")]);
    }

    [Fact]
    public async Task OneMatchingPublicConstructor_IsEnough_ButParameterTypesMustMatch()
    {
        // Money can be created through Money(long cents); Price's only constructor takes an int for a long member.
        const string source = Usings + """
            public sealed class Money
            {
                public Money(long cents) => Cents = cents;

                public Money(decimal amount) => Cents = (long)(amount * 100);

                public long Cents { get; }
            }

            public sealed class Price
            {
                public Price(int cents) => Cents = cents;

                public long Cents { get; }
            }

            public sealed record OrderPaid(Money Total, Price {|#0:Unit|});

            public static class Ledger
            {
                [Subscribe] public static void Book(OrderPaid e) { }
            }
            """;

        await Verify.VerifyAsync(source,
            [Warning(0, "'Unit' in 'OrderPaid'", "constructor parameter 'cents' of 'Price' matches no public property or field of the same name and type, so it cannot be filled when the event is read back")]);
    }

    [Fact]
    public async Task SerializableMembers_AreNotReported()
    {
        const string source = Usings + """
            public enum Currency { Eur, Usd }

            public sealed record Card(string Last4);

            public readonly record struct Line(string Sku, int Quantity);

            public sealed class Address
            {
                public string Street { get; init; } = "";
            }

            [Event("orders.placed")]
            public sealed record OrderPlaced(
                Guid Id,
                string Customer,
                Currency Currency,
                Uri Receipt,
                TimeSpan Window,
                DateTimeOffset At,
                int? Priority,
                IReadOnlyList<Line> Lines,
                IReadOnlyDictionary<string, string> Tags,
                Address Shipping,
                Card Payment,
                IEnumerable<Line> History,
                DateOnly Day,
                TimeOnly Time,
                char Grade);
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task InterfaceMemberType_WithJsonDerivedTypes_IsReported()
    {
        const string source = Usings + """
            [JsonDerivedType(typeof(Card), "card")]
            public interface IPayment { }

            public sealed record Card(string Last4) : IPayment;

            [Event("orders.paid")]
            public sealed record OrderPaid(string Id, IPayment {|#0:Payment|});
            """;

        await Verify.VerifyAsync(source,
            [Error(0, "'Payment' in 'OrderPaid'", "Herald's serializer cannot carry 'IPayment': it is an interface, and polymorphic payloads are not supported; use a concrete record or class")]);
    }

    [Fact]
    public async Task FrameworkTypesTheSerializerCannotCarry_AreReported()
    {
        const string source = Usings + """
            [Event("builds.done")]
            public sealed record BuildDone(
                Version {|#0:Version|},
                Half {|#1:Ratio|},
                Int128 {|#2:Big|},
                System.Text.Json.JsonElement {|#3:Extra|},
                KeyValuePair<string, int> {|#4:Pair|},
                (int, string) {|#5:Tuple|});
            """;

        const string useInstead = "use a concrete record or class of this project, or a supported type (string, bool, char, a number, an enum, Guid, DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly, Uri)";
        await Verify.VerifyAsync(source,
        [
            Error(0, "'Version' in 'BuildDone'", "Herald's serializer cannot carry 'Version'; " + useInstead),
            Error(1, "'Ratio' in 'BuildDone'", "Herald's serializer cannot carry 'Half'; " + useInstead),
            Error(2, "'Big' in 'BuildDone'", "Herald's serializer cannot carry 'Int128'; " + useInstead),
            Error(3, "'Extra' in 'BuildDone'", "Herald's serializer cannot carry 'JsonElement'; " + useInstead),
            Error(4, "'Pair' in 'BuildDone'", "Herald's serializer cannot carry 'KeyValuePair<string, int>'; use 'Dictionary<string, T>' or a concrete record or class"),
            Error(5, "'Tuple' in 'BuildDone'", "Herald's serializer cannot carry '(int, string)'; " + useInstead),
        ]);
    }

    [Fact]
    public async Task CollectionsTheSerializerCannotCarry_AreReported()
    {
        const string source = Usings + """
            [Event("stock.counted")]
            public sealed record StockCounted(
                System.Collections.Immutable.ImmutableArray<int> {|#0:Ids|},
                IReadOnlySet<string> {|#1:Tags|},
                Dictionary<int, string> {|#2:Names|},
                IReadOnlyDictionary<Guid, int> {|#3:Counts|},
                int[,] {|#4:Grid|});
            """;

        const string collections = "a supported collection: 'T[]', 'List<T>', 'IReadOnlyList<T>', 'IList<T>', 'ICollection<T>', 'IReadOnlyCollection<T>', 'IEnumerable<T>', 'HashSet<T>', 'Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>'";
        const string stringKeys = ": dictionary keys must be strings; use string keys ('Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>')";
        await Verify.VerifyAsync(source,
        [
            Error(0, "'Ids' in 'StockCounted'", "Herald's serializer cannot carry 'ImmutableArray<int>'; use " + collections),
            Error(1, "'Tags' in 'StockCounted'", "Herald's serializer cannot carry 'IReadOnlySet<string>'; use " + collections),
            Error(2, "'Names' in 'StockCounted'", "Herald's serializer cannot carry 'Dictionary<int, string>'" + stringKeys),
            new DiagnosticResult(DiagnosticDescriptors.MutableEvent).WithLocation(2).WithArguments("Names", "StockCounted",
                "'Dictionary<int, string>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyDictionary<int, string>'"),
            Error(3, "'Counts' in 'StockCounted'", "Herald's serializer cannot carry 'IReadOnlyDictionary<Guid, int>'" + stringKeys),
            Error(4, "'Grid' in 'StockCounted'", "Herald's serializer cannot carry 'int[,]': it has more than one dimension; use " + collections),
            new DiagnosticResult(DiagnosticDescriptors.MutableEvent).WithLocation(4).WithArguments("Grid", "StockCounted",
                "'int[,]' can be changed after publishing, under every handler that shares the event; use a read-only or immutable collection"),
        ]);
    }

    [Fact]
    public async Task UnsupportedCollectionOnAnInlineOnlyEvent_IsAWarning()
    {
        const string source = Usings + """
            public sealed record Batch(System.Collections.Immutable.ImmutableArray<int> {|#0:Ids|});

            public static class Batches
            {
                [Subscribe] public static void Run(Batch e) { }
            }
            """;

        await Verify.VerifyAsync(source,
            [Warning(0, "'Ids' in 'Batch'", "Herald's serializer cannot carry 'ImmutableArray<int>'; use a supported collection: 'T[]', 'List<T>', 'IReadOnlyList<T>', 'IList<T>', 'ICollection<T>', 'IReadOnlyCollection<T>', 'IEnumerable<T>', 'HashSet<T>', 'Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>'")]);
    }

    [Fact]
    public async Task StructAndClassEvents_AreChecked()
    {
        const string source = Usings + """
            public readonly record struct Tick(long Sequence, Type {|#0:Source|});

            public sealed class Tock
            {
                public Delegate? {|#1:Handler|} { get; init; }
            }

            public static class Clock
            {
                [Subscribe] public static void On(Tick e) { }
                [Subscribe] public static void On(Tock e) { }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            Warning(0, "'Source' in 'Tick'", "'Type' describes code, not data; pass a name"),
            Warning(1, "'Handler' in 'Tock'", "a delegate is code, not data; pass the data the handler needs"),
        ]);
    }
}
