using System.Collections.Generic;
using System.Collections.Immutable;
using Herald.CodeAnalysis;
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
    /// of the module classes their <c>[assembly: HeraldModule]</c> attributes name, decoded by
    /// <see cref="HandlerExport"/> as the generator decodes them.
    /// </summary>
    internal sealed class ReferencedHandlers
    {
        private Dictionary<string, List<ExportedHandler>>? _byEventName;

        private ReferencedHandlers(ImmutableArray<ExportedHandler> handlers) => Handlers = handlers;

        public ImmutableArray<ExportedHandler> Handlers { get; }

        /// <summary>The handlers of the event type named <paramref name="typeName"/> (see <see cref="EventIndex.TypeName"/>).</summary>
        public IReadOnlyList<ExportedHandler> Of(string typeName)
        {
            var byName = _byEventName;
            if (byName is null)
            {
                byName = new Dictionary<string, List<ExportedHandler>>(System.StringComparer.Ordinal);
                foreach (var handler in Handlers)
                {
                    var name = EventIndex.TypeName(handler.EventType);
                    if (!byName.TryGetValue(name, out var list))
                        byName.Add(name, list = new List<ExportedHandler>());
                    list.Add(handler);
                }
                _byEventName = byName;
            }
            return byName.TryGetValue(typeName, out var found) ? found : (IReadOnlyList<ExportedHandler>)System.Array.Empty<ExportedHandler>();
        }

        public static ReferencedHandlers Read(Compilation compilation, INamedTypeSymbol? moduleAttribute)
        {
            if (moduleAttribute is null)
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
                    foreach (var export in HandlerExport.Of(module))
                        handlers.Add(new ExportedHandler(export.EventType, export.Name, export.IsAsync));
                }
            }
            return new ReferencedHandlers(handlers.ToImmutable());
        }
    }
}
