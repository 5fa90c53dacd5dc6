using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Herald.Analyzers
{
    /// <summary>
    /// HER0006: <c>IEventBus.Publish</c> of an event type that has an asynchronous inline handler, here or in a
    /// referenced assembly's generated table. Reported at the call site, once the compilation's handlers are known.
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
            var compilation = context.Compilation;
            var known = KnownSymbols.For(compilation);
            if (!known.HasHerald || known.Publish is null)
                return;

            var asyncHandlers = new ConcurrentBag<(ITypeSymbol EventType, string Name)>();
            var calls = new ConcurrentBag<(IInvocationOperation Call, ITypeSymbol EventType)>();

            context.RegisterSymbolAction(symbolContext =>
            {
                var method = (IMethodSymbol)symbolContext.Symbol;
                var subscribe = known.SubscribeAttributeOf(method);
                if (subscribe is not null && HandlerShape.TryRead(method, subscribe, out var shape) && shape.IsInline && shape.IsAsync)
                    asyncHandlers.Add((shape.EventType, method.ContainingType.ToDisplayString() + "." + method.Name));
            }, SymbolKind.Method);

            context.RegisterOperationAction(operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                if (!known.IsPublish(invocation.TargetMethod, out var isAsync) || isAsync)
                    return;
                var eventType = invocation.TargetMethod.TypeArguments[0];
                if (eventType.TypeKind != TypeKind.TypeParameter)
                    calls.Add((invocation, eventType));
            }, OperationKind.Invocation);

            context.RegisterCompilationEndAction(endContext =>
            {
                var handlers = asyncHandlers
                    .Concat(known.ReferencedHandlers.Handlers.Where(h => h.IsAsync).Select(h => (h.EventType, h.Name)))
                    .ToArray();
                foreach (var (call, eventType) in calls)
                {
                    var names = handlers
                        .Where(h => Receives(compilation, eventType, h.EventType))
                        .Select(h => h.Name)
                        .Distinct()
                        .OrderBy(n => n, System.StringComparer.Ordinal)
                        .ToArray();
                    if (names.Length == 0)
                        continue;
                    endContext.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.SyncPublishOfAsyncEvent,
                        call.Syntax.GetLocation(),
                        eventType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                        string.Join(", ", names)));
                }
            });
        }

        /// <summary>Whether a handler of <paramref name="handled"/> receives an event published as <paramref name="published"/>.</summary>
        private static bool Receives(Compilation compilation, ITypeSymbol published, ITypeSymbol handled)
        {
            if (SymbolEqualityComparer.Default.Equals(published, handled))
                return true;
            if (compilation is not CSharpCompilation csharp)
                return false;
            var conversion = csharp.ClassifyConversion(published, handled);
            return conversion.IsImplicit && (conversion.IsReference || conversion.IsBoxing || conversion.IsIdentity);
        }
    }
}
