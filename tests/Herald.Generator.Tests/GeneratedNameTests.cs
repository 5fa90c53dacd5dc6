using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// Names taken from user code (handler methods, assembly names) are written as valid C# in the generated table.
/// </summary>
public sealed class GeneratedNameTests
{
    private const string KeywordHandlerSource = """
        using Herald;

        namespace Sample;

        public sealed record Ping(int Number);

        public sealed class Owner
        {
            [Subscribe]
            public void @event(Ping e) { }
        }
        """;

    private static string LibrarySource(string eventName) => $$"""
        using Herald;

        namespace {{eventName}}Library;

        public sealed record {{eventName}}(int Number);

        public static class {{eventName}}Log
        {
            [Subscribe]
            public static void Write({{eventName}} e) { }
        }
        """;

    [Fact]
    public void HandlerNamedLikeAKeyword_IsCalledWithAnAtPrefix()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Keywords", KeywordHandlerSource));
        var source = run.GeneratedSource;

        Assert.Empty(run.CompilationProblems());
        Assert.Contains(".@event(e)", source, StringComparison.Ordinal);
        Assert.Contains("try { context.Get<global::Sample.Owner>().@event(e); }", source, StringComparison.Ordinal);
        Assert.Contains("=> context.Get<global::Sample.Owner>().@event(e);", source, StringComparison.Ordinal);
        // Names shown to people (failure reports, docs) keep the method's plain name.
        Assert.Contains("context.Collect(ex, \"Sample.Owner.event\")", source, StringComparison.Ordinal);
    }

    [Fact]
    public void HandlerNamedLikeAKeyword_IsCalledFromAReferencingAssembly()
    {
        var library = TestCompilation.EmitWithGeneratedCode(TestCompilation.Create("Sample.Keywords", KeywordHandlerSource));
        const string app = """
            using Herald;

            namespace Shop;

            public sealed class Pinger(IEventBus bus)
            {
                public void Ping() => bus.Publish(new Sample.Ping(1));
            }
            """;

        var run = GeneratorRun.Run(TestCompilation.Create("Shop.App", app, [library]));

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("global::Herald.Generated.Sample.Keywords.DispatchTable.Handler0(ref context, e, default)", run.GeneratedSource, StringComparison.Ordinal);
    }

    /// <summary>Assembly names and the namespace of their module, after <c>Herald.Generated.</c>.</summary>
    public static TheoryData<string, string> ModuleNamespaces => new()
    {
        // A keyword is escaped; nothing was replaced, so no hash.
        { "object", "@object" },
        // Each dot-separated part is an identifier of its own, keywords included.
        { "Sample.Orders", "Sample.Orders" },
        { "Contoso.class", "Contoso.@class" },
        // A replaced character appends a hash of the exact name (FNV-1a, fixed: changing it renames every module).
        { "My-App", "My_App_7a18e589" },
        { "1App", "_1App_2b82e79f" },
    };

    [Theory]
    [MemberData(nameof(ModuleNamespaces))]
    public void ModuleNamespace_IsMadeOfTheAssemblyName(string assemblyName, string expectedNamespace)
    {
        Assert.Equal(expectedNamespace, DispatchGenerator.TableBuilder.NamespaceFor(assemblyName));
    }

    [Theory]
    [MemberData(nameof(ModuleNamespaces))]
    public void ModuleNamespace_CompilesWithoutErrorsOrWarnings(string assemblyName, string expectedNamespace)
    {
        var run = GeneratorRun.Run(TestCompilation.Create(assemblyName, LibrarySource("Ping")));
        var source = run.GeneratedSource;

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("\nnamespace Herald.Generated." + expectedNamespace + "\n{", source, StringComparison.Ordinal);
        Assert.Contains("[assembly: global::Herald.Infrastructure.HeraldModuleAttribute(typeof(global::Herald.Generated." + expectedNamespace + ".DispatchTable))]", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AssemblyNamedLikeAKeyword_GetsAnEscapedModuleNamespace()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("object", LibrarySource("Ping")));

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("namespace Herald.Generated.@object", run.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("=> global::Herald.Generated.@object.DispatchTable.Publish(bus, e);", run.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void DottedAssemblyName_BecomesNestedNamespaces()
    {
        var source = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers()).GeneratedSource;

        Assert.Contains("namespace Herald.Generated.Sample.Orders\n{", source, StringComparison.Ordinal);
        Assert.Contains("typeof(global::Herald.Generated.Sample.Orders.DispatchTable)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Sample_Orders", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AssemblyNamesThatDifferOnlyInAReplacedCharacter_GetDifferentNamespaces()
    {
        Assert.Equal("My_App_7a18e589", DispatchGenerator.TableBuilder.NamespaceFor("My-App"));
        Assert.Equal("My_App", DispatchGenerator.TableBuilder.NamespaceFor("My_App"));
    }

    [Fact]
    public void AssemblyReferencingMyDashAppAndMyUnderscoreApp_CompilesAndCallsBoth()
    {
        // With one namespace for both, the application's table could not tell their modules apart (CS0433).
        var dashed = TestCompilation.EmitWithGeneratedCode(TestCompilation.Create("My-App", LibrarySource("Ping")));
        var underscored = TestCompilation.EmitWithGeneratedCode(TestCompilation.Create("My_App", LibrarySource("Pong")));
        const string app = """
            using Herald;

            namespace Shop;

            public static class Both
            {
                [Subscribe]
                public static void OnPing(PingLibrary.Ping e) { }

                [Subscribe]
                public static void OnPong(PongLibrary.Pong e) { }
            }
            """;

        var run = GeneratorRun.Run(TestCompilation.Create("Shop.App", app, [dashed, underscored]));
        var source = run.GeneratedSource;

        Assert.Empty(run.CompilationProblems());
        Assert.Contains("global::Herald.Generated.My_App_7a18e589.DispatchTable.Handler0(ref context, e, default)", source, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.My_App.DispatchTable.Handler0(ref context, e, default)", source, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.My_App_7a18e589.DispatchTable.AddOwnHandlerServices(services);", source, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.My_App.DispatchTable.AddOwnHandlerServices(services);", source, StringComparison.Ordinal);
        Assert.Contains(": base(\"Shop.App\", new string[] { \"My-App\", \"My_App\" })", source, StringComparison.Ordinal);
    }
}
