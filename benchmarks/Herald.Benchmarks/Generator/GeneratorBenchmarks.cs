using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Generator;

/// <summary>
/// What the generator costs the compiler and the IDE, on <see cref="SyntheticProject"/> (1,000 handlers over 500
/// event types): a cold run (a new driver on a new compilation, as a clean build does) and a cached run (a driver
/// that has already run, given the compilation after an edit of an unrelated file, as the IDE does on a keystroke).
/// Mediator 3.0.2's generator runs on the same application written for Mediator, for comparison.
/// </summary>
/// <remarks>
/// Parsing is done once in the setup: it is the compiler's work, not the generator's. A new compilation is created
/// in every operation (creating one is cheap and lazy; what it computes on demand is paid by the generator that
/// demands it), so no operation reuses the bound symbols of an earlier one.
/// </remarks>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const string HeraldHintName = HintNames.DispatchTable;
    private const string MediatorHintName = "Mediator.g.cs";

    /// <summary>As a user's project is parsed: Herald's package lists its namespace in InterceptorsNamespaces.</summary>
    private static readonly CSharpParseOptions s_parseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "Herald.Generated")]);
    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    private const string ScanHintName = "SubscribeScan.g.cs";

    private Project _herald = null!;
    private Project _mediator = null!;
    private Project _scan = null!;

    [GlobalSetup(Target = nameof(HeraldCold))]
    public void SetupHeraldCold()
    {
        _herald = CreateHerald();
        CheckHeraldTable(_herald.CheckCompiles(HeraldHintName));
    }

    [GlobalSetup(Target = nameof(HeraldCachedAfterUnrelatedEdit))]
    public void SetupHeraldCached()
    {
        _herald = CreateHerald();
        CheckHeraldTable(_herald.WarmUp(HeraldHintName, requireCached: true));
        var interceptors = _herald.WarmUp(HintNames.Interceptors, requireCached: true);
        var sites = CountOccurrences(interceptors, "InterceptsLocation(1, ");
        if (sites != SyntheticProject.EventCount)
            throw new InvalidOperationException($"Herald intercepted {sites} publish sites, expected {SyntheticProject.EventCount}.");
    }

    [GlobalSetup(Target = nameof(MediatorCold))]
    public void SetupMediatorCold()
    {
        _mediator = CreateMediator();
        _mediator.CheckCompiles(MediatorHintName);
    }

    [GlobalSetup(Target = nameof(MediatorCachedAfterUnrelatedEdit))]
    public void SetupMediatorCached()
    {
        _mediator = CreateMediator();
        _mediator.WarmUp(MediatorHintName, requireCached: false);
    }

    [GlobalSetup(Target = nameof(AttributeScanCachedAfterUnrelatedEdit))]
    public void SetupAttributeScanCached()
    {
        _scan = CreateScan();
        var table = _scan.WarmUp(ScanHintName, requireCached: true);
        if (table != $"// {SyntheticProject.HandlerCount} handlers\n")
            throw new InvalidOperationException($"The attribute scan found: {table}");
    }

    [GlobalSetup(Target = nameof(AttributeScanCold))]
    public void SetupAttributeScanCold()
    {
        _scan = CreateScan();
        var table = _scan.CheckCompiles(ScanHintName);
        if (table != $"// {SyntheticProject.HandlerCount} handlers\n")
            throw new InvalidOperationException($"The attribute scan found: {table}");
    }

    [Benchmark(Description = "Herald generator: cold")]
    public GeneratorDriver HeraldCold() => _herald.RunCold();

    [Benchmark(Description = "Herald generator: cached, after an unrelated edit")]
    public GeneratorDriver HeraldCachedAfterUnrelatedEdit() => _herald.RunAfterUnrelatedEdit();

    /// <summary>
    /// The floor under any generator that finds handlers with <c>ForAttributeWithMetadataName</c>: Roslyn runs its
    /// semantic step again for every <c>[Subscribe]</c> method on each new compilation, whatever the transform does.
    /// </summary>
    [Benchmark(Description = "floor: ForAttributeWithMetadataName([Subscribe]) alone, cached, after an unrelated edit")]
    public GeneratorDriver AttributeScanCachedAfterUnrelatedEdit() => _scan.RunAfterUnrelatedEdit();

    /// <summary>The floor's cold equivalent: a new driver on a new compilation, as for <see cref="HeraldCold"/>.</summary>
    [Benchmark(Description = "floor: ForAttributeWithMetadataName([Subscribe]) alone, cold")]
    public GeneratorDriver AttributeScanCold() => _scan.RunCold();

    [Benchmark(Description = "Mediator 3.0.2 generator: cold")]
    public GeneratorDriver MediatorCold() => _mediator.RunCold();

    [Benchmark(Description = "Mediator 3.0.2 generator: warm driver, after an unrelated edit")]
    public GeneratorDriver MediatorCachedAfterUnrelatedEdit() => _mediator.RunAfterUnrelatedEdit();

    private static Project CreateHerald()
        => Project.Create(
            "Shop.Herald",
            SyntheticProject.ForHerald(),
            [MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location)],
            () => new DispatchGenerator().AsSourceGenerator());

    private static Project CreateScan()
        => Project.Create(
            "Shop.Herald",
            SyntheticProject.ForHerald(),
            [MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location)],
            () => new SubscribeScan().AsSourceGenerator());

    private static Project CreateMediator()
        => Project.Create(
            "Shop.Mediator",
            SyntheticProject.ForMediator(),
            [MetadataReference.CreateFromFile(typeof(global::Mediator.INotification).Assembly.Location)],
            MediatorGenerator.Load());

    private static void CheckHeraldTable(string table)
    {
        var dispatchers = CountOccurrences(table, "internal sealed class Dispatcher");
        if (dispatchers != SyntheticProject.EventCount)
            throw new InvalidOperationException($"Herald wrote {dispatchers} dispatchers, expected {SyntheticProject.EventCount}.");
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>A parsed application, a driver that has run on it, and the edit to apply.</summary>
    private sealed class Project
    {
        private readonly string _assemblyName;
        private readonly ImmutableArray<SyntaxTree> _trees;
        private readonly ImmutableArray<MetadataReference> _references;
        private readonly Func<ISourceGenerator> _createGenerator;
        private readonly SyntaxTree _unrelated;
        private readonly SyntaxTree _unrelatedEdited;
        private CSharpCompilation _compilation = null!;
        private GeneratorDriver _warmDriver = null!;

        private Project(string assemblyName, ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, Func<ISourceGenerator> createGenerator)
        {
            _assemblyName = assemblyName;
            _trees = trees;
            _references = references;
            _createGenerator = createGenerator;
            _unrelated = trees.Single(tree => tree.FilePath == SyntheticProject.UnrelatedFile);
            _unrelatedEdited = CSharpSyntaxTree.ParseText(SyntheticProject.EditedUnrelatedFile(), s_parseOptions, SyntheticProject.UnrelatedFile);
        }

        public static Project Create(
            string assemblyName,
            IReadOnlyList<(string Path, string Text)> files,
            IEnumerable<MetadataReference> libraryReferences,
            Func<ISourceGenerator> createGenerator)
        {
            var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, s_parseOptions, file.Path)).ToImmutableArray();
            ImmutableArray<MetadataReference> references =
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
                .. libraryReferences,
            ];
            var project = new Project(assemblyName, trees, references, createGenerator);
            project._compilation = project.NewCompilation();
            return project;
        }

        public GeneratorDriver RunCold() => NewDriver().RunGenerators(NewCompilation());

        public GeneratorDriver RunAfterUnrelatedEdit()
            => _warmDriver.RunGenerators(_compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited));

        /// <summary>
        /// Runs the generator once and checks that it writes <paramref name="hintName"/> without diagnostics or
        /// exceptions and that the application with the generated code has no declaration errors (the check that
        /// also binds every method body takes seconds, too long for each benchmark process; the application was
        /// checked with it when this benchmark was written).
        /// </summary>
        public string CheckCompiles(string hintName)
        {
            var driver = NewDriver().RunGeneratorsAndUpdateCompilation(_compilation, out var output, out var diagnostics);
            var errors = diagnostics.Concat(output.GetDeclarationDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
            if (errors.Count > 0)
                throw new InvalidOperationException("The synthetic application does not compile: " + string.Join(Environment.NewLine, errors));
            return Generated(driver, hintName).SourceText.ToString();
        }

        /// <summary>
        /// Runs the driver that the after-an-edit benchmark continues and runs it once after the edit. With
        /// <paramref name="requireCached"/>, proves that the edit leaves the generated source cached: the run after
        /// the edit hands back the very same source text object, which only a cached output does (a regenerated one
        /// is a new text, even when equal).
        /// </summary>
        public string WarmUp(string hintName, bool requireCached)
        {
            _warmDriver = NewDriver().RunGenerators(_compilation);
            var before = Generated(_warmDriver, hintName).SourceText;
            var after = Generated(RunAfterUnrelatedEdit(), hintName).SourceText;
            if (requireCached && !ReferenceEquals(before, after))
                throw new InvalidOperationException($"After an unrelated edit, the generator wrote {hintName} again: the cached benchmark would measure a regeneration.");
            Console.WriteLine($"// {_assemblyName}: after an unrelated edit, {hintName} was {(ReferenceEquals(before, after) ? "cached" : "generated again")}.");
            return before.ToString();
        }

        private static GeneratedSourceResult Generated(GeneratorDriver driver, string hintName)
        {
            var result = driver.GetRunResult().Results.Single();
            if (result.Exception is not null)
                throw new InvalidOperationException("The generator threw.", result.Exception);
            if (!result.Diagnostics.IsEmpty)
                throw new InvalidOperationException("The generator reported: " + string.Join(Environment.NewLine, result.Diagnostics));
            var generated = result.GeneratedSources.SingleOrDefault(source => source.HintName == hintName);
            if (generated.SourceText is null)
            {
                throw new InvalidOperationException(
                    $"The generator wrote no {hintName}; it wrote: {string.Join(", ", result.GeneratedSources.Select(s => s.HintName))}.");
            }
            return generated;
        }

        private CSharpCompilation NewCompilation() => CSharpCompilation.Create(_assemblyName, _trees, _references, s_compilationOptions);

        /// <summary>A driver as the compiler and the IDE create one: no step tracking.</summary>
        private GeneratorDriver NewDriver()
            => CSharpGeneratorDriver.Create([_createGenerator()], parseOptions: s_parseOptions);
    }

    /// <summary>
    /// Mediator's generator, loaded from the analyzer assembly of the Mediator.SourceGenerator package, which the
    /// project file copies next to this assembly.
    /// </summary>
    private static class MediatorGenerator
    {
        private const string RelativePath = "PeerGenerators/Mediator.SourceGenerator.dll";

        public static Func<ISourceGenerator> Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, RelativePath);
            if (!File.Exists(path))
                throw new FileNotFoundException($"Mediator's generator was not copied to the output ({RelativePath}); see Herald.Benchmarks.csproj.", path);
            var assembly = Assembly.LoadFrom(path);
            var generatorType = assembly.GetTypes()
                .Single(type => !type.IsAbstract
                                && typeof(IIncrementalGenerator).IsAssignableFrom(type)
                                && type.GetCustomAttribute<GeneratorAttribute>() is not null);
            return () => ((IIncrementalGenerator)Activator.CreateInstance(generatorType)!).AsSourceGenerator();
        }
    }
}

/// <summary>
/// A generator that only finds the <c>[Subscribe]</c> methods with <c>ForAttributeWithMetadataName</c> and writes
/// their count: the part of Herald's pipeline that Roslyn, not Herald, decides the cost of.
/// </summary>
internal sealed class SubscribeScan : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "Herald.SubscribeAttribute",
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (attribute, _) => attribute.TargetSymbol.Name)
            .Collect();
        context.RegisterSourceOutput(names, static (output, all) => output.AddSource("SubscribeScan.g.cs", $"// {all.Length} handlers\n"));
    }
}
