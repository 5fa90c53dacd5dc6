using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Fix = Herald.Analyzers.Tests.Infrastructure.HeraldCodeFixTest<Herald.Analyzers.Payload.PayloadAnalyzer, Herald.Analyzers.CodeFixes.MutableEventCodeFixProvider>;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>HER0004: an event can be changed after it is published; the fix makes it read-only where that compiles.</summary>
public sealed class MutableEventTests
{
    private const string Handlers = """

        public static class Handlers
        {
            [Subscribe] public static void On(OrderPlaced e) { }
        }
        """;

    private static DiagnosticResult Mutable(int location, string path, string owner, string reason)
        => new DiagnosticResult(DiagnosticDescriptors.MutableEvent).WithLocation(location).WithArguments(path, owner, reason);

    /// <summary>HER0003 (a warning: these events are inline only) for a collection Herald's serializer leaves out.</summary>
    private static DiagnosticResult NotCarriedCollection(int location, string member, string type)
        => new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember)
            .WithLocation(location)
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithArguments($"'{member}' in 'OrderPlaced'", $"Herald's serializer cannot carry '{type}'; use a supported collection: 'T[]', 'List<T>', 'IReadOnlyList<T>', 'IList<T>', 'ICollection<T>', 'IReadOnlyCollection<T>', 'IEnumerable<T>', 'HashSet<T>', 'Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>'");

    [Fact]
    public async Task SetterFieldAndMutableCollections_AreReported()
    {
        const string source = Usings + """
            public sealed class OrderPlaced
            {
                public string {|#0:Sku|} { get; set; } = "";

                public int {|#1:Quantity|};

                public List<string> {|#2:Tags|} { get; init; } = [];

                public int[] {|#3:Lines|} { get; init; } = [];

                public Dictionary<string, int> {|#4:Stock|} { get; init; } = [];

                public IList<string> {|#5:Notes|} { get; init; } = [];

                public Queue<int> {|#6:Pending|} { get; init; } = new();
            }
            """ + Handlers;

        await Verify.VerifyAsync(source,
        [
            Mutable(0, "Sku", "OrderPlaced", "it has a public setter; use 'init'"),
            Mutable(1, "Quantity", "OrderPlaced", "it is a public field that is not readonly; make it 'readonly'"),
            Mutable(2, "Tags", "OrderPlaced", "'List<string>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyList<string>'"),
            Mutable(3, "Lines", "OrderPlaced", "'int[]' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyList<int>'"),
            Mutable(4, "Stock", "OrderPlaced", "'Dictionary<string, int>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyDictionary<string, int>'"),
            Mutable(5, "Notes", "OrderPlaced", "'IList<string>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyList<string>'"),
            Mutable(6, "Pending", "OrderPlaced", "'Queue<int>' can be changed after publishing, under every handler that shares the event; use a read-only or immutable collection"),
            NotCarriedCollection(6, "Pending", "Queue<int>"),
        ]);
    }

    [Fact]
    public async Task PositionalRecordStruct_IsReportedPerProperty()
    {
        const string source = Usings + """
            public record struct OrderPlaced(string {|#0:Sku|}, int {|#1:Quantity|});
            """ + Handlers;

        const string reason = "properties of a positional record struct have setters; declare it 'readonly record struct'";
        await Verify.VerifyAsync(source, [Mutable(0, "Sku", "OrderPlaced", reason), Mutable(1, "Quantity", "OrderPlaced", reason)]);
    }

    [Fact]
    public async Task MutableNestedType_IsReportedOnTheEventsMember()
    {
        const string source = Usings + """
            public sealed class Address
            {
                public string {|#1:Street|} { get; set; } = "";
            }

            public sealed record OrderPlaced(string Sku, Address {|#0:Shipping|});
            """ + Handlers;

        await Verify.VerifyAsync(source, [Mutable(0, "Shipping.Street", "OrderPlaced", "it has a public setter; use 'init'").WithLocation(1)]);
    }

    [Fact]
    public async Task CollectionOfMutableCollections_IsReported()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(IReadOnlyList<List<int>> {|#0:Batches|});
            """ + Handlers;

        await Verify.VerifyAsync(source,
            [Mutable(0, "Batches", "OrderPlaced", "'List<int>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyList<int>'")]);
    }

    [Fact]
    public async Task ImmutableEvents_AreNotReportedAsMutable()
    {
        const string source = Usings + """
            public sealed record Line(string Sku, int Quantity);

            public sealed class OrderPlaced
            {
                public OrderPlaced(string sku) => Sku = sku;

                public string Sku { get; }

                public readonly int Version = 1;

                public string Note { get; private set; } = "";

                public IReadOnlyList<Line> Lines { get; init; } = [];

                public System.Collections.Immutable.ImmutableArray<int> {|#0:Ids|} { get; init; } = [];

                public IReadOnlySet<string> {|#1:Tags|} { get; init; } = new HashSet<string>();

                public System.Collections.ObjectModel.ReadOnlyCollection<int> {|#2:Counts|} { get; init; } = new([]);

                public string Describe() => Sku + Note;
            }

            public readonly record struct OrderPinged(string Sku);
            """ + Handlers + """

            public static class More
            {
                [Subscribe] public static void On(OrderPinged e) { }
            }
            """;

        // Read-only collections are not HER0004; these three are HER0003, as Herald's serializer cannot carry them.
        await Verify.VerifyAsync(source,
        [
            NotCarriedCollection(0, "Ids", "ImmutableArray<int>"),
            NotCarriedCollection(1, "Tags", "IReadOnlySet<string>"),
            NotCarriedCollection(2, "Counts", "ReadOnlyCollection<int>"),
        ]);
    }

    [Fact]
    public async Task Fix_SetterBecomesInit_FieldBecomesReadonly()
    {
        const string source = Usings + """
            public sealed class OrderPlaced
            {
                public string {|HER0004:Sku|} { get; set; } = "";

                public int {|HER0004:Quantity|};

                public static OrderPlaced Of(string sku) => new() { Sku = sku };
            }
            """ + Handlers;
        const string fixedSource = Usings + """
            public sealed class OrderPlaced
            {
                public string Sku { get; init; } = "";

                public readonly int Quantity;

                public static OrderPlaced Of(string sku) => new() { Sku = sku };
            }
            """ + Handlers;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_RecordStructBecomesReadonly()
    {
        const string source = Usings + """
            public partial record struct OrderPlaced(string {|HER0004:Sku|}, int {|HER0004:Quantity|});
            """ + Handlers;
        const string fixedSource = Usings + """
            public readonly partial record struct OrderPlaced(string Sku, int Quantity);
            """ + Handlers;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_CollectionsBecomeReadOnlyInterfaces()
    {
        const string source = Usings + """
            public sealed record OrderPlaced(List<string> {|HER0004:Tags|}, int[]? {|HER0004:Lines|})
            {
                public Dictionary<string, int> {|HER0004:Stock|} { get; init; } = new Dictionary<string, int>();

                public HashSet<string> {|HER0004:Codes|} { get; init; } = new HashSet<string>(StringComparer.Ordinal);

                public static OrderPlaced Of() => new(["a"], [1, 2]) { Stock = new Dictionary<string, int> { ["a"] = 1 } };
            }
            """ + Handlers;
        const string fixedSource = Usings + """
            public sealed record OrderPlaced(IReadOnlyList<string> Tags, IReadOnlyList<int>? Lines)
            {
                public IReadOnlyDictionary<string, int> Stock { get; init; } = new Dictionary<string, int>();

                public IReadOnlyCollection<string> Codes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

                public static OrderPlaced Of() => new(["a"], [1, 2]) { Stock = new Dictionary<string, int> { ["a"] = 1 } };
            }
            """ + Handlers;

        // A set becomes IReadOnlyCollection<T>, not IReadOnlySet<T>: that one Herald's serializer cannot carry (HER0003).
        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_AddsTheUsingTheReadOnlyInterfaceNeeds()
    {
        const string source = """
            using Herald;

            public sealed record OrderPlaced(System.Collections.Generic.List<string> {|HER0004:Tags|});

            public static class Handlers
            {
                [Subscribe] public static void On(OrderPlaced e) { }
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using Herald;

            public sealed record OrderPlaced(IReadOnlyList<string> Tags);

            public static class Handlers
            {
                [Subscribe] public static void On(OrderPlaced e) { }
            }
            """;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_OfNestedMember_ChangesTheNestedType()
    {
        const string source = Usings + """
            public sealed class Address
            {
                public string Street { get; set; } = "";
            }

            public sealed record OrderPlaced(string Sku, Address {|#0:Shipping|});
            """ + Handlers;
        const string fixedSource = Usings + """
            public sealed class Address
            {
                public string Street { get; init; } = "";
            }

            public sealed record OrderPlaced(string Sku, Address Shipping);
            """ + Handlers;

        var test = new Fix { TestCode = source, FixedCode = fixedSource };
        test.TestState.ExpectedDiagnostics.Add(Mutable(0, "Shipping.Street", "OrderPlaced", "it has a public setter; use 'init'").WithSpan(10, 19, 10, 25));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Fix_IsNotOffered_WhereCodeChangesTheEvent()
    {
        // The handler writes the setter and adds to the list: neither change would compile, so neither is offered.
        const string source = Usings + """
            public sealed class OrderPlaced
            {
                public string {|HER0004:Sku|} { get; set; } = "";

                public List<string> {|HER0004:Tags|} { get; init; } = [];
            }

            public static class Handlers
            {
                [Subscribe]
                public static void On(OrderPlaced e)
                {
                    e.Sku = e.Sku.Trim();
                    e.Tags.Add("seen");
                }
            }
            """;

        await Fix.VerifyAsync(source, source);
    }

    [Fact]
    public async Task FixAll_FixesEveryKindAcrossTheDocument()
    {
        const string source = Usings + """
            public sealed class OrderPlaced
            {
                public string {|HER0004:Sku|} { get; set; } = "";

                public List<int> {|HER0004:Lines|} { get; set; } = [];
            }

            public sealed class OrderShipped
            {
                public string {|HER0004:Carrier|} { get; set; } = "";

                public string {|HER0004:Tracking|} = "";
            }

            public static class Handlers
            {
                [Subscribe] public static void On(OrderPlaced e) { }
                [Subscribe] public static void On(OrderShipped e) { }
            }
            """;
        const string fixedSource = Usings + """
            public sealed class OrderPlaced
            {
                public string Sku { get; init; } = "";

                public IReadOnlyList<int> Lines { get; init; } = [];
            }

            public sealed class OrderShipped
            {
                public string Carrier { get; init; } = "";

                public readonly string Tracking = "";
            }

            public static class Handlers
            {
                [Subscribe] public static void On(OrderPlaced e) { }
                [Subscribe] public static void On(OrderShipped e) { }
            }
            """;

        var test = new Fix { TestCode = source, FixedCode = fixedSource };
        // Lines is both settable and a List: two diagnostics on one member, both fixed.
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.MutableEvent).WithSpan(12, 22, 12, 27)
            .WithArguments("Lines", "OrderPlaced", "'List<int>' can be changed after publishing, under every handler that shares the event; use 'IReadOnlyList<int>'"));
        await test.RunAsync(CancellationToken.None);
    }
}
