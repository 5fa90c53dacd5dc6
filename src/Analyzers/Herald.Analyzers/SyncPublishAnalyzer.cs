using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Herald.Analyzers
{
    /// <summary>
    /// HER0006: <c>IEventBus.Publish</c> of an event type that has an asynchronous inline handler, in this compilation
    /// (the generator's event index lists them, see <see cref="CompilationEvents"/>) or in a referenced assembly's
    /// generated table. Reported at the call site from an operation action, so the IDE shows it as the call is typed.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SyncPublishAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.SyncPublishOfAsyncEvent);

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
            if (!known.HasHerald || known.Publish is null)
                return;
            context.RegisterOperationAction(operationContext => AnalyzeCall(operationContext, known), OperationKind.Invocation);
        }

        private static void AnalyzeCall(OperationAnalysisContext context, KnownSymbols known)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!known.IsPublish(invocation.TargetMethod, out var isAsync) || isAsync)
                return;
            var eventType = invocation.TargetMethod.TypeArguments[0];
            if (eventType.TypeKind is TypeKind.TypeParameter or TypeKind.Error)
                return;

            var names = AsyncHandlersOf(eventType, known).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
            if (names.Length == 0)
                return;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.SyncPublishOfAsyncEvent,
                invocation.Syntax.GetLocation(),
                eventType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                string.Join(", ", names)));
        }

        /// <summary>
        /// The asynchronous inline handlers that a publish of <paramref name="published"/> runs: those of the type, of its
        /// base classes and of its interfaces, matched by name as the generated dispatch table matches them.
        /// </summary>
        private static IEnumerable<string> AsyncHandlersOf(ITypeSymbol published, KnownSymbols known)
        {
            var receiving = known.Events.ReceivingNames(published);
            foreach (var name in receiving)
            {
                foreach (var handler in known.Events.Find(name)?.Handlers ?? [])
                {
                    if (handler.Kind == IndexedHandlerKind.Async)
                        yield return handler.DisplayName;
                }
                foreach (var exported in known.ReferencedHandlers.Of(name))
                {
                    if (exported.IsAsync)
                        yield return exported.Name;
                }
            }
        }
    }
}
