using Basic.Reference.Assemblies;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests.Infrastructure;

/// <summary>
/// A library built in memory as its project would build it: with the Herald generator, so that it carries the
/// generated module and its <c>[HeraldHandler]</c> exports.
/// </summary>
internal static class ReferencedLibrary
{
    public static MetadataReference Build(string assemblyName, string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, parseOptions, "Library.cs")],
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        CSharpGeneratorDriver.Create([new DispatchGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var withGeneratedCode, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Contains(withGeneratedCode.SyntaxTrees, tree => tree.FilePath.EndsWith("Herald.DispatchTable.g.cs", StringComparison.Ordinal));

        using var image = new MemoryStream();
        var emitted = withGeneratedCode.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
