using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
            var bus = compilation.GetTypeByMetadataName(KnownNames.EventBus);
            var subscribe = compilation.GetTypeByMetadataName(KnownNames.SubscribeAttribute);
            if (bus is null || subscribe is null)
                return;
            var publish = bus.GetMembers("Publish").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsGenericMethod);
            if (publish is null)
                return;

            var asyncHandlers = new ConcurrentBag<(ITypeSymbol EventType, string Name)>();
            foreach (var (eventType, name) in ReferencedAsyncHandlers(compilation))
                asyncHandlers.Add((eventType, name));
            var calls = new ConcurrentBag<(IInvocationOperation Call, ITypeSymbol EventType)>();

            context.RegisterSymbolAction(symbolContext =>
            {
                var method = (IMethodSymbol)symbolContext.Symbol;
                foreach (var attribute in method.GetAttributes())
                {
                    if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, subscribe))
                        continue;
                    if (HandlerShape.TryRead(method, attribute, out var shape) && shape.IsInline && shape.IsAsync)
                        asyncHandlers.Add((shape.EventType, method.ContainingType.ToDisplayString() + "." + method.Name));
                }
            }, SymbolKind.Method);

            context.RegisterOperationAction(operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                var target = invocation.TargetMethod;
                if (target.Name != "Publish" || target.TypeArguments.Length != 1
                    || !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, publish))
                    return;
                var eventType = target.TypeArguments[0];
                if (eventType.TypeKind != TypeKind.TypeParameter)
                    calls.Add((invocation, eventType));
            }, OperationKind.Invocation);

            context.RegisterCompilationEndAction(endContext =>
            {
                var handlers = asyncHandlers.ToArray();
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

        /// <summary>Async handlers that referenced assemblies export through their generated tables.</summary>
        private static IEnumerable<(ITypeSymbol EventType, string Name)> ReferencedAsyncHandlers(Compilation compilation)
        {
            var moduleAttribute = compilation.GetTypeByMetadataName(KnownNames.ModuleAttribute);
            var handlerAttribute = compilation.GetTypeByMetadataName(KnownNames.HandlerAttribute);
            if (moduleAttribute is null || handlerAttribute is null)
                yield break;
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                foreach (var attribute in assembly.GetAttributes())
                {
                    if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, moduleAttribute)
                        || attribute.ConstructorArguments.Length != 1
                        || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol module)
                        continue;
                    foreach (var method in module.GetMembers().OfType<IMethodSymbol>())
                    {
                        foreach (var exported in method.GetAttributes())
                        {
                            if (SymbolEqualityComparer.Default.Equals(exported.AttributeClass, handlerAttribute)
                                && exported.ConstructorArguments.Length == 5
                                && exported.ConstructorArguments[0].Value is ITypeSymbol eventType
                                && exported.ConstructorArguments[4].Value is true
                                && exported.ConstructorArguments[3].Value is string name)
                            {
                                yield return (eventType, name);
                            }
                        }
                    }
                }
            }
        }
    }
}
