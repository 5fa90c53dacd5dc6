using System.Reflection;
using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Tests;

/// <summary>
/// Every rule ID is reported by exactly one analyzer, has a complete page under docs/rules/, and is listed in
/// README.md with a link to that page.
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

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_IsReportedByExactlyOneAnalyzer(string id)
    {
        var analyzers = typeof(SyncPublishAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Where(a => a.SupportedDiagnostics.Any(d => d.Id == id));

        Assert.Single(analyzers);
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
