using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>How Herald's generated serializer writes a value of a type; <see cref="NotCarried"/> when it leaves it out.</summary>
    internal enum PayloadKind
    {
        NotCarried,
        String,
        Boolean,
        Byte,
        SByte,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
        Single,
        Double,
        Decimal,
        Char,
        Guid,
        DateTimeOffset,
        DateTime,
        TimeSpan,
        DateOnly,
        TimeOnly,
        Uri,

        /// <summary><c>byte[]</c>, as a base64 string.</summary>
        Bytes,

        /// <summary>An enum, as the name of its value.</summary>
        Enum,

        /// <summary><c>Nullable&lt;T&gt;</c>: carried when its <see cref="PayloadType.Element"/> is.</summary>
        Nullable,

        /// <summary><c>T[]</c>: carried when its element is.</summary>
        Array,

        /// <summary>A list-like collection of <see cref="CarriedCollections"/>, read back as a <c>List&lt;T&gt;</c>.</summary>
        List,

        /// <summary><c>HashSet&lt;T&gt;</c>.</summary>
        HashSet,

        /// <summary>A dictionary with <c>string</c> keys; <see cref="PayloadType.Element"/> is the value type.</summary>
        Dictionary,

        /// <summary>A class, record or struct of the user's, as a JSON object of its <see cref="PayloadMembers"/>.</summary>
        Object,
    }

    /// <summary>Why the generated serializer leaves a type out of the payload.</summary>
    internal enum NotCarriedReason
    {
        None,

        /// <summary>A type parameter or a type that does not bind: the compiler reports it.</summary>
        Unknown,
        Dynamic,
        Pointer,
        Object,
        Delegate,

        /// <summary><c>Type</c>, <c>MemberInfo</c> and what derives from them.</summary>
        CodeDescription,

        /// <summary><c>Task</c>, <c>ValueTask</c> and what derives from them.</summary>
        Task,
        CancellationToken,
        Exception,
        Stream,
        MultiDimensionalArray,
        NonGenericCollection,

        /// <summary>A generic collection that is not one of <see cref="CarriedCollections"/>.</summary>
        Collection,

        /// <summary>A dictionary whose key type is not <c>string</c>.</summary>
        DictionaryKey,
        KeyValuePair,
        Interface,
        Abstract,

        /// <summary>Another framework type, a tuple, an anonymous type or a ref struct.</summary>
        Framework,

        /// <summary>A type that code generated into the event's assembly cannot name (private, protected, another assembly's internal).</summary>
        Inaccessible,
    }

    /// <summary>What the generated serializer does with one type; for containers, the type their carrying depends on.</summary>
    internal readonly struct PayloadType
    {
        private PayloadType(PayloadKind kind, NotCarriedReason reason, ITypeSymbol? element)
        {
            Kind = kind;
            Reason = reason;
            Element = element;
        }

        public PayloadKind Kind { get; }

        public NotCarriedReason Reason { get; }

        /// <summary>The element (arrays, lists, sets), value (dictionaries) or underlying type (nullable).</summary>
        public ITypeSymbol? Element { get; }

        public bool IsCarried => Kind != PayloadKind.NotCarried;

        /// <summary>A nullable, array, list, set or dictionary: carried only when <see cref="Element"/> is carried too.</summary>
        public bool IsContainer => Element is not null;

        public static PayloadType Carried(PayloadKind kind, ITypeSymbol? element = null) => new(kind, NotCarriedReason.None, element);

        public static PayloadType Dropped(NotCarriedReason reason) => new(PayloadKind.NotCarried, reason, null);
    }

    /// <summary>
    /// What Herald's generated serializer carries, decided once: the generator writes exactly the members whose types
    /// are carried here (a container only when its element is carried too, see <see cref="PayloadType.IsContainer"/>),
    /// and the analyzers report every other type as HER0003. The reasons are the analyzers' to word.
    /// </summary>
    internal static class PayloadTypes
    {
        /// <summary>How a value of <paramref name="type"/> travels in a payload generated into <paramref name="within"/>.</summary>
        public static PayloadType Classify(ITypeSymbol type, IAssemblySymbol within)
        {
            switch (type.TypeKind)
            {
                case TypeKind.TypeParameter:
                case TypeKind.Error:
                    return PayloadType.Dropped(NotCarriedReason.Unknown);
                case TypeKind.Dynamic:
                    return PayloadType.Dropped(NotCarriedReason.Dynamic);
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return PayloadType.Dropped(NotCarriedReason.Pointer);
            }

            var simple = SimpleKind(type);
            if (simple != PayloadKind.NotCarried)
                return PayloadType.Carried(simple);
            switch (type.SpecialType)
            {
                case SpecialType.System_Object:
                    return PayloadType.Dropped(NotCarriedReason.Object);
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return PayloadType.Dropped(NotCarriedReason.Pointer);
                case SpecialType.System_Delegate:
                case SpecialType.System_MulticastDelegate:
                    return PayloadType.Dropped(NotCarriedReason.Delegate);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (!array.IsSZArray)
                    return PayloadType.Dropped(NotCarriedReason.MultiDimensionalArray);
                return array.ElementType.SpecialType == SpecialType.System_Byte
                    ? PayloadType.Carried(PayloadKind.Bytes)
                    : PayloadType.Carried(PayloadKind.Array, array.ElementType);
            }
            if (type is not INamedTypeSymbol named)
                return PayloadType.Dropped(NotCarriedReason.Unknown);

            if (named.TypeKind == TypeKind.Enum)
                return HandlerShape.CanGeneratedCodeName(named, within) ? PayloadType.Carried(PayloadKind.Enum) : PayloadType.Dropped(NotCarriedReason.Inaccessible);
            if (named.TypeKind == TypeKind.Delegate)
                return PayloadType.Dropped(NotCarriedReason.Delegate);
            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                return PayloadType.Carried(PayloadKind.Nullable, named.TypeArguments[0]);
            switch (CarriedCollections.Of(named))
            {
                case CarriedCollection.List:
                    return PayloadType.Carried(PayloadKind.List, named.TypeArguments[0]);
                case CarriedCollection.HashSet:
                    return PayloadType.Carried(PayloadKind.HashSet, named.TypeArguments[0]);
                case CarriedCollection.Dictionary:
                    return named.TypeArguments[0].SpecialType == SpecialType.System_String
                        ? PayloadType.Carried(PayloadKind.Dictionary, named.TypeArguments[1])
                        : PayloadType.Dropped(NotCarriedReason.DictionaryKey);
            }

            // What a value of these types is (code, work in progress, a flow's token, a failure, a stream) does not
            // survive a trip through JSON, whether the framework declares the type or the user derives from it.
            if (TypeIdentity.DerivesFrom(named, "System", "Type") || TypeIdentity.DerivesFrom(named, "System.Reflection", "MemberInfo"))
                return PayloadType.Dropped(NotCarriedReason.CodeDescription);
            if (TypeIdentity.DerivesFrom(named, "System.Threading.Tasks", "Task") || TypeIdentity.Is(named, "System.Threading.Tasks", "Task`1")
                || TypeIdentity.Is(named, "System.Threading.Tasks", "ValueTask") || TypeIdentity.Is(named, "System.Threading.Tasks", "ValueTask`1"))
                return PayloadType.Dropped(NotCarriedReason.Task);
            if (TypeIdentity.Is(named, "System.Threading", "CancellationToken"))
                return PayloadType.Dropped(NotCarriedReason.CancellationToken);
            if (TypeIdentity.DerivesFrom(named, "System", "Exception"))
                return PayloadType.Dropped(NotCarriedReason.Exception);
            if (TypeIdentity.DerivesFrom(named, "System.IO", "Stream"))
                return PayloadType.Dropped(NotCarriedReason.Stream);
            if (TypeIdentity.Is(named, "System.Collections.Generic", "KeyValuePair`2"))
                return PayloadType.Dropped(NotCarriedReason.KeyValuePair);

            var enumerable = Enumerable(named);
            if (enumerable != NotCarriedReason.None)
                return PayloadType.Dropped(enumerable);
            if (named.TypeKind == TypeKind.Interface)
                return PayloadType.Dropped(NotCarriedReason.Interface);
            if (named.IsAbstract && named.TypeKind == TypeKind.Class)
                return PayloadType.Dropped(NotCarriedReason.Abstract);
            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsStatic
                || named.SpecialType != SpecialType.None || named.IsTupleType || named.IsAnonymousType || named.IsRefLikeType
                || TypeIdentity.IsFramework(named))
                return PayloadType.Dropped(NotCarriedReason.Framework);
            if (!HandlerShape.CanGeneratedCodeName(named, within))
                return PayloadType.Dropped(NotCarriedReason.Inaccessible);
            return PayloadType.Carried(PayloadKind.Object);
        }

        /// <summary>The simple values the serializer writes as one JSON token.</summary>
        private static PayloadKind SimpleKind(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_String: return PayloadKind.String;
                case SpecialType.System_Boolean: return PayloadKind.Boolean;
                case SpecialType.System_Byte: return PayloadKind.Byte;
                case SpecialType.System_SByte: return PayloadKind.SByte;
                case SpecialType.System_Int16: return PayloadKind.Int16;
                case SpecialType.System_UInt16: return PayloadKind.UInt16;
                case SpecialType.System_Int32: return PayloadKind.Int32;
                case SpecialType.System_UInt32: return PayloadKind.UInt32;
                case SpecialType.System_Int64: return PayloadKind.Int64;
                case SpecialType.System_UInt64: return PayloadKind.UInt64;
                case SpecialType.System_Single: return PayloadKind.Single;
                case SpecialType.System_Double: return PayloadKind.Double;
                case SpecialType.System_Decimal: return PayloadKind.Decimal;
                case SpecialType.System_Char: return PayloadKind.Char;
                case SpecialType.System_DateTime: return PayloadKind.DateTime;
                case SpecialType.None:
                    break;
                default:
                    return PayloadKind.NotCarried;
            }
            if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class))
                return PayloadKind.NotCarried;
            if (TypeIdentity.Is(type, "System", "Guid"))
                return PayloadKind.Guid;
            if (TypeIdentity.Is(type, "System", "DateTimeOffset"))
                return PayloadKind.DateTimeOffset;
            if (TypeIdentity.Is(type, "System", "TimeSpan"))
                return PayloadKind.TimeSpan;
            if (TypeIdentity.Is(type, "System", "DateOnly"))
                return PayloadKind.DateOnly;
            if (TypeIdentity.Is(type, "System", "TimeOnly"))
                return PayloadKind.TimeOnly;
            if (TypeIdentity.Is(type, "System", "Uri"))
                return PayloadKind.Uri;
            return PayloadKind.NotCarried;
        }

        /// <summary>A collection type that <see cref="CarriedCollections"/> does not list: <see cref="NotCarriedReason.None"/> when it is none.</summary>
        private static NotCarriedReason Enumerable(INamedTypeSymbol type)
        {
            var nonGeneric = false;
            foreach (var @interface in SelfAndInterfaces(type))
            {
                switch (@interface.OriginalDefinition.SpecialType)
                {
                    case SpecialType.System_Collections_Generic_IEnumerable_T:
                        return NotCarriedReason.Collection;
                    case SpecialType.System_Collections_IEnumerable:
                        nonGeneric = true;
                        break;
                }
            }
            return nonGeneric ? NotCarriedReason.NonGenericCollection : NotCarriedReason.None;
        }

        private static System.Collections.Generic.IEnumerable<INamedTypeSymbol> SelfAndInterfaces(INamedTypeSymbol type)
        {
            yield return type;
            foreach (var @interface in type.AllInterfaces)
                yield return @interface;
        }
    }
}
