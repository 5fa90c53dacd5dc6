using System.Reflection;
using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests;

/// <summary>
/// The generator's public step names are its own: Roslyn records its input nodes under the names of
/// <see cref="WellKnownGeneratorInputs"/>, and a step with one of those names would mix its runs with Roslyn's.
/// </summary>
public sealed class TrackingNamesTests
{
    private static string[] RoslynInputNames { get; } = typeof(WellKnownGeneratorInputs)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void TrackingNames_ShareNoNameWithRoslynsInputs()
    {
        // Read by reflection so that a name Roslyn adds later is covered too; "Compilation" is the one that collided.
        Assert.Contains(WellKnownGeneratorInputs.Compilation, RoslynInputNames);
        Assert.Equal("Compilation", WellKnownGeneratorInputs.Compilation);
        Assert.Equal(13, TrackedSteps.Names.Length);

        Assert.Empty(TrackedSteps.Names.Intersect(RoslynInputNames, StringComparer.Ordinal));
    }

    [Fact]
    public void CompilationStep_IsNamedCompilationInfo()
    {
        Assert.Equal("CompilationInfo", TrackingNames.CompilationInfo);
        Assert.Contains("CompilationInfo", TrackedSteps.Names);
        Assert.DoesNotContain("Compilation", TrackedSteps.Names);
    }

    [Fact]
    public void CompilationInfoStep_RecordsOnlyTheGeneratorsOwnRun()
    {
        var run = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers(), trackSteps: true);

        // Unfiltered (TrackedSteps.Of leaves input nodes out): under a shared name Roslyn's own compilation input
        // node would be recorded here as a second run without inputs.
        var steps = run.Result.TrackedSteps[TrackingNames.CompilationInfo];
        var step = Assert.Single(steps);
        Assert.NotEmpty(step.Inputs);
        Assert.Equal(IncrementalStepRunReason.New, Assert.Single(step.Outputs).Reason);
    }
}
