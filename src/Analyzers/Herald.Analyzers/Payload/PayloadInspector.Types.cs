using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.Payload
{
    // What a type is to the payload rules (raw binary, a collection and its elements, a mutable collection and its
    // read-only replacement) and the words of the messages that say so: the walk over members is in PayloadInspector.cs.
    internal sealed partial class PayloadInspector
    {
        /// <summary>Why the serializer leaves a value of <paramref name="type"/> out, in words for HER0003.</summary>
        private static string NotCarriedReasonText(ITypeSymbol type, NotCarriedReason reason, bool rawBinary, bool isCollection)
        {
            if (rawBinary)
                return NotCarried(type, "; send the bytes as 'byte[]'");
            switch (reason)
            {
                case NotCarriedReason.Dynamic:
                    return "'dynamic' loses its type on the wire; use a concrete type";
                case NotCarriedReason.Pointer:
                    return "a pointer means nothing outside this process; pass the data it points to";
                case NotCarriedReason.Object:
                    return "'object' loses its type on the wire; use a concrete type";
                case NotCarriedReason.Delegate:
                    return "a delegate is code, not data; pass the data the handler needs";
                case NotCarriedReason.CodeDescription:
                    return $"'{Display(type)}' describes code, not data; pass a name";
                case NotCarriedReason.Task:
                    return $"'{Display(type)}' is work in progress, not data; await it and pass the result";
                case NotCarriedReason.CancellationToken:
                    return "a CancellationToken belongs to the publisher's flow; handlers take their own";
                case NotCarriedReason.Exception:
                    return $"'{Display(type)}' does not survive a round trip; pass a message or an error code";
                case NotCarriedReason.Stream:
                    return NotCarried(type, "; send the bytes as 'byte[]'");
                case NotCarriedReason.MultiDimensionalArray:
                    return NotCarried(type, ": it has more than one dimension; use " + SupportedCollections);
                case NotCarriedReason.NonGenericCollection:
                    return $"'{Display(type)}' is a non-generic collection of 'object' values; use a generic collection of a concrete type";
                case NotCarriedReason.Collection:
                    return NotCarried(type, "; use " + SupportedCollections);
                case NotCarriedReason.DictionaryKey:
                    return NotCarried(type, ": dictionary keys must be strings; use string keys ('Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>')");
                case NotCarriedReason.KeyValuePair:
                    return NotCarried(type, "; use 'Dictionary<string, T>' or a concrete record or class");
                case NotCarriedReason.Interface:
                    // The generated serializer writes no type discriminator ([JsonDerivedType] is not read): it cannot
                    // know which type to create when the event is read back.
                    return NotCarried(type, ": it is an interface, and polymorphic payloads are not supported; use a concrete record or class");
                case NotCarriedReason.Abstract:
                    return NotCarried(type, ": it is an abstract type, and polymorphic payloads are not supported; use a concrete record or class");
                case NotCarriedReason.Inaccessible:
                    return NotCarried(type, ": the code Herald generates into this assembly cannot name it (it is private or protected, or internal to another assembly); make it internal or public");
                default:
                    return isCollection ? NotCarried(type, "; use " + SupportedCollections) : NotCarried(type, "; " + UseInstead);
            }
        }

        private static PayloadFinding MutableCollection(ITypeSymbol type, string? replacement)
        {
            var advice = replacement is null
                ? "use a read-only or immutable collection"
                : $"use '{ReplacementDisplay(replacement, type)}'";
            return new PayloadFinding(PayloadProblem.Mutable, ImmutableArray<string>.Empty, null,
                $"'{Display(type)}' can be changed after publishing, under every handler that shares the event; {advice}",
                MutableKind.Collection, replacement);
        }

        private static string ReplacementDisplay(string replacement, ITypeSymbol type)
        {
            var name = replacement.Substring(replacement.LastIndexOf('.') + 1);
            name = name.Substring(0, name.IndexOf('`'));
            var arguments = type switch
            {
                IArrayTypeSymbol array => Display(array.ElementType),
                INamedTypeSymbol named => string.Join(", ", System.Linq.Enumerable.Select(named.TypeArguments, Display)),
                _ => string.Empty,
            };
            return $"{name}<{arguments}>";
        }

        private bool IsRawBinary(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
                return array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_Byte;
            if (type is not INamedTypeSymbol named)
                return false;
            if (KnownSymbols.Is(named, _known.BinaryData) || DerivesFrom(named, _known.Stream))
                return true;
            var definition = named.OriginalDefinition;
            if ((KnownSymbols.Is(definition, _known.Memory) || KnownSymbols.Is(definition, _known.ReadOnlyMemory))
                && named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
                return true;
            return type.SpecialType == SpecialType.None
                && IsCollection(named, out var elements)
                && elements.Length == 1
                && elements[0].SpecialType == SpecialType.System_Byte;
        }

        private bool IsCollection(INamedTypeSymbol type, out ImmutableArray<ITypeSymbol> elements)
        {
            elements = ImmutableArray<ITypeSymbol>.Empty;
            if (type.SpecialType == SpecialType.System_String)
                return false;
            if (KnownSymbols.Is(type.OriginalDefinition, _known.Memory) || KnownSymbols.Is(type.OriginalDefinition, _known.ReadOnlyMemory))
            {
                elements = ImmutableArray.Create(type.TypeArguments[0]);
                return true;
            }

            INamedTypeSymbol? enumerable = null;
            foreach (var candidate in SelfAndInterfaces(type))
            {
                var definition = candidate.OriginalDefinition;
                if (KnownSymbols.Is(definition, _known.DictionaryInterface) || KnownSymbols.Is(definition, _known.ReadOnlyDictionaryInterface))
                {
                    elements = candidate.TypeArguments;
                    return true;
                }
                if (enumerable is null && KnownSymbols.Is(definition, _known.EnumerableOfT))
                    enumerable = candidate;
            }
            if (enumerable is not null)
            {
                elements = enumerable.TypeArguments;
                return true;
            }
            foreach (var candidate in SelfAndInterfaces(type))
            {
                if (KnownSymbols.Is(candidate, _known.Enumerable))
                    return true; // non-generic: the elements are object
            }
            return false;
        }

        private bool IsMutableCollection(INamedTypeSymbol type, out string? replacement)
        {
            replacement = null;
            var definition = type.OriginalDefinition;
            if (type.TypeKind == TypeKind.Interface)
            {
                if (KnownSymbols.Is(definition, _known.ListInterfaceOfT))
                    replacement = "System.Collections.Generic.IReadOnlyList`1";
                else if (KnownSymbols.Is(definition, _known.CollectionOfT))
                    replacement = "System.Collections.Generic.IReadOnlyCollection`1";
                else if (KnownSymbols.Is(definition, _known.DictionaryInterface))
                    replacement = "System.Collections.Generic.IReadOnlyDictionary`2";
                else if (KnownSymbols.Is(definition, _known.SetInterface))
                    replacement = "System.Collections.Generic.IReadOnlyCollection`1"; // IReadOnlySet<T> is not one the serializer carries
                else
                    return KnownSymbols.Is(type, _known.NonGenericList) || KnownSymbols.Is(type, _known.NonGenericCollection) || KnownSymbols.Is(type, _known.NonGenericDictionary);
                return true;
            }

            var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            if (ns.StartsWith("System.Collections.Immutable", StringComparison.Ordinal)
                || ns.StartsWith("System.Collections.Frozen", StringComparison.Ordinal)
                || type.Name.StartsWith("ReadOnly", StringComparison.Ordinal))
                return false;

            var mutable = false;
            foreach (var @interface in type.AllInterfaces)
            {
                var interfaceDefinition = @interface.OriginalDefinition;
                if (KnownSymbols.Is(interfaceDefinition, _known.CollectionOfT) || KnownSymbols.Is(interfaceDefinition, _known.DictionaryInterface)
                    || KnownSymbols.Is(@interface, _known.NonGenericCollection))
                {
                    mutable = true;
                    break;
                }
            }
            if (!mutable)
                return false;

            if (KnownSymbols.Is(definition, _known.List) || KnownSymbols.Is(definition, _known.ObjectModelCollection))
                replacement = "System.Collections.Generic.IReadOnlyList`1";
            else if (KnownSymbols.Is(definition, _known.Dictionary))
                replacement = "System.Collections.Generic.IReadOnlyDictionary`2";
            else if (KnownSymbols.Is(definition, _known.HashSet))
                replacement = "System.Collections.Generic.IReadOnlyCollection`1"; // IReadOnlySet<T> is not one the serializer carries
            return true;
        }

        /// <summary>A type the generated serializer leaves out of the payload, with what to use instead.</summary>
        private static string NotCarried(ITypeSymbol type, string advice)
            => $"Herald's serializer cannot carry '{Display(type)}'{advice}";

        private const string SupportedCollections =
            "a supported collection: 'T[]', 'List<T>', 'IReadOnlyList<T>', 'IList<T>', 'ICollection<T>', 'IReadOnlyCollection<T>', "
            + "'IEnumerable<T>', 'HashSet<T>', 'Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>'";

        private const string UseInstead =
            "use a concrete record or class of this project, or a supported type (string, bool, char, a number, an enum, "
            + "Guid, DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly, Uri)";

        private static IEnumerable<INamedTypeSymbol> SelfAndInterfaces(INamedTypeSymbol type)
        {
            yield return type;
            foreach (var @interface in type.AllInterfaces)
                yield return @interface;
        }

        private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
        {
            if (baseType is null)
                return false;
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                    return true;
            }
            return false;
        }
    }
}
