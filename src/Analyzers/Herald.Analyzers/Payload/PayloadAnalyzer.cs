using System.Collections.Generic;
using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Payload
{
    /// <summary>
    /// HER0001, HER0002, HER0003, HER0004 and HER0009: what an event carries. An event is a type with <c>[Event]</c>, or
    /// one that the compilation handles or publishes (the generator's event index says so, see
    /// <see cref="CompilationEvents"/>); it is durable when it has <c>[Event]</c> or a durable consumer receives it. Diagnostics go on the members the event
    /// (or one of its base types) declares, with the path to the problem, from the symbol action of the type that
    /// declares them: in the IDE they show in that type's document as the user types. A handler whose event is
    /// declared in another file shows the event's problems on its parameter too.
    /// </summary>
    [DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
    public sealed class PayloadAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.RawBinaryMember,
            DiagnosticDescriptors.DateTimeMember,
            DiagnosticDescriptors.NotSerializableMember,
            DiagnosticDescriptors.MutableEvent,
            DiagnosticDescriptors.DecimalOnDurableEvent);

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
            var issues = new PayloadIssues(new PayloadInspector(known), new GeneratedCode(context.Compilation));
            context.RegisterSymbolAction(symbol => AnalyzeType(symbol, known, issues), SymbolKind.NamedType);
            context.RegisterSymbolAction(symbol => AnalyzeHandler(symbol, known, issues), SymbolKind.Method);
        }

        /// <summary>The issues that sit on the members <paramref name="context"/>'s type declares, for every event they travel with.</summary>
        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known, PayloadIssues issues)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
                return;

            var pending = new Dictionary<(string, Location, string), PayloadIssue>();
            foreach (var eventType in EventsThatCarry(type, known))
            {
                var durable = IsDurable(eventType, known);
                foreach (var issue in issues.Of(eventType, durable, owner => SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, type), context.CancellationToken))
                {
                    if (pending.TryGetValue(issue.Key, out var existing))
                        existing.Durable |= durable;
                    else
                        pending.Add(issue.Key, issue);
                }
            }
            foreach (var issue in pending.Values)
                context.ReportDiagnostic(issue.Create());
        }

        /// <summary>
        /// The event types whose payload holds the members <paramref name="type"/> declares: the type itself when it is an
        /// event, its indexed constructions when it is generic, and the indexed events it is a base class of.
        /// </summary>
        private static IEnumerable<INamedTypeSymbol> EventsThatCarry(INamedTypeSymbol type, KnownSymbols known)
        {
            var events = known.Events;
            if (EventDeclaration.Read(type).IsDeclared || (!type.IsGenericType && events.Find(events.NameOf(type)) is not null))
                yield return type;
            if (type.IsGenericType)
            {
                foreach (var name in events.ConstructionsOf(type))
                {
                    if (events.Resolve(name) is INamedTypeSymbol construction && SymbolEqualityComparer.Default.Equals(construction.OriginalDefinition, type))
                        yield return construction;
                }
            }
            if (type.TypeKind != TypeKind.Class)
                yield break;
            foreach (var name in events.ConvertingToDefinition(type))
            {
                if (events.Resolve(name) is not INamedTypeSymbol derived || SymbolEqualityComparer.Default.Equals(derived.OriginalDefinition, type))
                    continue;
                for (var baseType = derived.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, type))
                    {
                        yield return derived;
                        break;
                    }
                }
            }
        }

        /// <summary>Whether <paramref name="eventType"/> or one of its base types in source has a declaration outside <paramref name="tree"/>.</summary>
        private static bool DeclaredElsewhere(INamedTypeSymbol eventType, SyntaxTree tree)
        {
            for (INamedTypeSymbol? owner = eventType.OriginalDefinition; owner is not null; owner = owner.BaseType?.OriginalDefinition)
            {
                var inSource = false;
                foreach (var location in owner.Locations)
                {
                    if (!location.IsInSource)
                        continue;
                    inSource = true;
                    if (location.SourceTree != tree)
                        return true;
                }
                if (!inSource)
                    return false;
            }
            return false;
        }

        /// <summary>
        /// Whether <paramref name="eventType"/> is written to the log and read back: it has an <c>[Event]</c>, or a
        /// durable consumer of the compilation receives it (which then also needs it named: HER0007).
        /// </summary>
        private static bool IsDurable(INamedTypeSymbol eventType, KnownSymbols known)
            => EventDeclaration.Read(eventType).IsDeclared || known.Events.IsReceivedByDurableConsumer(eventType);

        /// <summary>
        /// On a handler's parameter, the issues of its event that sit in other files: the handler's author sees what the
        /// event they receive carries without opening it.
        /// </summary>
        private static void AnalyzeHandler(SymbolAnalysisContext context, KnownSymbols known, PayloadIssues issues)
        {
            var method = (IMethodSymbol)context.Symbol;
            var subscribe = known.SubscribeAttributeOf(method);
            if (subscribe is null
                || !HandlerShape.TryRead(method, subscribe, out var shape)
                || shape.EventType is not INamedTypeSymbol eventType
                || method.Parameters[0].DeclaringSyntaxReferences.Length == 0
                || method.Parameters[0].DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is not ParameterSyntax { Type: { } parameterType })
                return;

            var here = parameterType.SyntaxTree;
            if (!DeclaredElsewhere(eventType, here))
                return; // the event's members report in this document already
            var location = parameterType.GetLocation();
            var durable = IsDurable(eventType, known);
            var reported = new HashSet<(string, string)>();
            foreach (var issue in issues.Of(eventType, durable, _ => true, context.CancellationToken))
            {
                if (issue.Location.SourceTree != here && reported.Add((issue.Key.Id, issue.Key.Message)))
                    context.ReportDiagnostic(issue.CreateAt(location));
            }
        }
    }
}
