using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Infrastructure
{
    /// <summary>A handler that a referenced assembly's generated table exports.</summary>
    internal readonly struct ExportedHandler
    {
        public ExportedHandler(ITypeSymbol eventType, string name, bool isAsync)
        {
            EventType = eventType;
            Name = name;
            IsAsync = isAsync;
        }

        public ITypeSymbol EventType { get; }

        /// <summary>The handler as <c>Namespace.Type.Method</c>.</summary>
        public string Name { get; }

        public bool IsAsync { get; }
    }

    /// <summary>
    /// The inline handlers of referenced assemblies built with Herald, read from the <c>[HeraldHandler]</c> exports
    /// of the module classes their <c>[assembly: HeraldModule]</c> attributes name.
    /// </summary>
    internal sealed class ReferencedHandlers
    {
        private ReferencedHandlers(ImmutableArray<ExportedHandler> handlers) => Handlers = handlers;

        public ImmutableArray<ExportedHandler> Handlers { get; }

        public static ReferencedHandlers Read(Compilation compilation, INamedTypeSymbol? moduleAttribute, INamedTypeSymbol? handlerAttribute)
        {
            if (moduleAttribute is null || handlerAttribute is null)
                return new ReferencedHandlers(ImmutableArray<ExportedHandler>.Empty);

            var handlers = ImmutableArray.CreateBuilder<ExportedHandler>();
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                foreach (var attribute in assembly.GetAttributes())
                {
                    if (!KnownSymbols.Is(attribute.AttributeClass, moduleAttribute)
                        || attribute.ConstructorArguments.Length != 1
                        || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol module)
                        continue;
                    foreach (var member in module.GetMembers())
                    {
                        if (member is not IMethodSymbol method)
                            continue;
                        foreach (var exported in method.GetAttributes())
                        {
                            // [HeraldHandler(Type eventType, int order, int sourceIndex, string name, bool isAsync)]
                            if (KnownSymbols.Is(exported.AttributeClass, handlerAttribute)
                                && exported.ConstructorArguments.Length == 5
                                && exported.ConstructorArguments[0].Value is ITypeSymbol eventType
                                && exported.ConstructorArguments[3].Value is string name)
                            {
                                handlers.Add(new ExportedHandler(eventType, name, exported.ConstructorArguments[4].Value is true));
                            }
                        }
                    }
                }
            }
            return new ReferencedHandlers(handlers.ToImmutable());
        }
    }
}
