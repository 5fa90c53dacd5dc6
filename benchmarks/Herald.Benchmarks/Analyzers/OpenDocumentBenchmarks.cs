using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Benchmarks.Analyzers;

/// <summary>
/// What Herald's analyzers cost where the user types: the IDE, after a keystroke in one document of the 2,000-event
/// project (<see cref="AnalyzerProject"/>), makes a new compilation, runs the generators (their cost is
/// GeneratorBenchmarks' business) and analyzes the open document: syntax, then semantic diagnostics, with the
/// document already bound for the compiler's own squiggles. The baseline is that binding: the compiler's diagnostics
/// of the same document on the same fresh compilation. The floor is what the analyzer driver costs any analyzer that
/// registers a symbol and an operation action (doing nothing in them), times the number of analyzers Herald ships
/// (the driver runs each analyzer's actions on its own): Herald's own part is the difference between its row and the
/// floor. <see cref="OpenDocumentRun"/> measures the same per analyzer, from the driver's own telemetry.
/// </summary>
/// <remarks>
/// Each operation gets a compilation no earlier operation touched (the edit is made in the iteration setup), so no
/// symbol bound by one operation serves the next, as after a real keystroke. The last row is what the analyzers
/// would pay instead of reading the generator's event index: finding and binding every handler and publish site of
/// the project on each new compilation.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class OpenDocumentBenchmarks
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> s_floor =
        [.. Enumerable.Range(0, EditSession.HeraldAnalyzers.Length).Select(_ => new EmptyAnalyzer())];

    private static readonly ImmutableArray<DiagnosticAnalyzer> s_oneAnalyzerFloor = [new EmptyAnalyzer()];

    private EditSession _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        _session = new EditSession();

        // The operation measured must find what the document holds, through the index the generator wrote.
        var found = HeraldAnalyzers();
        if (found != AnalyzerProject.OpenDocumentDiagnostics)
            throw new InvalidOperationException($"Herald reported {found} diagnostics in {AnalyzerProject.OpenDocument}, expected {AnalyzerProject.OpenDocumentDiagnostics}.");
        var indexed = IndexEveryHandlerAndPublishSite();
        if (indexed != 2 * AnalyzerProject.EventCount)
            throw new InvalidOperationException($"The alternative index found {indexed} handlers and publish sites, expected {2 * AnalyzerProject.EventCount}.");
    }

    [IterationSetup(Target = nameof(CompilerDiagnostics))]
    public void EditForTheCompiler() => _session.Edit();

    [IterationSetup(Targets = [nameof(HeraldAnalyzers), nameof(DriverFloor), nameof(OneAnalyzerFloor)])]
    public void EditForTheAnalyzers()
    {
        _session.Edit();
        _session.Model.GetDiagnostics(); // the IDE has bound the document for the compiler's squiggles
    }

    [IterationSetup(Target = nameof(IndexEveryHandlerAndPublishSite))]
    public void EditForTheIndex() => _session.Edit();

    [Benchmark(Baseline = true, Description = "compiler: diagnostics of the open document after an edit")]
    public int CompilerDiagnostics() => _session.Model.GetDiagnostics().Length;

    [Benchmark(Description = "Herald analyzers: the open document after an edit")]
    public int HeraldAnalyzers() => _session.AnalyzeOpenDocument(_session.Compilation.WithAnalyzers(EditSession.HeraldAnalyzers));

    [Benchmark(Description = "floor: as many analyzers as Herald's, with empty symbol and operation actions")]
    public int DriverFloor() => _session.AnalyzeOpenDocument(_session.Compilation.WithAnalyzers(s_floor));

    [Benchmark(Description = "floor: one analyzer with empty symbol and operation actions")]
    public int OneAnalyzerFloor() => _session.AnalyzeOpenDocument(_session.Compilation.WithAnalyzers(s_oneAnalyzerFloor));

    [Benchmark(Description = "instead of the event index: bind every handler and publish site of the project")]
    public int IndexEveryHandlerAndPublishSite()
    {
        var found = 0;
        var compilation = _session.Compilation;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is MethodDeclarationSyntax { AttributeLists.Count: > 0 } method
                    && model.GetDeclaredSymbol(method) is { } handler
                    && handler.GetAttributes().Any(a => a.AttributeClass?.Name == "SubscribeAttribute")
                    && handler.Parameters.Length > 0
                    && handler.Parameters[0].Type.ToDisplayString().Length > 0)
                    found++;
                else if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Publish" or "PublishAsync" } } invocation
                         && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol { TypeArguments.Length: 1 } publish
                         && publish.TypeArguments[0].ToDisplayString().Length > 0)
                    found++;
            }
        }
        return found;
    }

    /// <summary>The analyzer driver's share: actions of the kinds Herald registers, which do nothing.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor s_rule = new("FLOOR1", "Floor", "Floor", "Floor", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(static _ => { }, SymbolKind.NamedType, SymbolKind.Method);
            context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
        }
    }
}
