using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Herald.Analyzers.Tests.Infrastructure;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests;

public sealed class HeraldDispatchConflictSuppressorTests
{
    private const string Library = """
        using System.Runtime.CompilerServices;
        using Herald;
        [assembly: InternalsVisibleTo("App")]
        namespace Lib;
        public sealed record LibEvent(int Value);
        public static class LibHandlers
        {
            [Subscribe]
            public static void On(LibEvent e) { }
        }
        """;

    private const string App = """
        using Herald;
        namespace AppCode;
        public sealed record AppEvent(int Value);
        public static class AppHandlers
        {
            [Subscribe]
            public static void On(AppEvent e) { }
        }
        public static class TypedPublish
        {
            public static void Send(IEventBus bus) => HeraldDispatch.Publish(bus, new AppEvent(1));
        }
        """;

    [Fact]
    public async Task TypedPublishUnderInternalsVisibleTo_CS0436OnHeraldDispatch_IsSuppressed()
    {
        var diagnostics = await CompileAppAsync(App);

        var conflict = Assert.Single(diagnostics, d => d.Id == "CS0436");
        Assert.True(conflict.IsSuppressed);
        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed);
    }

    [Fact]
    public async Task CS0436OnAnotherType_IsNotSuppressed()
    {
        const string conflictingLibrary = """
            using System.Runtime.CompilerServices;
            using Herald;
            [assembly: InternalsVisibleTo("App")]
            namespace Shared { internal static class Clock { public static int Now => 1; } }
            namespace Lib
            {
                public sealed record LibEvent(int Value);
                public static class LibHandlers
                {
                    [Subscribe]
                    public static void On(LibEvent e) { }
                }
            }
            """;
        const string app = """
            namespace Shared { internal static class Clock { public static int Now => 2; } }
            public static class UsesClock { public static int Read() => Shared.Clock.Now; }
            """;

        var diagnostics = await CompileAppAsync(app, conflictingLibrary);

        var conflict = Assert.Single(diagnostics, d => d.Id == "CS0436");
        Assert.False(conflict.IsSuppressed);
    }

    private static async Task<ImmutableArray<Diagnostic>> CompileAppAsync(string appSource, string librarySource = Library)
    {
        var library = ReferencedLibrary.Build("Lib", librarySource);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "App",
            [CSharpSyntaxTree.ParseText(appSource, parseOptions, "App.cs")],
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
                library,
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new DispatchGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var withGeneratedCode, out _);

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new HeraldDispatchConflictSuppressor());
        var withAnalyzers = withGeneratedCode.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true));
        var all = await withAnalyzers.GetAllDiagnosticsAsync();
        Assert.DoesNotContain(all, d => d.Severity == DiagnosticSeverity.Error);
        return all;
    }
}
