using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Herald.Analyzers;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Analyzers;

/// <summary>
/// What Herald's analyzers cost where the user types: the IDE, after a keystroke in one document of the 2,000-event
/// project (<see cref="AnalyzerProject"/>), makes a new compilation, runs the generators (their cost is
/// GeneratorBenchmarks' business) and analyzes the open document: syntax, then semantic diagnostics, with the
/// document already bound for the compiler's own squiggles. The baseline is that binding: the compiler's diagnostics
/// of the same document on the same fresh compilation. The floor is what the analyzer driver costs any analyzer that
/// registers a symbol and an operation action (doing nothing in them): Herald's own part is the difference between
/// its row and the floor.
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
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private CSharpCompilation _source = null!;
    private GeneratorDriver _driver = null!;
    private int _edits;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _open = null!;
    private SemanticModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _analyzers = typeof(SyncPublishAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !typeof(DiagnosticSuppressor).IsAssignableFrom(t)
                        && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        _source = CSharpCompilation.Create(
            "Synthetic",
            AnalyzerProject.Files().Select(file => CSharpSyntaxTree.ParseText(file.Text, s_parseOptions, file.Path)),
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _driver = CSharpGeneratorDriver.Create([new DispatchGenerator().AsSourceGenerator()], parseOptions: s_parseOptions).RunGenerators(_source);

        // The operation measured must find what the document holds, through the index the generator wrote.
        Edit();
        var errors = _compilation.GetDeclarationDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToArray();
        if (errors.Length > 0)
            throw new InvalidOperationException("The synthetic project does not compile: " + string.Join(Environment.NewLine, errors));
        var found = HeraldAnalyzers();
        if (found != AnalyzerProject.OpenDocumentDiagnostics)
            throw new InvalidOperationException($"Herald reported {found} diagnostics in {AnalyzerProject.OpenDocument}, expected {AnalyzerProject.OpenDocumentDiagnostics}.");
        var indexed = IndexEveryHandlerAndPublishSite();
        if (indexed != 2 * AnalyzerProject.EventCount)
            throw new InvalidOperationException($"The alternative index found {indexed} handlers and publish sites, expected {2 * AnalyzerProject.EventCount}.");
    }

    [IterationSetup(Target = nameof(CompilerDiagnostics))]
    public void EditForTheCompiler() => Edit();

    [IterationSetup(Target = nameof(HeraldAnalyzers))]
    public void EditForTheAnalyzers()
    {
        Edit();
        _model.GetDiagnostics(); // the IDE has bound the document for the compiler's squiggles
    }

    [IterationSetup(Target = nameof(DriverFloor))]
    public void EditForTheFloor()
    {
        Edit();
        _model.GetDiagnostics();
    }

    [IterationSetup(Target = nameof(IndexEveryHandlerAndPublishSite))]
    public void EditForTheIndex() => Edit();

    [Benchmark(Baseline = true, Description = "compiler: diagnostics of the open document after an edit")]
    public int CompilerDiagnostics() => _model.GetDiagnostics().Length;

    [Benchmark(Description = "Herald analyzers: the open document after an edit")]
    public int HeraldAnalyzers()
    {
        var analysis = _compilation.WithAnalyzers(_analyzers);
        var syntax = analysis.GetAnalyzerSyntaxDiagnosticsAsync(_open, CancellationToken.None).GetAwaiter().GetResult();
        var semantic = analysis.GetAnalyzerSemanticDiagnosticsAsync(_model, null, CancellationToken.None).GetAwaiter().GetResult();
        return syntax.Length + semantic.Length;
    }

    [Benchmark(Description = "floor: an analyzer with empty symbol and operation actions, the open document after an edit")]
    public int DriverFloor()
    {
        var analysis = _compilation.WithAnalyzers([new EmptyAnalyzer()]);
        var syntax = analysis.GetAnalyzerSyntaxDiagnosticsAsync(_open, CancellationToken.None).GetAwaiter().GetResult();
        var semantic = analysis.GetAnalyzerSemanticDiagnosticsAsync(_model, null, CancellationToken.None).GetAwaiter().GetResult();
        return syntax.Length + semantic.Length;
    }

    [Benchmark(Description = "instead of the event index: bind every handler and publish site of the project")]
    public int IndexEveryHandlerAndPublishSite()
    {
        var found = 0;
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                continue;
            var model = _compilation.GetSemanticModel(tree);
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

    /// <summary>A keystroke in the open document: a new compilation, generated again from the warm driver.</summary>
    private void Edit()
    {
        _edits++;
        var old = _source.SyntaxTrees.Single(tree => tree.FilePath == AnalyzerProject.OpenDocument);
        var edited = _source.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(AnalyzerProject.EditedOpenDocument(_edits), s_parseOptions, AnalyzerProject.OpenDocument));
        _driver = _driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        _compilation = (CSharpCompilation)output;
        _open = _compilation.SyntaxTrees.Single(tree => tree.FilePath == AnalyzerProject.OpenDocument);
        _model = _compilation.GetSemanticModel(_open);
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
