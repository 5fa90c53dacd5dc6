using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>HER0009: a durable event carries a <c>decimal</c>.</summary>
public sealed class DecimalTests
{
    [Fact]
    public async Task DecimalOnNamedEvent_DirectNullableAndNested_IsReported()
    {
        const string source = Usings + """
            public readonly record struct Money(decimal {|#2:Amount|}, string Currency);

            [Event("orders.paid")]
            public sealed record OrderPaid(Guid Id, decimal {|#0:Total|}, decimal? {|#1:Discount|}, Money {|#3:Tax|}, long TotalCents);
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(0).WithArguments("Total", "OrderPaid", "decimal"),
            new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(1).WithArguments("Discount", "OrderPaid", "decimal?"),
            new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(3).WithLocation(2).WithArguments("Tax.Amount", "OrderPaid", "decimal"),
        ]);
    }

    [Fact]
    public async Task DecimalOnEventOfADurableConsumer_IsReported()
    {
        const string source = Usings + """
            public sealed class OrderPaid
            {
                public IReadOnlyList<decimal> {|#0:Lines|} { get; init; } = [];
            }

            public sealed class Ledger
            {
                [Subscribe(Consumer = "ledger")]
                public Task Book(OrderPaid e, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source,
            [new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(0).WithArguments("Lines", "OrderPaid", "IReadOnlyList<decimal>")]);
    }

    [Fact]
    public async Task DecimalOnInlineOnlyEvent_IsNotReported()
    {
        const string source = Usings + """
            public sealed record PriceChanged(string Sku, decimal Price);

            public static class Cache
            {
                [Subscribe] public static void Refresh(PriceChanged e) { }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
