using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Generator.Tests.Infrastructure;

/// <summary>In-memory compilations that reference what a Herald user's project references.</summary>
internal static class TestCompilation
{
    /// <summary>
    /// The options a Herald user's project is parsed with: the latest language, and Herald's namespace listed in
    /// <c>InterceptorsNamespaces</c>, as the package's build files list it. The generator then writes interceptors.
    /// </summary>
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "Herald.Generated")]);

    /// <summary>A project that did not list Herald's namespace (it opted out, or does not use the package's build files).</summary>
    public static readonly CSharpParseOptions WithoutInterceptors = new(LanguageVersion.Latest);

    /// <summary>
    /// <see cref="ParseOptions"/> with documentation comments checked, as in a project that sets
    /// <c>GenerateDocumentationFile</c>: badly formed XML and unresolved <c>cref</c>s become warnings.
    /// </summary>
    public static readonly CSharpParseOptions DocumentationParseOptions = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    private static readonly CSharpCompilationOptions s_options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        // Every warning wave: generated code must stay clean under the strictest level a user can pick.
        warningLevel: 9999,
        deterministic: true);

    /// <summary>The .NET 10 reference assemblies (from a package, never downloaded), Herald and DI abstractions.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
    ];

    /// <summary>
    /// A library compilation of <paramref name="sources"/>, given as (file path, text) pairs, parsed with
    /// <paramref name="parseOptions"/> (default <see cref="ParseOptions"/>).
    /// </summary>
    public static CSharpCompilation Create(
        string assemblyName,
        IEnumerable<(string Path, string Text)> sources,
        IEnumerable<MetadataReference>? additionalReferences = null,
        CSharpParseOptions? parseOptions = null)
    {
        var trees = sources.Select(source => Parse(source.Text, source.Path, parseOptions));
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            References.AddRange(additionalReferences ?? []),
            s_options);
    }

    /// <summary>A library compilation of one file.</summary>
    public static CSharpCompilation Create(string assemblyName, string source, IEnumerable<MetadataReference>? additionalReferences = null)
        => Create(assemblyName, [("Handlers.cs", source)], additionalReferences);

    public static SyntaxTree Parse(string text, string path, CSharpParseOptions? parseOptions = null)
        => CSharpSyntaxTree.ParseText(text, parseOptions ?? ParseOptions, path);

    /// <summary>
    /// Runs the generator on <paramref name="compilation"/>, emits the result and returns it as a metadata reference:
    /// what a project that references this one sees, generated module included.
    /// </summary>
    public static MetadataReference EmitWithGeneratedCode(CSharpCompilation compilation)
    {
        var run = GeneratorRun.Run(compilation);
        using var stream = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
