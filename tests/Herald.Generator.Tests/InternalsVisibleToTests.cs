using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Generator.Tests;

/// <summary>
/// An assembly that sees the internals of a referenced Herald assembly (<c>InternalsVisibleTo</c>) also sees that
/// assembly's internal <c>Herald.HeraldDispatch</c>, next to its own generated one.
/// </summary>
public sealed class InternalsVisibleToTests
{
    private const string AppName = "App";

    private const string LibrarySource = """
        using System.Runtime.CompilerServices;
        using Herald;

        [assembly: InternalsVisibleTo("App")]

        namespace Shop.Inventory;

        public sealed record StockReserved(string Sku);

        public static class StockLog
        {
            [Subscribe]
            public static void Write(StockReserved e) { }
        }
        """;

    private const string AppHandlersSource = """
        using Herald;
        using Shop.Inventory;

        namespace App;

        public sealed record AppEvent(int Id);

        public sealed class AppHandlers
        {
            [Subscribe]
            public void On(AppEvent e) { }

            [Subscribe]
            public void OnStock(StockReserved e) { }
        }
        """;

    private const string TypedPublishPath = "TypedPublish.cs";

    private const string TypedPublishSource = """
        using Herald;

        namespace App;

        public static class Publisher
        {
            public static void Send(IEventBus bus)
            {
                Herald.HeraldDispatch.Publish(bus, new AppEvent(1));
            }
        }
        """;

    [Fact]
    public void FriendOfAHeraldLibrary_GeneratedTableCompilesWithoutErrorsOrWarnings()
    {
        var library = TestCompilation.EmitWithGeneratedCode(TestCompilation.Create("Shop.Inventory", LibrarySource));
        var app = TestCompilation.Create(AppName, [("Handlers.cs", AppHandlersSource)], [library]);

        var run = GeneratorRun.Run(app);

        AssertSeesTheLibrarysHeraldDispatch(run.OutputCompilation, library);
        Assert.Empty(run.GeneratedSourceProblems());
        Assert.Empty(run.CompilationProblems());
        Assert.Contains("global::Herald.Generated.Shop.Inventory.DispatchTable.Handler0(ref context, e, default)", run.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("try { context.Get<global::App.AppHandlers>().On(e); }", run.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void FriendOfAHeraldLibrary_TypedPublishInUserCode_BindsToItsOwnTableWithWarningCS0436()
    {
        var library = TestCompilation.EmitWithGeneratedCode(TestCompilation.Create("Shop.Inventory", LibrarySource));
        var app = TestCompilation.Create(AppName, [("Handlers.cs", AppHandlersSource), (TypedPublishPath, TypedPublishSource)], [library]);

        var run = GeneratorRun.Run(app);

        AssertSeesTheLibrarysHeraldDispatch(run.OutputCompilation, library);
        Assert.Empty(run.GeneratedSourceProblems());

        // Documented behaviour, not a wish: C# resolves `Herald.HeraldDispatch` to the type declared in source (the
        // application's own generated class, which is the right one) and warns CS0436 at the user's call, where the
        // generator's `#pragma warning disable CS0436` does not reach. It compiles; a project that treats warnings
        // as errors has to suppress CS0436 or publish through IEventBus.
        var problem = Assert.Single(run.CompilationProblems());
        Assert.Equal("CS0436", problem.Id);
        Assert.Equal(DiagnosticSeverity.Warning, problem.Severity);
        Assert.Equal(TypedPublishPath, problem.Location.SourceTree!.FilePath);
        Assert.Equal(8, problem.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("'HeraldDispatch'", problem.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutputCompilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var tree = run.OutputCompilation.SyntaxTrees.Single(t => t.FilePath == TypedPublishPath);
        var call = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();
        var target = Assert.IsAssignableFrom<IMethodSymbol>(run.OutputCompilation.GetSemanticModel(tree).GetSymbolInfo(call).Symbol);
        Assert.Equal(AppName, target.ContainingAssembly.Name);
        Assert.Equal("Herald.HeraldDispatch.Publish(Herald.IEventBus, App.AppEvent)", target.ToDisplayString());
    }

    /// <summary>The premise of these tests: the application can see the library's internal HeraldDispatch.</summary>
    private static void AssertSeesTheLibrarysHeraldDispatch(Compilation app, MetadataReference library)
    {
        var libraryAssembly = Assert.IsAssignableFrom<IAssemblySymbol>(app.GetAssemblyOrModuleSymbol(library));
        var libraryDispatch = libraryAssembly.GetTypeByMetadataName("Herald.HeraldDispatch");
        Assert.NotNull(libraryDispatch);
        Assert.Equal(Accessibility.Internal, libraryDispatch.DeclaredAccessibility);
        Assert.True(libraryAssembly.GivesAccessTo(app.Assembly));
        Assert.True(app.IsSymbolAccessibleWithin(libraryDispatch, app.Assembly));
    }
}
