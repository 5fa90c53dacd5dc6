using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Herald.Analyzers.Payload;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>
/// The generator and the analyzers apply one set of payload rules (src/Shared): the generated serializer writes exactly
/// the members that HER0003 does not report.
/// </summary>
public sealed partial class SharedPayloadRulesTests
{
    private const string Corpus = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.IO;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Corpus;

        public interface IShape { }
        public abstract record Shape;
        public sealed record Circle(double NestedRadius) : Shape;
        public sealed record Box(int NestedWidth);
        public enum Color { Red, Green }
        public sealed class Failure : Exception { }
        public sealed class Tape : MemoryStream { }

        [Event("corpus.everything")]
        public sealed class Everything
        {
            // Carried.
            public Guid Id { get; init; }
            public string Name { get; init; } = "";
            public int Count { get; init; }
            public DateTime When { get; init; }
            public DateTimeOffset At { get; init; }
            public decimal Amount { get; init; }
            public Uri? Link { get; init; }
            public TimeSpan Took { get; init; }
            public DateOnly Day { get; init; }
            public TimeOnly Time { get; init; }
            public Color Color { get; init; }
            public int? Maybe { get; init; }
            public byte[] Blob { get; init; } = [];
            public List<byte> Bytes { get; init; } = [];
            public IReadOnlyList<Box> Boxes { get; init; } = [];
            public HashSet<string> Tags { get; init; } = [];
            public Dictionary<string, int> Counts { get; init; } = [];
            public IReadOnlyDictionary<string, Box> ByName { get; init; } = new Dictionary<string, Box>();
            public Box? Single { get; init; }
            public string[] Words { get; init; } = [];
            public string URL { get; init; } = "";

            // Left out.
            public string Url { get; init; } = "";
            public Action? Callback { get; init; }
            public object? Anything { get; init; }
            public dynamic? Dyn { get; init; }
            public Type? Kind { get; init; }
            public Task? Pending { get; init; }
            public CancellationToken Token { get; init; }
            public Exception? Error { get; init; }
            public Failure? OwnError { get; init; }
            public Stream? Body { get; init; }
            public Tape? OwnStream { get; init; }
            public IShape? AnyShape { get; init; }
            public Shape? SomeShape { get; init; }
            public Dictionary<int, string> ByNumber { get; init; } = [];
            public ImmutableArray<int> Ids { get; init; }
            public int[,]? Grid { get; init; }
            public KeyValuePair<string, int> Pair { get; init; }
            public (int, string) Tuple { get; init; }
            public Version? Version { get; init; }
            public Memory<int> Window { get; init; }
            public ArrayList? Legacy { get; init; }
            public List<Action> Callbacks { get; init; } = [];

            // Does not travel, and is not reported.
            [JsonIgnore]
            public int Secret { get; init; }
        }
        """;

    private static readonly string[] Carried =
        ["Id", "Name", "Count", "When", "At", "Amount", "Link", "Took", "Day", "Time", "Color", "Maybe", "Blob", "Bytes", "Boxes", "Tags", "Counts", "ByName", "Single", "Words", "URL"];

    private static readonly string[] LeftOut =
        ["Url", "Callback", "Anything", "Dyn", "Kind", "Pending", "Token", "Error", "OwnError", "Body", "OwnStream", "AnyShape", "SomeShape", "ByNumber", "Ids", "Grid", "Pair", "Tuple", "Version", "Window", "Legacy", "Callbacks"];

    [Fact]
    public async Task GeneratedSerializer_WritesExactlyTheMembersThatHer0003DoesNotReport()
    {
        var project = ProjectCompilation.Create([("Corpus.cs", Corpus)]);

        var written = WrittenJsonNames(project).Where(name => !name.StartsWith("nested", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(Carried.Select(Herald.CodeAnalysis.PayloadMembers.JsonName).Order(StringComparer.Ordinal), written);

        var reported = (await Her0003Async(project)).Order(StringComparer.Ordinal);
        Assert.Equal(LeftOut.Order(StringComparer.Ordinal), reported);
        Assert.Empty(project.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public async Task ConstructorParameterOfAPropertyInheritedFromAnotherAssembly_IsCarried_AndNotReported()
    {
        var library = ReferencedLibrary.Build("Shop.Contracts", """
            namespace Shop.Contracts;

            public abstract record IntegrationEvent(System.Guid EventId);

            public static class Audit
            {
                [Herald.Subscribe] public static void On(IntegrationEvent e) { }
            }
            """);
        var project = ProjectCompilation.Create([("Orders.cs", """
            using System;
            using Herald;
            using Shop.Contracts;

            [Event("orders.paid")]
            public sealed record OrderPaid(Guid EventId, long Cents) : IntegrationEvent(EventId);
            """)], library);

        Assert.Empty(await Her0003Async(project));
        var written = WrittenJsonNames(project);
        Assert.Contains("eventId", written);
        Assert.Contains("cents", written);
    }

    /// <summary>The member names that HER0003 is reported on.</summary>
    private static async Task<IEnumerable<string>> Her0003Async(ProjectCompilation project)
    {
        var diagnostics = await project.Compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PayloadAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics
            .Where(d => d.Id == RuleIdentifiers.NotSerializableMember)
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan))
            .ToArray();
    }

    /// <summary>Every JSON property name the generated durable serializers write.</summary>
    private static string[] WrittenJsonNames(ProjectCompilation project)
    {
        var durable = project.Compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(Herald.Generator.HintNames.DurableJson, StringComparison.Ordinal));
        return WritePropertyName().Matches(durable.GetText().ToString()).Select(m => m.Groups[1].Value).Distinct().ToArray();
    }

    [GeneratedRegex("""WritePropertyName\("([^"]+)"u8\)""")]
    private static partial Regex WritePropertyName();
}
