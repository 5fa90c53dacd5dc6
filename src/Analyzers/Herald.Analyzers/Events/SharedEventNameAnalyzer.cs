using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Events
{
    /// <summary>
    /// HER0007, what only the whole compilation shows: two event types with one <c>[Event]</c> name (of this
    /// compilation, or of a referenced assembly when this compilation uses that event). Reported at the end of the
    /// compilation: on <c>dotnet build</c>, and in the IDE with full solution analysis.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SharedEventNameAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.SharedEventName);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var known = KnownSymbols.For(start.Compilation);
                if (!known.HasHerald)
                    return;
                var usage = EventUsage.Register(start, known);
                start.RegisterCompilationEndAction(end => Report(end, usage));
            });
        }

        private static void Report(CompilationAnalysisContext context, EventUsage usage)
        {
            var byName = new Dictionary<string, List<INamedTypeSymbol>>(StringComparer.Ordinal);
            var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var type in usage.AllEvents())
            {
                if (type is not INamedTypeSymbol named || !seen.Add(named.OriginalDefinition))
                    continue;
                var declaration = EventDeclaration.Read(named);
                if (declaration.Status != EventNameStatus.Durable)
                    continue;
                if (!byName.TryGetValue(declaration.Name!, out var types))
                    byName.Add(declaration.Name!, types = new List<INamedTypeSymbol>());
                types.Add(named.OriginalDefinition);
            }

            foreach (var entry in byName)
            {
                if (entry.Value.Count < 2)
                    continue;
                var types = entry.Value.OrderBy(t => t.ToDisplayString(), StringComparer.Ordinal).ToArray();
                foreach (var type in types)
                {
                    var attribute = EventDeclaration.Read(type).Attribute;
                    if (attribute is null || !type.Locations.Any(l => l.IsInSource))
                        continue;
                    var others = string.Join("', '", types.Where(t => !SymbolEqualityComparer.Default.Equals(t, type)).Select(t => t.ToDisplayString()));
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.SharedEventName,
                        attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations[0],
                        EventNameAnalyzer.Display(type),
                        $"shares the event name \"{entry.Key}\" with '{others}'; a consumer could not tell them apart, so give each event type its own name"));
                }
            }
        }
    }
}
