using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>How Herald's generated serializer carries a generic collection type; <see cref="None"/> when it does not.</summary>
    internal enum CarriedCollection
    {
        None,

        /// <summary>A JSON array read back as a <c>List&lt;T&gt;</c>.</summary>
        List,

        /// <summary>A JSON array read back as a <c>HashSet&lt;T&gt;</c>.</summary>
        HashSet,

        /// <summary>A JSON object; carried only when the key type is <c>string</c>.</summary>
        Dictionary,
    }

    /// <summary>
    /// The generic collections the generated serializer carries: exact generic definitions, no derived or other
    /// collection types. The generator writes these and the analyzers report every other collection (HER0003), so the
    /// list lives here once and the two cannot drift apart.
    /// </summary>
    internal static class CarriedCollections
    {
        private static readonly SymbolDisplayFormat s_definition = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        public static CarriedCollection Of(INamedTypeSymbol type)
        {
            if (!type.IsGenericType)
                return CarriedCollection.None;
            switch (type.OriginalDefinition.ToDisplayString(s_definition))
            {
                case "System.Collections.Generic.List<T>":
                case "System.Collections.Generic.IList<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                case "System.Collections.Generic.ICollection<T>":
                case "System.Collections.Generic.IReadOnlyCollection<T>":
                case "System.Collections.Generic.IEnumerable<T>":
                    return CarriedCollection.List;
                case "System.Collections.Generic.HashSet<T>":
                    return CarriedCollection.HashSet;
                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                case "System.Collections.Generic.IDictionary<TKey, TValue>":
                case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                    return CarriedCollection.Dictionary;
                default:
                    return CarriedCollection.None;
            }
        }
    }
}
