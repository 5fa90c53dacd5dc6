using Basic.Reference.Assemblies;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests.Infrastructure;

/// <summary>
/// A code fix test against .NET 10 and the Herald runtime, with the same package-provided reference assemblies as
/// <see cref="HeraldAnalyzerTest{TAnalyzer}"/>. The framework applies the fix to each diagnostic one at a time and
/// then with Fix All in document, project and solution scope, and compares every result with the fixed code. It also
/// checks that every diagnostic it fixes is local: computed by analyzing its document alone, as the IDE computes the
/// diagnostics it offers fixes for.
/// </summary>
internal sealed class HeraldCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public HeraldCodeFixTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(Net100.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location));
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location));
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>
    /// Herald's generator runs too, as in a build and in the IDE: its output (the dispatch table and the event index the
    /// analyzers read) is part of the compilation the analyzers see. Its text is the generator tests' business.
    /// </summary>
    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(DispatchGenerator)];

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

    public static Task VerifyAsync(string source, string fixedSource)
        => new HeraldCodeFixTest<TAnalyzer, TCodeFix> { TestCode = source, FixedCode = fixedSource }.RunAsync(CancellationToken.None);
}
