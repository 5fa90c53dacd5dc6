using System.Reflection;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Tests;

/// <summary>
/// Every rule ID is reported by one document-level analyzer, one compilation-end analyzer, or one of each (HER0007),
/// has a complete page under docs/rules/ that says where and when it reports, and is listed in README.md with a link
/// to that page.
/// </summary>
public sealed class RuleCatalogTests
{
    public static TheoryData<string> RuleIds => [.. Ids()];

    [Fact]
    public void RuleIdentifiers_AreHer0001ToHer0009()
    {
        Assert.Equal(
            Enumerable.Range(1, 9).Select(n => $"HER{n:D4}"),
            Ids().Order(StringComparer.Ordinal));
    }

    private static string[] Ids()
        => typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

    /// <summary>
    /// Where each rule reports: from document-level actions (symbol, operation, syntax), which the IDE runs on the open
    /// document as the user types, or at the end of the compilation, for what only the whole compilation can tell.
    /// HER0007 does both: a missing or unusable name is one declaration's, a name shared by two types is global.
    /// </summary>
    public static TheoryData<string, string?, string?> Placement => new()
    {
        { "HER0001", "PayloadAnalyzer", null },
        { "HER0002", "PayloadAnalyzer", null },
        { "HER0003", "PayloadAnalyzer", null },
        { "HER0004", "PayloadAnalyzer", null },
        { "HER0005", "HandlerSignatureAnalyzer", null },
        { "HER0006", "SyncPublishAnalyzer", null },
        { "HER0007", "EventNameAnalyzer", "SharedEventNameAnalyzer" },
        { "HER0008", null, "UnhandledEventAnalyzer" },
        { "HER0009", "PayloadAnalyzer", null },
    };

    [Theory]
    [MemberData(nameof(Placement))]
    public void Rule_IsReportedByOneDocumentAnalyzer_OrOneCompilationEndAnalyzer(string id, string? documentAnalyzer, string? compilationEndAnalyzer)
    {
        var analyzers = typeof(SyncPublishAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Select(a => (Name: a.GetType().Name, Descriptors: a.SupportedDiagnostics.Where(d => d.Id == id).ToArray()))
            .Where(a => a.Descriptors.Length > 0)
            .ToArray();

        bool IsCompilationEnd(DiagnosticDescriptor d) => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd);
        Assert.Equal(
            documentAnalyzer is null ? Array.Empty<string>() : [documentAnalyzer],
            analyzers.Where(a => !a.Descriptors.Any(IsCompilationEnd)).Select(a => a.Name));
        Assert.Equal(
            compilationEndAnalyzer is null ? Array.Empty<string>() : [compilationEndAnalyzer],
            analyzers.Where(a => a.Descriptors.All(IsCompilationEnd)).Select(a => a.Name));
        Assert.Equal(analyzers.Length, (documentAnalyzer is null ? 0 : 1) + (compilationEndAnalyzer is null ? 0 : 1));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RulePage_HasEverySection(string id)
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "rules", id + ".md"));

        foreach (var section in new[] { "## Why it matters", "## Non-compliant code", "## Compliant code", "## Configure severity", $"dotnet_diagnostic.{id}.severity" })
            Assert.Contains(section, page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Readme_ListsTheRuleWithItsLink(string id)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));

        Assert.Contains($"| [{id}](docs/rules/{id}.md) |", readme, StringComparison.Ordinal);
    }
}
