using Basic.Reference.Assemblies;
using Herald.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Analyzers.Tests.Infrastructure;

/// <summary>
/// An analyzer test against .NET 10 and the Herald runtime. The reference assemblies come from the
/// Basic.Reference.Assemblies.Net100 package: <c>new ReferenceAssemblies("net10.0")</c> names no package, so the
/// testing framework downloads nothing.
/// </summary>
internal sealed class HeraldAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public HeraldAnalyzerTest()
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

    public static Task VerifyAsync(string source, params MetadataReference[] additionalReferences)
        => VerifyAsync(source, [], additionalReferences);

    public static Task VerifyAsync(string source, DiagnosticResult[] expected, params MetadataReference[] additionalReferences)
    {
        var test = new HeraldAnalyzerTest<TAnalyzer> { TestCode = source };
        test.TestState.AdditionalReferences.AddRange(additionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
