using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests;

/// <summary>
/// How a durable event (one with an <c>[Event]</c> name) is dispatched: serialized before any inline handler runs,
/// handed to the log after they all succeeded, with a dispatcher even when nothing handles it.
/// </summary>
public sealed class DurableDispatchTests
{
    private const string Prepare = "global::Herald.Infrastructure.DurableDispatch.Prepare(bus, e);";
    private const string Enqueue = "global::Herald.Infrastructure.DurableDispatch.Enqueue(bus, envelope);";

    [Fact]
    public void SyncPublish_SerializesBeforeTheHandlersAndEnqueuesAfterTheyCompleted()
    {
        var source = GeneratorRun.Run(Scenarios.DurableEvents()).GeneratedSource;
        var publish = Between(source, "internal static void Publish(global::Herald.IEventBus bus, global::Sample.StockCounted e)", "internal static global::System.Threading.Tasks.ValueTask PublishAsync");

        Assert.True(Position(publish, Prepare) < Position(publish, "global::Sample.Shelf.Update(e)"));
        Assert.True(Position(publish, "global::Sample.Shelf.Update(e)") < Position(publish, "context.Complete("));
        Assert.True(Position(publish, "context.Complete(") < Position(publish, Enqueue));
    }

    [Fact]
    public void AsyncPublish_SerializesInsideTheTryAndAppendsWithTheEventsDurabilityAfterTheHandlers()
    {
        var source = GeneratorRun.Run(Scenarios.DurableEvents()).GeneratedSource;
        var publish = Between(source, "PublishAsync(global::Herald.IEventBus bus, global::Sample.OrderCreated e", "private static async");
        var resume = Between(source, "ContinueAsync(global::Herald.IEventBus bus, global::Herald.Infrastructure.DispatchContext context, global::Sample.OrderCreated e, global::Herald.EventEnvelope envelope", "finally");
        const string append = "global::Herald.Infrastructure.DurableDispatch.AppendAsync(bus, envelope, global::Herald.Durability.Persisted, cancellationToken)";

        Assert.True(Position(publish, "try") < Position(publish, Prepare));
        Assert.True(Position(publish, Prepare) < Position(publish, "global::Sample.AuditLog.Write(e)"));
        Assert.True(Position(publish, "context.Complete(") < Position(publish, "return " + append + ";"));
        Assert.Contains("return ContinueAsync(bus, context, e, envelope, cancellationToken, pending, 1);", publish, StringComparison.Ordinal);
        Assert.True(Position(resume, "context.Complete(") < Position(resume, "await " + append + ".ConfigureAwait(false);"));
    }

    [Fact]
    public void DeclaredEventWithoutHandlersOrPublishers_GetsAModuleAndADispatcher()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Declared", """
            using Herald;

            namespace Sample;

            [Event("ledger.closed", Durability = Durability.Buffered)]
            public sealed record LedgerClosed(int Year);
            """));
        var source = run.GeneratedSource;

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("internal sealed class Dispatcher0 : global::Herald.Infrastructure.EventDispatcher<global::Sample.LedgerClosed>", source, StringComparison.Ordinal);
        Assert.Contains("new DurableEvent0(),", source, StringComparison.Ordinal);
        Assert.Contains(": base(\"ledger.closed\", 1, global::Herald.Durability.Buffered)", source, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Infrastructure.DurableDispatch.AppendAsync(bus, envelope, global::Herald.Durability.Buffered, cancellationToken)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateDurableHandlers", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencingAssembly_RegistersTheReferencedModulesInItsModuleInitializer()
    {
        var source = GeneratorRun.Run(Scenarios.DurableApp()).GeneratedSource;

        Assert.Contains("""
                    internal static void Initialize()
                    {
                        Register();
                        global::Herald.Generated.Shop.Billing.DispatchTable.Register();
                    }
            """, source.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void AssemblyThatOnlyReferencesAModule_GetsAModuleThatRegistersIt()
    {
        MetadataReference library = TestCompilation.EmitWithGeneratedCode(Scenarios.DurableLibrary());
        var run = GeneratorRun.Run(TestCompilation.Create("Shop.Host", "namespace Shop.Host; public static class Program { }", [library]));

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("global::Herald.Generated.Shop.Billing.DispatchTable.Register();", run.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedEventOfAReferencedAssembly_IsDurableWithTheNameReadFromItsMetadata()
    {
        var source = GeneratorRun.Run(Scenarios.DurableApp()).GeneratedSource;
        var publish = Between(source, "PublishAsync(global::Herald.IEventBus bus, global::Shop.Billing.InvoiceIssued e", "internal sealed class Dispatcher");

        Assert.Contains(Prepare, publish, StringComparison.Ordinal);
        Assert.Contains("AppendAsync(bus, envelope, global::Herald.Durability.Persisted, cancellationToken)", publish, StringComparison.Ordinal);
        // The type is described by the library that declares it, not again here.
        Assert.DoesNotContain("DurableEventType<", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generic type", "[Event(\"boxes.packed\")] public sealed record Packed<T>(T Content);", "Packed")]
    [InlineData("blank name", "[Event(\" \")] public sealed record Blank(int Id);", "Blank")]
    [InlineData("type generated code cannot name", "public sealed class Outer { [Event(\"hidden\")] private sealed record Hidden(int Id); }", "Hidden")]
    public void UnusableEvent_IsNotDurable(string reason, string declaration, string typeName)
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Unusable", "using Herald;\n\nnamespace Sample;\n\n" + declaration));

        Assert.Null(run.Result.Exception);
        Assert.True(
            run.Result.GeneratedSources.IsEmpty || !run.GeneratedSource.Contains(typeName, StringComparison.Ordinal),
            $"An event with a {reason} was made durable.");
    }

    [Fact]
    public void InternalEventAndPayloadTypes_Compile()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Internal", """
            using System.Collections.Generic;
            using Herald;

            namespace Sample;

            internal enum Level { Low, High }

            internal readonly record struct Reading(double Value, Level Level);

            [Event("sensors.read")]
            internal sealed record SensorRead([property: PartitionKey] string Sensor, IReadOnlyList<Reading> Readings);

            internal sealed class Logger
            {
                [Subscribe(Consumer = "logging")]
                public void Log(SensorRead e) { }
            }
            """));

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("DurableEventType<global::Sample.SensorRead>", run.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesWithQuotesBackslashesAndLineBreaks_AreWrittenAsValidLiterals()
    {
        var loaded = GeneratedAssembly.Load("""
            using Herald;

            namespace Sample;

            [Event("odd \"name\" \\ with\nbreak")]
            public sealed record Odd(int Id);

            public static class Consumer
            {
                [Subscribe(Consumer = "the \"quoted\" \\ consumer\n")]
                public static void Handle(Odd e) { }
            }
            """);

        Assert.Equal(1, loaded.DurableType("odd \"name\" \\ with\nbreak").Version);
    }

    [Fact]
    public void NonDurableEvent_HasNoDurableCode()
    {
        var source = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers()).GeneratedSource;

        Assert.DoesNotContain("DurableDispatch", source, StringComparison.Ordinal);
        Assert.DoesNotContain("envelope", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Durable", source, StringComparison.Ordinal);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not in the generated source.");
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        Assert.True(to >= 0, $"'{end}' does not follow '{start}'.");
        return text[from..to];
    }

    private static int Position(string text, string part)
    {
        var position = text.IndexOf(part, StringComparison.Ordinal);
        Assert.True(position >= 0, $"'{part}' is not in:\n{text}");
        return position;
    }
}
