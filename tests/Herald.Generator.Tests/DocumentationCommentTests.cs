using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests;

/// <summary>
/// The generated XML documentation stays well formed for every event type, in a project that checks documentation
/// comments (<c>GenerateDocumentationFile</c>, here <see cref="DocumentationMode.Diagnose"/>).
/// </summary>
public sealed class DocumentationCommentTests
{
    /// <summary>Badly formed XML, unresolved cref, syntactically wrong cref, and the warning that explains CS1584.</summary>
    private static readonly string[] s_documentationWarnings = ["CS1570", "CS1574", "CS1584", "CS1658"];

    // Every public member is documented, so that the only documentation warnings could come from the generated code.
    private const string GenericAndArrayEventsSource = """
        using Herald;

        namespace Sample;

        /// <summary>An order.</summary>
        public sealed record Order(int Id);

        /// <summary>A value in an envelope.</summary>
        public sealed record Envelope<T>(T Value);

        /// <summary>Handlers of constructed event types.</summary>
        public static class Handlers
        {
            /// <summary>Handles an envelope of int.</summary>
            [Subscribe]
            public static void OnNumber(Envelope<int> e) { }

            /// <summary>Handles an envelope of order.</summary>
            [Subscribe]
            public static void OnOrder(Envelope<Sample.Order> e) { }

            /// <summary>Handles a batch of orders.</summary>
            [Subscribe]
            public static void OnBatch(Sample.Order[] e) { }
        }
        """;

    [Fact]
    public void GenericAndArrayEvents_GeneratedDocumentationHasNoWarnings()
    {
        var compilation = TestCompilation.Create(
            "Sample.Envelopes",
            [("Handlers.cs", GenericAndArrayEventsSource)],
            parseOptions: TestCompilation.DocumentationParseOptions);

        var run = GeneratorRun.Run(compilation, parseOptions: TestCompilation.DocumentationParseOptions);

        // The generated table was parsed with documentation checks too; otherwise this test would prove nothing.
        Assert.All(run.OutputCompilation.SyntaxTrees, tree => Assert.Equal(DocumentationMode.Diagnose, tree.Options.DocumentationMode));
        var diagnostics = run.OutputCompilation.GetDiagnostics();
        Assert.DoesNotContain(diagnostics, d => s_documentationWarnings.Contains(d.Id));
        Assert.Empty(run.CompilationProblems());
    }

    // Durable events: an event name with XML characters, a generic payload type, a durable consumer.
    private const string DurableEventsSource = """
        using System.Collections.Generic;
        using Herald;

        namespace Sample;

        /// <summary>A value and its unit.</summary>
        public sealed record Measure<T>(T Value, string Unit);

        /// <summary>Readings.</summary>
        [Event("sensors<read>&done")]
        public sealed record Readings(IReadOnlyList<Measure<double>> Values);

        /// <summary>Handlers of readings.</summary>
        public static class Handlers
        {
            /// <summary>Handles readings inline.</summary>
            [Subscribe]
            public static void OnReadings(Readings e) { }

            /// <summary>Handles readings from the log.</summary>
            [Subscribe(Consumer = "archive")]
            public static void Archive(Readings e) { }
        }
        """;

    [Fact]
    public void DurableEvents_GeneratedDocumentationHasNoWarnings()
    {
        var compilation = TestCompilation.Create(
            "Sample.Readings",
            [("Handlers.cs", DurableEventsSource)],
            parseOptions: TestCompilation.DocumentationParseOptions);

        var run = GeneratorRun.Run(compilation, parseOptions: TestCompilation.DocumentationParseOptions);

        Assert.Contains("<c>sensors&lt;read&gt;&amp;done</c>", run.GeneratedSource, StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutputCompilation.GetDiagnostics(), d => s_documentationWarnings.Contains(d.Id));
        Assert.Empty(run.CompilationProblems());
    }

    [Fact]
    public void GenericAndArrayEvents_AreNamedAsEscapedTextInDocumentation()
    {
        var source = GeneratorRun.Run(
            TestCompilation.Create("Sample.Envelopes", [("Handlers.cs", GenericAndArrayEventsSource)], parseOptions: TestCompilation.DocumentationParseOptions),
            parseOptions: TestCompilation.DocumentationParseOptions).GeneratedSource;

        Assert.Contains("/// <summary>Runs the inline handlers of <c>Sample.Envelope&lt;int&gt;</c>: <c>Sample.Handlers.OnNumber</c>.</summary>", source, StringComparison.Ordinal);
        Assert.Contains("/// <summary>Runs the inline handlers of <c>Sample.Envelope&lt;Sample.Order&gt;</c>: <c>Sample.Handlers.OnOrder</c>.</summary>", source, StringComparison.Ordinal);
        Assert.Contains("/// <summary>Runs the inline handlers of <c>Sample.Order[]</c>: <c>Sample.Handlers.OnBatch</c>.</summary>", source, StringComparison.Ordinal);
        Assert.Contains("public static void Publish(global::Herald.IEventBus bus, global::Sample.Envelope<int> @event)", source, StringComparison.Ordinal);
        Assert.Contains("public static void Publish(global::Herald.IEventBus bus, global::Sample.Order[] @event)", source, StringComparison.Ordinal);
        // A cref naming a constructed or array type is what produced CS1584/CS1658 before.
        Assert.DoesNotContain("cref=\"global::Sample.", source, StringComparison.Ordinal);
    }
}
