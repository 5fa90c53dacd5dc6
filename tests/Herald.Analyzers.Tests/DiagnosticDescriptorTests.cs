using System.Reflection;
using System.Text.RegularExpressions;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Tests;

/// <summary>
/// Every diagnostic Herald reports is documented and tracked: a help link to its page under docs/rules/, the
/// page itself, and a row in AnalyzerReleases.Shipped.md or AnalyzerReleases.Unshipped.md.
/// </summary>
public sealed partial class DiagnosticDescriptorTests
{
    public static TheoryData<string> DiagnosticIds => [.. Descriptors().Select(d => d.Id).Distinct()];

    [Fact]
    public void Analyzers_ExposeDiagnostics()
    {
        Assert.Contains(Descriptors(), d => d.Id == RuleIdentifiers.SyncPublishOfAsyncEvent);
    }

    [Fact]
    public void DiagnosticIds_AreUniqueAndWellFormed()
    {
        var descriptors = Descriptors();

        // Two analyzers may share a descriptor, but one ID never stands for two different rules.
        Assert.All(descriptors.GroupBy(d => d.Id), group => Assert.Single(group.Distinct()));
        Assert.All(descriptors, d => Assert.Matches(IdPattern(), d.Id));
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void HelpLink_PointsAtAnExistingRulePage(string id)
    {
        var descriptor = Descriptors().First(d => d.Id == id);

        Assert.EndsWith($"/docs/rules/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        var page = Path.Combine(RepositoryRoot.Find(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page at docs/rules/{id}.md.");
        Assert.StartsWith($"# {id}:", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Diagnostic_IsTrackedInAnalyzerReleases(string id)
    {
        var descriptor = Descriptors().First(d => d.Id == id);
        var folder = Path.Combine(RepositoryRoot.Find(), "src", "Analyzers", "Herald.Analyzers");
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(file => File.ReadAllLines(Path.Combine(folder, file)))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length >= 3 && cells[0] == id)
            .ToArray();

        var row = Assert.Single(rows);
        Assert.Equal(descriptor.Category, row[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
    }

    [Fact]
    public void OnlyTheGlobalRules_AreTaggedCompilationEnd()
    {
        // The tag tells the IDE that a diagnostic comes only from full solution analysis; on a rule that reports per
        // document it would hide the squiggle and the code fix.
        var tagged = Descriptors()
            .Where(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd))
            .Select(d => d.Id)
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal([RuleIdentifiers.EventName, RuleIdentifiers.UnhandledEvent], tagged);
        Assert.DoesNotContain(WellKnownDiagnosticTags.CompilationEnd, DiagnosticDescriptors.EventName.CustomTags);
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, DiagnosticDescriptors.SharedEventName.CustomTags);
    }

    private static DiagnosticDescriptor[] Descriptors()
        => typeof(SyncPublishAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .SelectMany(analyzer => analyzer.SupportedDiagnostics)
            .ToArray();

    [GeneratedRegex("^HER[0-9]{4}$")]
    private static partial Regex IdPattern();
}
