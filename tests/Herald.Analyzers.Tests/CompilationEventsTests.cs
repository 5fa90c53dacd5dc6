using Herald.Analyzers.Infrastructure;
using Herald.Analyzers.Tests.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Tests;

/// <summary>
/// How the analyzers read the generator's event index: names back to symbols without a semantic model, generic
/// constructions and base types found from their definitions.
/// </summary>
public sealed class CompilationEventsTests
{
    private const string Source = """
        using System.Collections.Generic;
        using Herald;

        namespace Shop
        {
            public abstract record Base<T>(T Value);
            public sealed record Priced(decimal Value) : Base<decimal>(Value);
            public sealed class Outer<T> { public sealed record Inner(T Item); }
            public sealed record Envelope<T>(T Content);

            public static class Handlers
            {
                [Subscribe] public static void On(Priced e) { }
                [Subscribe] public static void On(Outer<int>.Inner e) { }
                [Subscribe] public static void On(Envelope<List<string>[]> e) { }
                [Subscribe] public static void On(Envelope<int?> e) { }
            }
        }
        """;

    [Theory]
    [InlineData("global::Shop.Priced")]
    [InlineData("global::Shop.Outer<int>.Inner")]
    [InlineData("global::Shop.Envelope<global::System.Collections.Generic.List<string>[]>")]
    [InlineData("global::Shop.Envelope<int?>")]
    [InlineData("global::Shop.Base<decimal>")]
    public void IndexName_ResolvesToTheTypeItWasWrittenFor(string name)
    {
        var project = ProjectCompilation.Create([("Shop.cs", Source)]);

        var type = TypeNameResolver.Resolve(project.Compilation, name);

        Assert.NotNull(type);
        Assert.Equal(name, EventIndex.TypeName(type));
    }

    [Fact]
    public void UnknownName_ResolvesToNothing()
    {
        var project = ProjectCompilation.Create([("Shop.cs", Source)]);

        Assert.Null(TypeNameResolver.Resolve(project.Compilation, "global::Shop.Missing"));
        Assert.Null(TypeNameResolver.Resolve(project.Compilation, "global::Shop.Envelope<global::Shop.Missing>"));
    }

    [Fact]
    public void GenericDefinition_FindsItsIndexedConstructions_AndTheEventsDerivedFromIt()
    {
        var project = ProjectCompilation.Create([("Shop.cs", Source)]);
        var events = CompilationEvents.Read(project.Compilation);

        Assert.True(events.HasIndex);
        var envelope = project.Compilation.GetTypeByMetadataName("Shop.Envelope`1")!;
        Assert.Equal(
            ["global::Shop.Envelope<global::System.Collections.Generic.List<string>[]>", "global::Shop.Envelope<int?>"],
            events.ConstructionsOf(envelope).Order(StringComparer.Ordinal));
        Assert.Equal(["global::Shop.Priced"], events.ConvertingToDefinition(project.Compilation.GetTypeByMetadataName("Shop.Base`1")!));
    }

    [Theory]
    [InlineData("global::A.Box", "global::A.Box")]
    [InlineData("global::A.Box<int>", "global::A.Box<>")]
    [InlineData("global::A.Box<global::A.Pair<int, string>>.Item<T>", "global::A.Box<>.Item<>")]
    public void DefinitionKey_LeavesOutTheTypeArguments(string name, string key)
        => Assert.Equal(key, CompilationEvents.DefinitionKey(name));

    [Fact]
    public void CompilationWithoutTheGenerator_HasNoIndex_AndNoEvents()
    {
        var compilation = ProjectCompilation.Create([("Shop.cs", Source)]).Compilation;
        var withoutGenerated = compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));

        var events = CompilationEvents.Read(withoutGenerated);

        Assert.False(events.HasIndex);
        Assert.Empty(events.All);
    }
}
