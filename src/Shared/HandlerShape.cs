using System.Linq;
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

    /// <summary>Why Herald cannot call a <c>[Subscribe]</c> method; <see cref="None"/> when it can.</summary>
    internal enum HandlerRejection
    {
        None,
        NotAnOrdinaryMethod,
        GenericMethod,
        AbstractMethod,
        ParameterCount,
        ByRefParameter,
        ParamsParameter,
        UnsupportedEventType,
        SecondParameterNotCancellationToken,
        AsyncVoid,
        UnsupportedReturnType,
        NotInAClass,
        GenericContainingType,
        InstanceMethodOfStaticOrAbstractClass,
        InaccessibleContainingType,
        InaccessibleMethod,
        UnnameableEventType,
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
            => Read(method, subscribe, out shape) == HandlerRejection.None;

        /// <summary>
        /// Reads the shape of <paramref name="method"/>, or the first reason Herald cannot call it. The generator
        /// leaves out every method rejected here; HER0005 reports each of them with this reason.
        /// </summary>
        public static HandlerRejection Read(IMethodSymbol method, AttributeData subscribe, out HandlerShape shape)
        {
            shape = default;
            if (method.MethodKind != MethodKind.Ordinary)
                return HandlerRejection.NotAnOrdinaryMethod;
            if (method.IsGenericMethod)
                return HandlerRejection.GenericMethod;
            if (method.IsAbstract)
                return HandlerRejection.AbstractMethod;
            if (method.Parameters.Length is < 1 or > 2)
                return HandlerRejection.ParameterCount;
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None)
                    return HandlerRejection.ByRefParameter;
                if (parameter.IsParams)
                    return HandlerRejection.ParamsParameter;
            }

            var eventType = method.Parameters[0].Type;
            if (eventType.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic
                || eventType.IsRefLikeType || eventType.SpecialType == SpecialType.System_Object)
                return HandlerRejection.UnsupportedEventType;

            var takesToken = false;
            if (method.Parameters.Length == 2)
            {
                if (FullName(method.Parameters[1].Type) != KnownNames.CancellationToken)
                    return HandlerRejection.SecondParameterNotCancellationToken;
                takesToken = true;
            }

            HandlerReturn returns;
            if (method.ReturnsVoid)
            {
                if (method.IsAsync)
                    return HandlerRejection.AsyncVoid; // failures would crash the process instead of reaching the publisher
                returns = HandlerReturn.Void;
            }
            else if (method.ReturnType is INamedTypeSymbol { IsGenericType: false } named && FullName(named) == KnownNames.Task)
                returns = HandlerReturn.Task;
            else if (method.ReturnType is INamedTypeSymbol { IsGenericType: false } named2 && FullName(named2) == KnownNames.ValueTask)
                returns = HandlerReturn.ValueTask;
            else
                return HandlerRejection.UnsupportedReturnType;

            var owner = method.ContainingType;
            if (owner is null || owner.TypeKind != TypeKind.Class)
                return HandlerRejection.NotInAClass;
            if (owner.IsGenericType)
                return HandlerRejection.GenericContainingType;
            if (!method.IsStatic && (owner.IsAbstract || owner.IsStatic))
                return HandlerRejection.InstanceMethodOfStaticOrAbstractClass;
            for (var type = owner; type is not null; type = type.ContainingType)
            {
                if (IsHidden(type.DeclaredAccessibility))
                    return HandlerRejection.InaccessibleContainingType;
            }
            if (IsHidden(method.DeclaredAccessibility))
                return HandlerRejection.InaccessibleMethod;
            if (!CanGeneratedCodeName(eventType, method.ContainingAssembly))
                return HandlerRejection.UnnameableEventType;

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
            return HandlerRejection.None;
        }

        /// <summary>
        /// Whether code generated into <paramref name="within"/> can name <paramref name="type"/>: the generator's
        /// event-type model (DispatchGenerator.Parser.ReadEventType) gives up on exactly the types rejected here.
        /// </summary>
        public static bool CanGeneratedCodeName(ITypeSymbol type, IAssemblySymbol within)
        {
            if (!IsPublic(type) && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, within))
                return false;
            return IsNameable(type);
        }

        /// <summary>Namespace-qualified metadata-style name, without <c>global::</c>.</summary>
        public static string FullName(ITypeSymbol type)
            => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);

        private static bool IsHidden(Accessibility accessibility)
            => accessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal;

        /// <summary>Whether <paramref name="type"/> (with its containing types and type arguments) is public.</summary>
        public static bool IsPublic(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
                return IsPublic(array.ElementType);
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility != Accessibility.Public)
                    return false;
            }
            if (type is INamedTypeSymbol { IsGenericType: true } generic)
                return generic.TypeArguments.All(IsPublic);
            return true;
        }

        private static bool IsNameable(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
                return IsNameable(array.ElementType);
            if (type.TypeKind is TypeKind.Error or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic)
                return false;
            if (type.IsAnonymousType || type.IsTupleType)
                return false;
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (IsHidden(current.DeclaredAccessibility))
                    return false;
            }
            if (type is INamedTypeSymbol { IsGenericType: true } generic)
                return generic.TypeArguments.All(IsNameable);
            return true;
        }
    }
}
