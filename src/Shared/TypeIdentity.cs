using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>
    /// Whether a type is a given framework or Herald type, by namespace and metadata name. The generator has no
    /// per-compilation table of resolved symbols and the analyzers' is not always at hand, so the shared rules compare
    /// names; the comparison walks the namespace chain instead of formatting it, so it allocates nothing.
    /// </summary>
    internal static class TypeIdentity
    {
        /// <summary>Whether <paramref name="type"/>'s definition is <paramref name="ns"/>.<paramref name="metadataName"/> (<c>List`1</c> for a generic).</summary>
        public static bool Is(ITypeSymbol? type, string ns, string metadataName)
            => type is INamedTypeSymbol named
               && named.ContainingType is null
               && named.OriginalDefinition.MetadataName == metadataName
               && IsNamespace(named.ContainingNamespace, ns);

        /// <summary>Whether <paramref name="type"/> or one of its base classes is <paramref name="ns"/>.<paramref name="metadataName"/>.</summary>
        public static bool DerivesFrom(ITypeSymbol type, string ns, string metadataName)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (Is(current, ns, metadataName))
                    return true;
            }
            return false;
        }

        /// <summary>Whether <paramref name="ns"/> is the namespace written <paramref name="dotted"/> (<c>System.Threading.Tasks</c>).</summary>
        public static bool IsNamespace(INamespaceSymbol? ns, string dotted)
        {
            var end = dotted.Length;
            while (ns is not null && !ns.IsGlobalNamespace)
            {
                var start = dotted.LastIndexOf('.', end - 1) + 1;
                var name = ns.Name;
                if (end - start != name.Length || string.CompareOrdinal(dotted, start, name, 0, name.Length) != 0)
                    return false;
                ns = ns.ContainingNamespace;
                end = start - 1;
                if (end < 0)
                    return ns is null || ns.IsGlobalNamespace;
            }
            return false;
        }

        /// <summary>Whether <paramref name="type"/> is declared in <c>System</c>, <c>Microsoft</c> or a namespace under them.</summary>
        public static bool IsFramework(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace;
            if (ns is null || ns.IsGlobalNamespace)
                return false;
            while (!ns.ContainingNamespace.IsGlobalNamespace)
                ns = ns.ContainingNamespace;
            return ns.Name is "System" or "Microsoft";
        }
    }
}
