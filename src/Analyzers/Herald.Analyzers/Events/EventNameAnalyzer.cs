using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Events
{
    /// <summary>
    /// HER0007, what one declaration shows: a durable consumer's event that Herald cannot make durable (no
    /// <c>[Event]</c> name, an empty one, or a generic type), reported on the handler; and an <c>[Event]</c> that makes
    /// nothing durable (empty name, generic type), reported on the attribute. Both from symbol actions, so the IDE shows
    /// them as the user types. Two types sharing one name is <see cref="SharedEventNameAnalyzer"/>'s.
    /// </summary>
    /// <remarks>
    /// What the generator makes durable is <see cref="EventDeclaration"/>'s decision, read here too: the generator leaves
    /// out every durable handler reported here, so none is dropped without a word.
    /// </remarks>
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
            context.RegisterCompilationStartAction(start =>
            {
                var known = KnownSymbols.For(start.Compilation);
                if (!known.HasHerald)
                    return;
                start.RegisterSymbolAction(symbol => CheckDurableHandler(symbol, known), SymbolKind.Method);
                start.RegisterSymbolAction(CheckDeclaration, SymbolKind.NamedType);
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

            var receiver = $"is received by durable consumer '{shape.Consumer}' ({method.ContainingType.Name}.{method.Name})";
            string problem;
            if (eventType.IsGenericType)
                problem = receiver + " but is generic: one [Event] name cannot say which closed type a stored event is, so Herald cannot make it durable and leaves this handler out; declare a non-generic event type for it";
            else
            {
                switch (EventDeclaration.Read(eventType).Status)
                {
                    case EventNameStatus.None:
                        problem = receiver + " but has no [Event] name; add [Event(\"...\")] with a stable name that the log can store";
                        break;
                    case EventNameStatus.EmptyName:
                        problem = receiver + " but its [Event] name is empty, so Herald cannot make it durable and leaves this handler out; give it a stable name such as \"orders.created\"";
                        break;
                    default:
                        return;
                }
            }
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EventName, method.Locations[0], Display(eventType), problem));
        }

        private static void CheckDeclaration(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var declaration = EventDeclaration.Read(type);
            string problem;
            switch (declaration.Status)
            {
                case EventNameStatus.EmptyName:
                    problem = "has an empty [Event] name; give it a stable name such as \"orders.created\"";
                    break;
                case EventNameStatus.GenericType:
                    problem = "is generic, and one [Event] name cannot say which closed type a stored event is, so Herald does not make it durable; declare a non-generic event type for each payload";
                    break;
                default:
                    return;
            }
            var location = declaration.Attribute!.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations[0];
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EventName, location, Display(type), problem));
        }

        internal static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }
}
