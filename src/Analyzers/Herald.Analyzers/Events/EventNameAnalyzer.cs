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
    /// HER0007: a durable consumer's event without an <c>[Event]</c> name, an empty name, or one name on two event
    /// types (of this compilation, or of a referenced assembly when this compilation uses that event).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EventNameAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.EventName);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var known = KnownSymbols.For(context.Compilation);
            if (!known.HasHerald)
                return;
            var usage = EventUsage.Register(context, known);

            context.RegisterSymbolAction(symbol => CheckDurableHandler(symbol, known), SymbolKind.Method);
            context.RegisterCompilationEndAction(end =>
            {
                CheckEmptyNames(end, known, usage);
                CheckSharedNames(end, known, usage);
            });
        }

        private static void CheckDurableHandler(SymbolAnalysisContext context, KnownSymbols known)
        {
            var method = (IMethodSymbol)context.Symbol;
            var subscribe = known.SubscribeAttributeOf(method);
            if (subscribe is null || !HandlerShape.TryRead(method, subscribe, out var shape) || shape.IsInline)
                return;
            // A durable consumer of a base type or interface receives the concrete events, which carry the names.
            if (shape.EventType is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false } eventType)
                return;
            if (known.EventAttributeOf(eventType) is not null)
                return;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.EventName,
                method.Locations[0],
                Display(eventType),
                $"is received by durable consumer '{shape.Consumer}' ({method.ContainingType.Name}.{method.Name}) but has no [Event] name; add [Event(\"...\")] with a stable name that the log can store"));
        }

        private static void CheckEmptyNames(CompilationAnalysisContext context, KnownSymbols known, EventUsage usage)
        {
            foreach (var type in usage.NamedEvents)
            {
                var attribute = known.EventAttributeOf(type);
                if (attribute is null || !string.IsNullOrWhiteSpace(NameOf(attribute)))
                    continue;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.EventName,
                    AttributeLocation(attribute, type),
                    Display(type),
                    "has an empty [Event] name; give it a stable name such as \"orders.created\""));
            }
        }

        private static void CheckSharedNames(CompilationAnalysisContext context, KnownSymbols known, EventUsage usage)
        {
            var byName = new Dictionary<string, List<INamedTypeSymbol>>(StringComparer.Ordinal);
            var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var type in usage.AllEvents())
            {
                if (type is not INamedTypeSymbol named || !seen.Add(named.OriginalDefinition))
                    continue;
                var attribute = known.EventAttributeOf(named);
                var name = attribute is null ? null : NameOf(attribute);
                if (string.IsNullOrWhiteSpace(name))
                    continue;
                if (!byName.TryGetValue(name!, out var types))
                    byName.Add(name!, types = new List<INamedTypeSymbol>());
                types.Add((INamedTypeSymbol)named.OriginalDefinition);
            }

            foreach (var entry in byName)
            {
                if (entry.Value.Count < 2)
                    continue;
                var types = entry.Value.OrderBy(t => t.ToDisplayString(), StringComparer.Ordinal).ToArray();
                foreach (var type in types)
                {
                    var attribute = known.EventAttributeOf(type);
                    if (attribute is null || !type.Locations.Any(l => l.IsInSource))
                        continue;
                    var others = string.Join("', '", types.Where(t => !SymbolEqualityComparer.Default.Equals(t, type)).Select(t => t.ToDisplayString()));
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.EventName,
                        AttributeLocation(attribute, type),
                        Display(type),
                        $"shares the event name \"{entry.Key}\" with '{others}'; a consumer could not tell them apart, so give each event type its own name"));
                }
            }
        }

        private static string? NameOf(AttributeData attribute)
            => attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;

        private static Location AttributeLocation(AttributeData attribute, INamedTypeSymbol type)
            => attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? type.Locations[0];

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }
}
