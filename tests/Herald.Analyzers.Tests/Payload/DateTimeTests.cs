using Herald.Analyzers.CodeFixes;
using Herald.Analyzers.Payload;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Fix = Herald.Analyzers.Tests.Infrastructure.HeraldCodeFixTest<Herald.Analyzers.Payload.PayloadAnalyzer, Herald.Analyzers.CodeFixes.DateTimeOffsetCodeFixProvider>;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>HER0002: an event member is <c>DateTime</c>; the fix changes it to <c>DateTimeOffset</c>.</summary>
public sealed class DateTimeTests
{
    private const string Handlers = """

        public static class Handlers
        {
            [Subscribe] public static void On(OrderShipped e) { }
        }
        """;

    [Fact]
    public async Task NullableCollectionAndDictionaryKeyOfDateTime_AreReported()
    {
        const string source = Usings + """
            public sealed record OrderShipped(
                DateTime? {|#0:DeliveredAt|},
                IReadOnlyList<DateTime> {|#1:Attempts|},
                IReadOnlyDictionary<DateTime, string> {|#2:Log|},
                DateTimeOffset ShippedAt,
                DateOnly Day,
                TimeSpan Took);
            """ + Handlers;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(0).WithArguments("DeliveredAt", "OrderShipped", "DateTime?"),
            new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(1).WithArguments("Attempts", "OrderShipped", "IReadOnlyList<DateTime>"),
            new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(2).WithArguments("Log", "OrderShipped", "IReadOnlyDictionary<DateTime, string>"),
            // Herald's serializer writes dictionaries with string keys only.
            new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(2)
                .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
                .WithArguments("'Log' in 'OrderShipped'", "Herald's serializer cannot carry 'IReadOnlyDictionary<DateTime, string>': dictionary keys must be strings; use string keys ('Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>')"),
        ]);
    }

    [Fact]
    public async Task DateTimeInNestedStruct_IsReportedOnTheEventsMember()
    {
        const string source = Usings + """
            public readonly record struct Window(DateTime {|#1:From|}, DateTimeOffset To);

            public sealed class OrderShipped
            {
                public required Window {|#0:Delivery|} { get; init; }
            }
            """ + Handlers;

        var expected = new DiagnosticResult(DiagnosticDescriptors.DateTimeMember)
            .WithLocation(0).WithLocation(1).WithArguments("Delivery.From", "OrderShipped", "DateTime");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task DateTimeOffsetOnly_IsNotReported()
    {
        const string source = Usings + """
            public sealed record OrderShipped(DateTimeOffset ShippedAt, DateTimeOffset? DeliveredAt);
            """ + Handlers;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Fix_ChangesPositionalPropertyAndFieldTypes()
    {
        const string source = Usings + """
            public sealed record OrderShipped(string Sku, DateTime {|HER0002:ShippedAt|})
            {
                public System.DateTime? {|HER0002:DeliveredAt|} { get; init; }

                public IReadOnlyList<DateTime> {|HER0002:Attempts|} { get; init; } = [];
            }

            public static class Handlers
            {
                [Subscribe] public static void On(OrderShipped e) { }

                public static OrderShipped Make() => new("sku", DateTime.UtcNow) { DeliveredAt = DateTime.UtcNow };
            }
            """;
        const string fixedSource = Usings + """
            public sealed record OrderShipped(string Sku, DateTimeOffset ShippedAt)
            {
                public System.DateTimeOffset? DeliveredAt { get; init; }

                public IReadOnlyList<DateTimeOffset> Attempts { get; init; } = [];
            }

            public static class Handlers
            {
                [Subscribe] public static void On(OrderShipped e) { }

                public static OrderShipped Make() => new("sku", DateTime.UtcNow) { DeliveredAt = DateTime.UtcNow };
            }
            """;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_OfNestedMember_ChangesTheNestedDeclaration()
    {
        const string source = Usings + """
            public sealed record Window(DateTime From);

            public sealed record OrderShipped(Window {|#0:Delivery|});
            """ + Handlers;
        const string fixedSource = Usings + """
            public sealed record Window(DateTimeOffset From);

            public sealed record OrderShipped(Window Delivery);
            """ + Handlers;

        var test = new Fix { TestCode = source, FixedCode = fixedSource };
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.DateTimeMember)
            .WithLocation(0).WithSpan(8, 38, 8, 42).WithArguments("Delivery.From", "OrderShipped", "DateTime"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Fix_IsNotOffered_WhenCodeReadsTheKind()
    {
        // DateTimeOffset has no Kind: the change would break the handler, so no fix is offered.
        const string source = Usings + """
            public sealed record OrderShipped(DateTime {|HER0002:ShippedAt|});

            public static class Handlers
            {
                [Subscribe] public static void On(OrderShipped e) => Console.WriteLine(e.ShippedAt.Kind);
            }
            """;

        await Fix.VerifyAsync(source, source);
    }

    [Fact]
    public async Task FixAll_ChangesEveryEventInTheDocument()
    {
        const string source = Usings + """
            public sealed record OrderShipped(DateTime {|HER0002:ShippedAt|});

            public sealed record OrderReturned(DateTime {|HER0002:ReturnedAt|}, DateTime? {|HER0002:RefundedAt|});

            public static class Handlers
            {
                [Subscribe] public static void On(OrderShipped e) { }
                [Subscribe] public static void On(OrderReturned e) { }
            }
            """;
        const string fixedSource = Usings + """
            public sealed record OrderShipped(DateTimeOffset ShippedAt);

            public sealed record OrderReturned(DateTimeOffset ReturnedAt, DateTimeOffset? RefundedAt);

            public static class Handlers
            {
                [Subscribe] public static void On(OrderShipped e) { }
                [Subscribe] public static void On(OrderReturned e) { }
            }
            """;

        var test = new Fix { TestCode = source, FixedCode = fixedSource };
        test.BatchFixedCode = fixedSource;
        await test.RunAsync(CancellationToken.None);
    }
}
