using System.Reflection;
using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// The pipeline's models hold only names, numbers and equatable arrays: no symbol, compilation, syntax or
/// location, which would keep compilations alive and defeat caching.
/// </summary>
public sealed class PipelineModelTests
{
    private const string ModelNamespace = "Herald.Generator.Model";

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void TrackedStepOutputs_HoldNoSymbolsOrSyntax(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario), trackSteps: true);
        var problems = new List<string>();
        var visited = 0;

        foreach (var step in TrackedSteps.Names)
        {
            var outputs = TrackedSteps.Outputs(run.Result, step);
            for (var i = 0; i < outputs.Length; i++)
            {
                problems.AddRange(ModelGraph.FindForbiddenValues(outputs[i].Value, $"{step}[{i}]", out var count));
                visited += count;
            }
        }

        Assert.Empty(problems);
        // The walk reached the models' contents, not only their roots.
        Assert.True(visited > 50, $"Only {visited} objects were walked.");
    }

    [Fact]
    public void ModelStepNames_AreTrackedInARun()
    {
        // The scenario with every kind of input: handlers, publish sites and [Event] types.
        var run = GeneratorRun.Run(Scenarios.DurableEvents(), trackSteps: true);

        Assert.Contains(TrackingNames.Table, TrackedSteps.Names);
        Assert.Contains(TrackingNames.Handlers, TrackedSteps.Names);
        Assert.Contains(TrackingNames.DurableEvents, TrackedSteps.Names);
        Assert.All(TrackedSteps.Names, step => Assert.True(TrackedSteps.Of(run.Result, step).Length > 0, $"Step {step} was not tracked."));
    }

    [Fact]
    public void ModelTypes_DeclareNoSymbolOrSyntaxMembers()
    {
        var models = typeof(DispatchGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == ModelNamespace)
            .ToArray();

        Assert.Contains(models, t => t.Name == "DispatchTableSpec");
        Assert.Contains(models, t => t.Name == "HandlerSpec");
        Assert.Contains(models, t => t.Name == "DurableEventSpec");
        Assert.Contains(models, t => t.Name == "JsonTypeSpec");
        Assert.Empty(models.SelectMany(ModelGraph.FindForbiddenMembers));
    }

    [Fact]
    public void ModelFields_CompareByValue()
    {
        // A List or ImmutableArray field compares by reference: the model would never be equal to the previous
        // run's, and every step after it would rerun on every edit.
        var fields = typeof(DispatchGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == ModelNamespace && !t.IsEnum)
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            .ToArray();

        Assert.NotEmpty(fields);
        Assert.All(fields, f => Assert.True(ComparesByValue(f.FieldType), $"{f.DeclaringType!.Name}.{f.Name} is a {f.FieldType.Name}."));
    }

    private static bool ComparesByValue(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string))
            return true;
        if (type.IsGenericType && type.GetGenericTypeDefinition().Name == "EquatableArray`1")
            return ComparesByValue(type.GetGenericArguments()[0]);
        return type.Assembly == typeof(DispatchGenerator).Assembly
            && typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type);
    }
}
