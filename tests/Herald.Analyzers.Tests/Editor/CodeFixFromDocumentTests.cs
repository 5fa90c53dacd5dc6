using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Herald.Analyzers.CodeFixes;
using Herald.Analyzers.Handlers;
using Herald.Analyzers.Payload;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests.Editor;

/// <summary>
/// The code fixes as the editor applies them: on a diagnostic that the analysis of the open document produced (the
/// light bulb has nothing else), in a workspace whose compilation runs Herald's generator.
/// </summary>
public sealed class CodeFixFromDocumentTests
{
    private const string Events = """
        using System;
        using System.Collections.Generic;

        namespace Shop;

        public sealed record OrderShipped(string Sku, DateTime ShippedAt);

        public sealed class CartChanged
        {
            public string CartId { get; set; } = "";
        }
        """;

    private const string Handlers = """
        using System.Threading.Tasks;
        using Herald;

        namespace Shop;

        public static class Handlers
        {
            [Subscribe] public static void Ship(OrderShipped e) { }

            [Subscribe] public static void Track(CartChanged e) { }

            [Subscribe] public static async void Notify(OrderShipped e) => await Task.Yield();
        }
        """;

    [Fact]
    public async Task DateTimeOffsetFix_AppliesToTheDiagnosticOfTheEventsDocument()
    {
        using var workspace = new AdhocWorkspace();
        var document = Document(workspace, "Events.cs");

        var changed = await FixAsync(document, new PayloadAnalyzer(), RuleIdentifiers.DateTimeMember, new DateTimeOffsetCodeFixProvider());

        Assert.Equal(Events.Replace("DateTime ShippedAt", "DateTimeOffset ShippedAt", StringComparison.Ordinal), await TextAsync(changed, "Events.cs"));
    }

    [Fact]
    public async Task MutableEventFix_AppliesFromTheHandlersParameter_ToTheEventInAnotherFile()
    {
        using var workspace = new AdhocWorkspace();
        var document = Document(workspace, "Handlers.cs");

        var changed = await FixAsync(document, new PayloadAnalyzer(), RuleIdentifiers.MutableEvent, new MutableEventCodeFixProvider());

        Assert.Equal(Events.Replace("{ get; set; }", "{ get; init; }", StringComparison.Ordinal), await TextAsync(changed, "Events.cs"));
        Assert.Equal(Handlers, await TextAsync(changed, "Handlers.cs"));
    }

    [Fact]
    public async Task AsyncVoidFix_AppliesToTheDiagnosticOfTheHandlersDocument()
    {
        using var workspace = new AdhocWorkspace();
        var document = Document(workspace, "Handlers.cs");

        var changed = await FixAsync(document, new HandlerSignatureAnalyzer(), RuleIdentifiers.InvalidHandler, new AsyncVoidHandlerCodeFixProvider());

        Assert.Equal(Handlers.Replace("async void Notify", "async Task Notify", StringComparison.Ordinal), await TextAsync(changed, "Handlers.cs"));
    }

    /// <summary>
    /// Analyzes <paramref name="document"/> alone (as the editor does), takes its one <paramref name="id"/> diagnostic,
    /// and applies the one fix <paramref name="provider"/> offers for it.
    /// </summary>
    private static async Task<Solution> FixAsync(Document document, DiagnosticAnalyzer analyzer, string id, CodeFixProvider provider)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Contains(compilation.SyntaxTrees, tree => tree.FilePath.EndsWith(Herald.CodeAnalysis.EventIndex.HintName, StringComparison.Ordinal));
        var model = (await document.GetSemanticModelAsync())!;
        var diagnostics = await compilation.WithAnalyzers([analyzer]).GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == id);

        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var operations = await Assert.Single(actions).GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    private static Document Document(AdhocWorkspace workspace, string name)
    {
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Shop",
            "Shop",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences:
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
            ],
            analyzerReferences: [new GeneratorReference()]));
        workspace.AddDocument(project.Id, "Events.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Events));
        workspace.AddDocument(project.Id, "Handlers.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Handlers));
        return workspace.CurrentSolution.Projects.Single().Documents.Single(d => d.Name == name);
    }

    private static async Task<string> TextAsync(Solution solution, string name)
        => (await solution.Projects.Single().Documents.Single(d => d.Name == name).GetTextAsync()).ToString();

    /// <summary>Herald's generator as a project's analyzer reference, so the workspace runs it as an IDE does.</summary>
    private sealed class GeneratorReference : AnalyzerReference
    {
        // The workspace finds a generator's reference by the instance, so every call hands out the same one.
        private readonly ImmutableArray<ISourceGenerator> _generators = [new DispatchGenerator().AsSourceGenerator()];

        public override string FullPath => typeof(DispatchGenerator).Assembly.Location;

        public override object Id => typeof(DispatchGenerator).Assembly.FullName!;

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzers(string language) => [];

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzersForAllLanguages() => [];

        public override ImmutableArray<ISourceGenerator> GetGenerators(string language)
            => language == LanguageNames.CSharp ? _generators : [];

        public override ImmutableArray<ISourceGenerator> GetGeneratorsForAllLanguages() => GetGenerators(LanguageNames.CSharp);
    }
}
