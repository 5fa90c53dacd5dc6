using System.Collections.Generic;
using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Events
{
    /// <summary>
    /// HER0008: a <c>Publish</c>/<c>PublishAsync</c> call whose event no handler receives: no valid <c>[Subscribe]</c>
    /// method of the compilation and no handler exported by a referenced Herald assembly, for the event type, its
    /// base types or interfaces, or (when the static type is not sealed) a type derived from it.
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
                var usage = EventUsage.Register(start, known, namedEvents: false);
                start.RegisterCompilationEndAction(end => Report(end, known, usage));
            });
        }

        private static void Report(CompilationAnalysisContext context, KnownSymbols known, EventUsage usage)
        {
            var handled = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var handler in usage.Handlers)
            {
                if (handler.IsValid)
                    handled.Add(handler.EventType);
            }
            foreach (var exported in known.ReferencedHandlers.Handlers)
                handled.Add(exported.EventType);

            var verdicts = new Dictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            foreach (var call in usage.PublishCalls)
            {
                if (!verdicts.TryGetValue(call.EventType, out var isHandled))
                    verdicts.Add(call.EventType, isHandled = IsHandled(call.EventType, handled));
                if (isHandled)
                    continue;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnhandledEvent,
                    call.Invocation.Syntax.GetLocation(),
                    call.EventType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }

        private static bool IsHandled(ITypeSymbol published, HashSet<ITypeSymbol> handled)
        {
            // An event whose static type is not sealed may be a derived type at run time, whose handlers then run.
            var mayBeDerived = !published.IsValueType && !published.IsSealed;
            foreach (var type in handled)
            {
                if (EventUsage.Receives(published, type) || (mayBeDerived && EventUsage.Receives(type, published)))
                    return true;
            }
            return false;
        }
    }
}
