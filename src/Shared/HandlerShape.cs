using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>What a handler method returns.</summary>
    internal enum HandlerReturn
    {
        Void,
        Task,
        ValueTask,
    }

    /// <summary>
    /// The shape of a <c>[Subscribe]</c> method, read from its symbol: the one place that decides whether a
    /// method is a handler Herald can call, shared by the generator and the analyzers so they never disagree.
    /// </summary>
    internal readonly struct HandlerShape
    {
        private HandlerShape(ITypeSymbol eventType, HandlerReturn returns, bool takesToken, string? consumer, int order)
        {
            EventType = eventType;
            Returns = returns;
            TakesToken = takesToken;
            Consumer = consumer;
            Order = order;
        }

        public ITypeSymbol EventType { get; }

        public HandlerReturn Returns { get; }

        public bool TakesToken { get; }

        /// <summary>The durable consumer name; null for an inline handler.</summary>
        public string? Consumer { get; }

        public int Order { get; }

        public bool IsAsync => Returns != HandlerReturn.Void;

        public bool IsInline => Consumer is null;

        /// <summary>
        /// Reads the shape of <paramref name="method"/>; false when Herald cannot call it (the analyzers say why).
        /// </summary>
        public static bool TryRead(IMethodSymbol method, AttributeData subscribe, out HandlerShape shape)
        {
            shape = default;
            if (method.MethodKind != MethodKind.Ordinary || method.IsGenericMethod || method.IsAbstract)
                return false;
            if (method.Parameters.Length is < 1 or > 2)
                return false;
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.IsParams)
                    return false;
            }

            var eventType = method.Parameters[0].Type;
            if (eventType.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic
                || eventType.IsRefLikeType || eventType.SpecialType == SpecialType.System_Object)
                return false;

            var takesToken = false;
            if (method.Parameters.Length == 2)
            {
                if (FullName(method.Parameters[1].Type) != KnownNames.CancellationToken)
                    return false;
                takesToken = true;
            }

            HandlerReturn returns;
            if (method.ReturnsVoid)
            {
                if (method.IsAsync)
                    return false; // async void: failures would crash the process instead of reaching the publisher
                returns = HandlerReturn.Void;
            }
            else if (method.ReturnType is INamedTypeSymbol { IsGenericType: false } named && FullName(named) == KnownNames.Task)
                returns = HandlerReturn.Task;
            else if (method.ReturnType is INamedTypeSymbol { IsGenericType: false } named2 && FullName(named2) == KnownNames.ValueTask)
                returns = HandlerReturn.ValueTask;
            else
                return false;

            var owner = method.ContainingType;
            if (owner is null || owner.IsGenericType || owner.TypeKind != TypeKind.Class)
                return false;
            if (!method.IsStatic && (owner.IsAbstract || owner.IsStatic))
                return false;
            for (var type = owner; type is not null; type = type.ContainingType)
            {
                if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                    return false;
            }
            if (method.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                return false;

            string? consumer = null;
            var order = 0;
            foreach (var argument in subscribe.NamedArguments)
            {
                if (argument.Key == "Order" && argument.Value.Value is int value)
                    order = value;
                else if (argument.Key == "Consumer" && argument.Value.Value is string name)
                    consumer = name;
            }

            shape = new HandlerShape(eventType, returns, takesToken, consumer, order);
            return true;
        }

        /// <summary>Namespace-qualified metadata-style name, without <c>global::</c>.</summary>
        public static string FullName(ITypeSymbol type)
            => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
    }
}
