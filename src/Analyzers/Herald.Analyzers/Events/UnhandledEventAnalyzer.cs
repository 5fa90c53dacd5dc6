using System.Collections.Generic;
using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Events
{
    /// <summary>
    /// HER0008: a <c>Publish</c>/<c>PublishAsync</c> call whose event no handler receives: no <c>[Subscribe]</c> method
    /// that the generator dispatches (its event index lists them) and no handler exported by a referenced Herald
    /// assembly, for the event type, its base types or interfaces, or (when the static type is not sealed) a type
    /// derived from it. Whether a handler exists somewhere is a question about the whole compilation, so the rule
    /// reports at its end: on <c>dotnet build</c>, and in the IDE with full solution analysis.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnhandledEventAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.UnhandledEvent);

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
                var usage = EventUsage.Register(start, known, handlers: false, namedEvents: false);
                start.RegisterCompilationEndAction(end => Report(end, known, usage));
            });
        }

        private static void Report(CompilationAnalysisContext context, KnownSymbols known, EventUsage usage)
        {
            var verdicts = new Dictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            foreach (var call in usage.PublishCalls)
            {
                if (!verdicts.TryGetValue(call.EventType, out var isHandled))
                    verdicts.Add(call.EventType, isHandled = IsHandled(call.EventType, known));
                if (isHandled)
                    continue;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnhandledEvent,
                    call.Invocation.Syntax.GetLocation(),
                    call.EventType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }

        private static bool IsHandled(ITypeSymbol published, KnownSymbols known)
        {
            // The type itself, a base class or an interface of it.
            var receiving = known.Events.ReceivingNames(published);
            foreach (var name in receiving)
            {
                if (known.Events.Find(name) is { Handlers.Count: > 0 } || known.ReferencedHandlers.Of(name).Count > 0)
                    return true;
            }

            // An event whose static type is not sealed may be a derived type at run time, whose handlers then run.
            if (published.IsValueType || published.IsSealed)
                return false;
            foreach (var indexed in known.Events.All)
            {
                if (indexed.Handlers.Count > 0 && System.Array.IndexOf(indexed.ConvertsTo, receiving[0]) >= 0)
                    return true;
            }
            foreach (var exported in known.ReferencedHandlers.Handlers)
            {
                if (EventUsage.Receives(exported.EventType, published))
                    return true;
            }
            return false;
        }
    }
}
