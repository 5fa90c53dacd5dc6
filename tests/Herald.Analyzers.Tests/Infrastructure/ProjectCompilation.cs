using Basic.Reference.Assemblies;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests.Infrastructure;

/// <summary>
/// A project's compilation as the compiler and the IDE hand it to the analyzers: its files, .NET 10 and Herald, and the
/// sources Herald's generator adds to it (the dispatch table and the event index).
/// </summary>
internal sealed class ProjectCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private ProjectCompilation(CSharpCompilation compilation, GeneratorDriver driver)
    {
        Compilation = compilation;
        Driver = driver;
    }

    /// <summary>The compilation with the generated sources in it.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>The generator driver after its run: run it on an edited compilation as an IDE does after a keystroke.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The syntax tree of the file named <paramref name="path"/>.</summary>
    public SyntaxTree Tree(string path) => Compilation.SyntaxTrees.Single(t => t.FilePath == path);

    /// <summary>The project's own files, without the generated ones.</summary>
    public IEnumerable<SyntaxTree> SourceTrees => Compilation.SyntaxTrees.Where(t => !t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal));

    public static ProjectCompilation Create(IEnumerable<(string Path, string Source)> files, params MetadataReference[] references)
    {
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Source, ParseOptions, file.Path)).ToArray();
        var compilation = CSharpCompilation.Create(
            "Project",
            trees,
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
                .. references,
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new DispatchGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        return Run(driver, compilation);
    }

    /// <summary>This project after <paramref name="path"/> was replaced by <paramref name="source"/>, generated again incrementally.</summary>
    public ProjectCompilation Edit(string path, string source)
    {
        var original = Compilation.RemoveSyntaxTrees(Compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));
        var old = original.SyntaxTrees.Single(t => t.FilePath == path);
        return Run(Driver, original.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, ParseOptions, path)));
    }

    private static ProjectCompilation Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.All(driver.GetRunResult().Results, result => Assert.Null(result.Exception));
        return new ProjectCompilation((CSharpCompilation)output, driver);
    }
}
