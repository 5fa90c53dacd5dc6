using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.CodeAnalysis
{
    /// <summary>A public instance property or field of a payload type.</summary>
    internal sealed class PayloadMember
    {
        public PayloadMember(ISymbol symbol, ITypeSymbol type, bool isSettable, bool isInitOnly, bool isRequired, bool isIgnored)
        {
            Symbol = symbol;
            Type = type;
            IsSettable = isSettable;
            IsInitOnly = isInitOnly;
            IsRequired = isRequired;
            IsIgnored = isIgnored;
        }

        public ISymbol Symbol { get; }

        public ITypeSymbol Type { get; }

        /// <summary>A public <c>set</c> or <c>init</c> accessor, or a field that is not <c>readonly</c>.</summary>
        public bool IsSettable { get; }

        public bool IsInitOnly { get; }

        public bool IsRequired { get; }

        /// <summary>Marked <c>[JsonIgnore]</c>: it does not travel, and no constructor parameter is filled from it.</summary>
        public bool IsIgnored { get; }
    }

    /// <summary>
    /// The members that make up a payload type's JSON, decided once for the generator (which writes and reads them)
    /// and the analyzers (which report what they hold): public instance properties with a public getter (not
    /// indexers) and public fields (not constants), declared by the type or inherited from any base class, in this
    /// assembly or another.
    /// </summary>
    internal static class PayloadMembers
    {
        /// <summary>Whether <paramref name="member"/>, declared by its type, is one of the members a payload is made of.</summary>
        public static bool IsPayloadMember(ISymbol member)
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || !member.CanBeReferencedByName)
                return false;
            return member switch
            {
                IPropertySymbol property => !property.IsIndexer && property.GetMethod is { DeclaredAccessibility: Accessibility.Public },
                IFieldSymbol field => !field.IsConst,
                _ => false,
            };
        }

        /// <summary>
        /// The payload members of <paramref name="type"/>: where a name repeats, the most derived member only; in
        /// declaration order from the outermost base class down. <c>[JsonIgnore]</c> members are listed (they still
        /// hide a base member of their name) with <see cref="PayloadMember.IsIgnored"/> set.
        /// </summary>
        public static List<PayloadMember> Of(INamedTypeSymbol type)
        {
            var levels = new List<List<PayloadMember>>();
            var seen = new HashSet<string>();
            for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                var level = new List<PayloadMember>();
                foreach (var member in current.GetMembers())
                {
                    if (!IsPayloadMember(member) || !seen.Add(member.Name))
                        continue;
                    level.Add(Read(member));
                }
                levels.Add(level);
            }
            var members = new List<PayloadMember>();
            for (var i = levels.Count - 1; i >= 0; i--)
                members.AddRange(levels[i]);
            return members;
        }

        /// <summary>The members of <paramref name="type"/> that travel: <see cref="Of"/> without the <c>[JsonIgnore]</c> ones.</summary>
        public static List<PayloadMember> Carried(INamedTypeSymbol type)
        {
            var members = Of(type);
            members.RemoveAll(m => m.IsIgnored);
            return members;
        }

        /// <summary>
        /// The JSON name of a member: its C# name with the leading capitals lowered, keeping the last one of a run
        /// that starts the next word (<c>OrderId</c>: <c>orderId</c>, <c>URLValue</c>: <c>urlValue</c>,
        /// <c>ID</c>: <c>id</c>), as System.Text.Json's camelCase policy does. Where two members of a type get one
        /// name, the first in <see cref="Of"/>'s order is written and the other is left out.
        /// </summary>
        public static string JsonName(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
                return name;
            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                    break;
                if (i > 0 && i + 1 < chars.Length && !char.IsUpper(chars[i + 1]))
                    break;
                chars[i] = char.ToLowerInvariant(chars[i]);
            }
            return new string(chars);
        }

        /// <summary>The type a payload member holds; null for anything else.</summary>
        public static ITypeSymbol? TypeOf(ISymbol member) => member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };

        /// <summary>Whether <paramref name="member"/> is marked <c>[JsonIgnore]</c>, so it does not travel.</summary>
        public static bool IsIgnored(ISymbol member)
        {
            // Binding a member's attributes costs far more than looking at its syntax: most members have none.
            if (!member.DeclaringSyntaxReferences.IsEmpty && !HasAttributeLists(member))
                return false;
            foreach (var attribute in member.GetAttributes())
            {
                if (TypeIdentity.Is(attribute.AttributeClass, "System.Text.Json.Serialization", "JsonIgnoreAttribute"))
                    return true;
            }
            return false;
        }

        /// <summary>
        /// The members of <paramref name="members"/> (in <see cref="Of"/>'s order) whose JSON name an earlier member
        /// that travels already has, each with that earlier member: the serializer leaves them out.
        /// </summary>
        public static Dictionary<ISymbol, ISymbol> JsonNameClashes(IReadOnlyList<PayloadMember> members)
        {
            var clashes = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
            var first = new Dictionary<string, ISymbol>(System.StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (member.IsIgnored)
                    continue;
                var name = JsonName(member.Symbol.Name);
                if (first.TryGetValue(name, out var earlier))
                    clashes[member.Symbol] = earlier;
                else
                    first.Add(name, member.Symbol);
            }
            return clashes;
        }

        private static bool HasAttributeLists(ISymbol member)
        {
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case MemberDeclarationSyntax { AttributeLists.Count: > 0 }:
                    case ParameterSyntax { AttributeLists.Count: > 0 }: // a positional record's property
                    case VariableDeclaratorSyntax { Parent.Parent: MemberDeclarationSyntax { AttributeLists.Count: > 0 } }: // a field
                        return true;
                }
            }
            return false;
        }

        private static PayloadMember Read(ISymbol member)
        {
            var ignored = IsIgnored(member);
            if (member is IPropertySymbol property)
            {
                var setter = property.SetMethod;
                return new PayloadMember(
                    property,
                    property.Type,
                    isSettable: setter is { DeclaredAccessibility: Accessibility.Public },
                    isInitOnly: setter is { IsInitOnly: true },
                    property.IsRequired,
                    ignored);
            }
            var field = (IFieldSymbol)member;
            return new PayloadMember(field, field.Type, isSettable: !field.IsReadOnly, isInitOnly: false, field.IsRequired, ignored);
        }
    }
}
