using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>
    /// A handler that a referenced assembly's generated module exports, decoded from its
    /// <c>[HeraldHandler(Type eventType, int order, int sourceIndex, string name, bool isAsync)]</c> in one place for the
    /// generator (which calls it from this assembly's table) and the analyzers (which know its event and whether it is
    /// asynchronous).
    /// </summary>
    internal readonly struct HandlerExport
    {
        private HandlerExport(IMethodSymbol wrapper, ITypeSymbol eventType, int order, int sourceIndex, string name, bool isAsync)
        {
            Wrapper = wrapper;
            EventType = eventType;
            Order = order;
            SourceIndex = sourceIndex;
            Name = name;
            IsAsync = isAsync;
        }

        /// <summary>The module's generated method that runs the handler.</summary>
        public IMethodSymbol Wrapper { get; }

        public ITypeSymbol EventType { get; }

        public int Order { get; }

        /// <summary>The handler's position in its module's source order.</summary>
        public int SourceIndex { get; }

        /// <summary>The handler as <c>Namespace.Type.Method</c> (the wrapper's name when the attribute has none).</summary>
        public string Name { get; }

        public bool IsAsync { get; }

        /// <summary>The handlers that <paramref name="module"/> (a generated module class) exports, in its member order.</summary>
        public static List<HandlerExport> Of(INamedTypeSymbol module)
        {
            var exports = new List<HandlerExport>();
            foreach (var member in module.GetMembers())
            {
                if (member is not IMethodSymbol { IsStatic: true, DeclaredAccessibility: Accessibility.Public } method)
                    continue;
                foreach (var attribute in method.GetAttributes())
                {
                    if (TryRead(method, attribute, out var export))
                        exports.Add(export);
                }
            }
            return exports;
        }

        private static bool TryRead(IMethodSymbol wrapper, AttributeData attribute, out HandlerExport export)
        {
            export = default;
            var arguments = attribute.ConstructorArguments;
            if (!TypeIdentity.Is(attribute.AttributeClass, "Herald.Infrastructure", "HeraldHandlerAttribute")
                || arguments.Length != 5
                || arguments[0].Value is not ITypeSymbol eventType)
                return false;
            export = new HandlerExport(
                wrapper,
                eventType,
                arguments[1].Value is int order ? order : 0,
                arguments[2].Value is int index ? index : 0,
                arguments[3].Value as string ?? wrapper.Name,
                arguments[4].Value is true);
            return true;
        }
    }
}
