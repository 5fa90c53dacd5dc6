using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Herald.Generator.Tests.Infrastructure;

/// <summary>One run of <see cref="DispatchGenerator"/> on a compilation.</summary>
internal sealed class GeneratorRun
{
    public const string HintName = HintNames.DispatchTable;

    private GeneratorRun(GeneratorDriver driver, Compilation outputCompilation, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Driver = driver;
        OutputCompilation = outputCompilation;
        GeneratorDiagnostics = generatorDiagnostics;
    }

    /// <summary>The driver after the run: run it again on an edited compilation to test caching.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The input compilation with the generated sources added.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>Diagnostics the generator reported (it reports none: diagnostics come from the analyzers).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>The generated dispatch table; fails when the generator wrote none.</summary>
    public string TableSource
    {
        get
        {
            var source = Result.GeneratedSources.SingleOrDefault(s => s.HintName == HintName);
            Assert.True(source.HintName == HintName, "The generator wrote no dispatch table.");
            return source.SourceText.ToString();
        }
    }

    /// <summary>The generated durable types and payload JSON; null when the generator wrote none.</summary>
    public string? DurableSource => Source(HintNames.DurableJson);

    /// <summary>The module's code: the dispatch table, then its durable file when there is one.</summary>
    public string GeneratedSource => TableSource + (DurableSource ?? string.Empty);

    /// <summary>The generated interceptors; null when the generator wrote none.</summary>
    public string? InterceptorsSource => Source(HintNames.Interceptors);

    /// <summary>The event index the analyzers read (<see cref="HintNames.EventIndex"/>), or null when the compilation has no events.</summary>
    public string? EventIndexSource => Source(HintNames.EventIndex);

    private string? Source(string hintName)
        => Result.GeneratedSources.SingleOrDefault(s => s.HintName == hintName) is { SourceText: { } text } ? text.ToString() : null;

    /// <summary>
    /// A driver whose generated sources are parsed with <paramref name="parseOptions"/> (default
    /// <see cref="TestCompilation.ParseOptions"/>): give it the options the compilation's own files were parsed with.
    /// </summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false, CSharpParseOptions? parseOptions = null)
        => CSharpGeneratorDriver.Create(
            [new DispatchGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(Compilation compilation, bool trackSteps = false, CSharpParseOptions? parseOptions = null)
        => Continue(CreateDriver(trackSteps, parseOptions), compilation);

    /// <summary>Runs <paramref name="driver"/> (which may hold the state of an earlier run) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Continue(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var run = new GeneratorRun(driver, output, diagnostics);
        Assert.Null(run.Result.Exception);
        return run;
    }

    /// <summary>Errors and warnings of the compilation with the generated code: there must be none.</summary>
    public ImmutableArray<Diagnostic> CompilationProblems()
        => OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToImmutableArray();

    /// <summary>The errors and warnings of <see cref="CompilationProblems"/> that are located in the generated table.</summary>
    public ImmutableArray<Diagnostic> GeneratedSourceProblems()
        => CompilationProblems()
            .Where(d => d.Location.SourceTree?.FilePath is { } path
                        && (path.EndsWith(HintName, StringComparison.Ordinal) || path.EndsWith(HintNames.DurableJson, StringComparison.Ordinal)))
            .ToImmutableArray();
}
