using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests.Infrastructure;

/// <summary>The tracked runs of the generator's own pipeline steps.</summary>
internal static class TrackedSteps
{
    /// <summary>Every public step name of the generator (the constants of <see cref="TrackingNames"/>).</summary>
    public static ImmutableArray<string> Names { get; } = typeof(TrackingNames).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToImmutableArray();

    /// <summary>
    /// The runs of step <paramref name="name"/> that belong to the generator. Roslyn records its own input nodes
    /// under fixed names too (<see cref="WellKnownGeneratorInputs"/>); runs that take no input (input nodes) are
    /// left out, so a step name that ever matched one of Roslyn's would still be read correctly.
    /// </summary>
    public static ImmutableArray<IncrementalGeneratorRunStep> Of(GeneratorRunResult result, string name)
        => result.TrackedSteps.TryGetValue(name, out var steps)
            ? steps.Where(step => !step.Inputs.IsEmpty).ToImmutableArray()
            : [];

    public static (object Value, IncrementalStepRunReason Reason)[] Outputs(GeneratorRunResult result, string name)
        => Of(result, name).SelectMany(step => step.Outputs).ToArray();
}
