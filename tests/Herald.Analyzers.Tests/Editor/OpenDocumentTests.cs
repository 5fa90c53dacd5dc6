using System.Collections.Immutable;
using System.Reflection;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Herald.Analyzers.Tests.Editor;

/// <summary>
/// The analyzers as an IDE runs them on the open document: <see cref="CompilationWithAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(SyntaxTree, CancellationToken)"/>
/// and <see cref="CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(SemanticModel, TextSpan?, CancellationToken)"/>
/// per document, on a compilation that holds the generator's output. Every rule a document can see reports there,
/// on that document, with its exact span; the command-line build reports the same diagnostics once each, plus the
/// two global ones (HER0008, and HER0007's shared name).
/// </summary>
public sealed class OpenDocumentTests
{
    /// <summary>Marks named <c>HERnnnn</c> are document diagnostics; <c>HERnnnn_end</c> come only from the end of the compilation.</summary>
    private static readonly (string Path, string Markup)[] Project =
    [
        ("Events.cs", """
            using System;
            using System.Collections.Generic;
            using Herald;

            namespace Shop;

            public sealed record Upload(string Name, byte[] {|HER0001:Data|}, DateTime {|HER0002:At|});

            public sealed record Attachment(string FileName, byte[] Content);

            public sealed record MailSent(string To, Attachment {|HER0001:File|});

            [Event("orders.paid")]
            public sealed record OrderPaid(Guid OrderId, decimal {|HER0009:Total|}, Action {|HER0003:Callback|});

            public sealed class CartChanged
            {
                public string {|HER0004:CartId|} { get; set; } = "";
            }

            public sealed record FileSaved(string Path) : FileEvent;

            public sealed record InvoiceIssued(string Number);

            [{|HER0007_end:Event("stock.changed")|}]
            public sealed record StockReserved(string Sku);

            [{|HER0007_end:Event("stock.changed")|}]
            public sealed record StockReleased(string Sku);

            [{|HER0007:Event(" ")|}]
            public sealed record Blank(int Id);

            public sealed record CacheWarmed(string Region);

            [{|HER0007:Event("boxes.packed")|}]
            public sealed record Packed<T>(T Content);

            public sealed record ReportRequested(string Name);
            """),
        ("FileEvent.cs", """
            namespace Shop;

            // Not an event itself: the base of one that a handler in another file receives.
            public abstract record FileEvent
            {
                public byte[] {|HER0001:Thumbnail|} { get; init; } = [];
            }
            """),
        ("Handlers.cs", """
            using System.Threading;
            using System.Threading.Tasks;
            using Herald;

            namespace Shop;

            public static class Handlers
            {
                [Subscribe] public static void Store({|HER0001:{|HER0002:Upload|}|} e) { }
                [Subscribe] public static void Archive({|HER0001:MailSent|} e) { }
                [Subscribe] public static void Track({|HER0004:CartChanged|} e) { }
                [Subscribe] public static void Index({|HER0001:FileSaved|} e) { }
                [Subscribe] public static Task Render(ReportRequested e, CancellationToken ct) => Task.CompletedTask;
                [Subscribe] public static void Reserve(StockReserved e) { }
                [Subscribe] public static void Release(StockReleased e) { }
                [Subscribe] public static void Count(Blank e) { }
                [Subscribe] public static async void {|HER0005:Notify|}(Upload e) => await Task.Yield();
            }

            public sealed class Ledger
            {
                [Subscribe(Consumer = "ledger")]
                public Task Book({|HER0003:{|HER0009:OrderPaid|}|} e, CancellationToken ct) => Task.CompletedTask;

                [Subscribe(Consumer = "ledger")]
                public Task {|HER0007:Record|}(InvoiceIssued e, CancellationToken ct) => Task.CompletedTask;

                [Subscribe(Consumer = "ledger")]
                public Task {|HER0007:Box|}(Packed<int> e, CancellationToken ct) => Task.CompletedTask;
            }
            """),
        ("Publishers.cs", """
            using System.Threading;
            using System.Threading.Tasks;
            using Herald;

            namespace Shop;

            public static class Publishers
            {
                public static void RequestReport(IEventBus bus) => {|HER0006:bus.Publish(new ReportRequested("monthly"))|};

                public static ValueTask WarmCache(IEventBus bus, CancellationToken ct) => {|HER0008_end:bus.PublishAsync(new CacheWarmed("eu"), ct)|};
            }
            """),
    ];

    [Fact]
    public async Task EveryDocumentRule_ReportsInItsDocument_WithItsExactSpan()
    {
        var (project, markups) = Build();

        foreach (var tree in project.SourceTrees)
        {
            var expected = markups[tree.FilePath].Spans
                .Where(mark => !mark.Name.EndsWith("_end", StringComparison.Ordinal))
                .Select(mark => (mark.Name, mark.Span))
                .Order();
            var actual = (await AnalyzeOpenDocumentAsync(project.Compilation, tree))
                .Select(d => (d.Id, d.Location.SourceSpan))
                .Order();

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Build_ReportsWhatTheDocumentsReport_OnceEach_AndTheGlobalRules()
    {
        var (project, markups) = Build();
        var documents = new List<Diagnostic>();
        foreach (var tree in project.SourceTrees)
            documents.AddRange(await AnalyzeOpenDocumentAsync(project.Compilation, tree));

        var build = await project.Compilation.WithAnalyzers(Analyzers()).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.DoesNotContain(build, d => d.Id == "AD0001");
        Assert.Equal(build.Length, build.Select(Identity).Distinct().Count());
        var global = build.Where(d => d.Id == RuleIdentifiers.UnhandledEvent || d.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)).ToArray();
        Assert.Equal(
            documents.Select(Identity).Order(),
            build.Except(global).Select(Identity).Order());
        Assert.Equal(
            markups.SelectMany(m => m.Value.Spans.Where(s => s.Name.EndsWith("_end", StringComparison.Ordinal)).Select(s => (m.Key, s.Name[..^"_end".Length], s.Span))).Order(),
            global.Select(d => (d.Location.SourceTree!.FilePath, d.Id, d.Location.SourceSpan)).Order());
    }

    [Fact]
    public async Task OneSpanOfADocument_GetsTheDiagnosticsInThatSpan()
    {
        // The IDE asks for the lines on screen, or the line under the caret for its light bulb.
        var (project, _) = Build();
        var tree = project.Tree("Events.cs");
        var line = tree.GetText().Lines.Single(l => l.ToString().Contains("record Upload", StringComparison.Ordinal));

        var model = project.Compilation.GetSemanticModel(tree);
        var diagnostics = await project.Compilation.WithAnalyzers(Analyzers()).GetAnalyzerSemanticDiagnosticsAsync(model, line.Span, CancellationToken.None);

        Assert.Equal(
            ["HER0001: 'Data' in 'Upload' is raw binary (byte[]): store the content elsewhere and pass a URL or an ID instead",
             "HER0002: 'At' in 'Upload' has type DateTime: a DateTime loses its Kind on the wire, so a consumer cannot tell UTC from local time; use DateTimeOffset"],
            diagnostics.Select(d => d.Id + ": " + d.GetMessage()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HandlerAddedInAnotherFile_MakesTheEventsDocumentReport_AfterTheEdit()
    {
        // What a document learns of the rest of the compilation comes through the generator's event index: an edit in
        // one file shows in another once the generator has run on the edited compilation, as the IDE runs it.
        var before = ProjectCompilation.Create([
            ("Events.cs", "namespace Shop; public sealed record Scanned(string Name, byte[] Image);"),
            ("Handlers.cs", "namespace Shop; public static class Handlers { }"),
        ]);
        Assert.Empty(await AnalyzeOpenDocumentAsync(before.Compilation, before.Tree("Events.cs")));

        var after = before.Edit("Handlers.cs", "namespace Shop; public static class Handlers { [Herald.Subscribe] public static void On(Scanned e) { } }");

        var diagnostic = Assert.Single(await AnalyzeOpenDocumentAsync(after.Compilation, after.Tree("Events.cs")));
        Assert.Equal(RuleIdentifiers.RawBinaryMember, diagnostic.Id);
        Assert.Equal("Image", after.Tree("Events.cs").GetText().ToString(diagnostic.Location.SourceSpan));
        var atHandler = Assert.Single(await AnalyzeOpenDocumentAsync(after.Compilation, after.Tree("Handlers.cs")));
        Assert.Equal(diagnostic.GetMessage(), atHandler.GetMessage());
        Assert.Equal(diagnostic.Location, atHandler.AdditionalLocations.Single());
    }

    [Fact]
    public async Task DocumentAnalysis_ReportsNothingFromTheEndOfTheCompilation()
    {
        var (project, _) = Build();
        var diagnostics = new List<Diagnostic>();
        foreach (var tree in project.SourceTrees)
            diagnostics.AddRange(await AnalyzeOpenDocumentAsync(project.Compilation, tree));

        Assert.DoesNotContain(diagnostics, d => d.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
        Assert.DoesNotContain(diagnostics, d => d.Id == RuleIdentifiers.UnhandledEvent);
    }

    /// <summary>What an IDE computes for one open document: its syntax, then its semantic analyzer diagnostics.</summary>
    internal static async Task<ImmutableArray<Diagnostic>> AnalyzeOpenDocumentAsync(Compilation compilation, SyntaxTree tree)
    {
        var analysis = compilation.WithAnalyzers(Analyzers());
        var syntax = await analysis.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None);
        var semantic = await analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None);
        var all = syntax.AddRange(semantic);
        Assert.DoesNotContain(all, d => d.Id == "AD0001");
        Assert.All(all, d => Assert.Equal(tree, d.Location.SourceTree));
        return all;
    }

    /// <summary>Every Herald analyzer, as the package ships them.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers()
        => typeof(SyncPublishAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !typeof(DiagnosticSuppressor).IsAssignableFrom(t)
                        && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static (ProjectCompilation Project, Dictionary<string, SpanMarkup> Markups) Build()
    {
        var markups = Project.ToDictionary(file => file.Path, file => SpanMarkup.Parse(file.Markup));
        var project = ProjectCompilation.Create(markups.Select(m => (m.Key, m.Value.Text)));
        Assert.Empty(project.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (project, markups);
    }

    private static (string Id, string Path, TextSpan Span, string Message, DiagnosticSeverity Severity) Identity(Diagnostic diagnostic)
        => (diagnostic.Id, diagnostic.Location.SourceTree!.FilePath, diagnostic.Location.SourceSpan, diagnostic.GetMessage(), diagnostic.Severity);
}
