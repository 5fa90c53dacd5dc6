using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Herald.Analyzers;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Analyzers;

/// <summary>
/// The 2,000-event project (<see cref="AnalyzerProject"/>) as an IDE holds it while the user types in
/// <see cref="AnalyzerProject.OpenDocument"/>: each <see cref="Edit"/> is a keystroke, a new compilation generated
/// again from the warm driver (the generator's own cost is GeneratorBenchmarks' business).
/// </summary>
internal sealed class EditSession
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private readonly CSharpCompilation _source;
    private GeneratorDriver _driver;
    private int _edits;

    public EditSession()
    {
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
        Edit();
        var errors = Compilation.GetDeclarationDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToArray();
        if (errors.Length > 0)
            throw new InvalidOperationException("The synthetic project does not compile: " + string.Join(Environment.NewLine, errors));
    }

    /// <summary>Every Herald analyzer, as the package ships them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> HeraldAnalyzers { get; } = typeof(SyncPublishAnalyzer).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !typeof(DiagnosticSuppressor).IsAssignableFrom(t)
                    && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The compilation after the last edit, with the generated sources in it.</summary>
    public CSharpCompilation Compilation { get; private set; } = null!;

    /// <summary>The open document's tree in <see cref="Compilation"/>.</summary>
    public SyntaxTree Open { get; private set; } = null!;

    /// <summary>A new semantic model of <see cref="Open"/>.</summary>
    public SemanticModel Model { get; private set; } = null!;

    /// <summary>A keystroke in the open document: a literal in a method body changes.</summary>
    public void Edit()
    {
        _edits++;
        var old = _source.SyntaxTrees.Single(tree => tree.FilePath == AnalyzerProject.OpenDocument);
        var edited = _source.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(AnalyzerProject.EditedOpenDocument(_edits), s_parseOptions, AnalyzerProject.OpenDocument));
        _driver = _driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        Compilation = (CSharpCompilation)output;
        Open = Compilation.SyntaxTrees.Single(tree => tree.FilePath == AnalyzerProject.OpenDocument);
        Model = Compilation.GetSemanticModel(Open);
    }

    /// <summary>What an IDE computes for the open document with <paramref name="analysis"/>: its syntax, then its semantic analyzer diagnostics.</summary>
    public int AnalyzeOpenDocument(CompilationWithAnalyzers analysis)
    {
        var syntax = analysis.GetAnalyzerSyntaxDiagnosticsAsync(Open, CancellationToken.None).GetAwaiter().GetResult();
        var semantic = analysis.GetAnalyzerSemanticDiagnosticsAsync(Model, null, CancellationToken.None).GetAwaiter().GetResult();
        return syntax.Length + semantic.Length;
    }
}
