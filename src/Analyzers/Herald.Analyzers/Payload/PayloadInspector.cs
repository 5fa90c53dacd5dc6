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
    /// <summary>A finding in one member that an event type (or one of its base types) declares.</summary>
    internal readonly struct MemberFinding
    {
        public MemberFinding(ISymbol member, PayloadFinding finding)
        {
            Member = member;
            Finding = finding;
        }

        /// <summary>The owner's member the diagnostic is reported on.</summary>
        public ISymbol Member { get; }

        /// <summary>The problem, with a path that starts at <see cref="Member"/>.</summary>
        public PayloadFinding Finding { get; }
    }

    /// <summary>
    /// Walks what an event carries: its public instance properties and fields, into the records, classes and
    /// structs of the compilation they hold and into the elements of collections. Results are cached per type for
    /// the compilation; a type on a cycle is walked once per path and the cycle is cut where it closes.
    /// </summary>
    /// <remarks>
    /// What Herald's serializer can carry mirrors the generator's payload reader
    /// (src/Generator/Herald.Generator/DispatchGenerator.PayloadReader.cs: <c>DescribeNew</c>, <c>PrimitiveKind</c>,
    /// <c>IsUserObject</c>), which silently leaves out every member of a type it does not support: each such type is
    /// reported here as <see cref="PayloadProblem.NotSerializable"/>. Change both together.
    /// </remarks>
    internal sealed class PayloadInspector
    {
        private const int MaxFindingsPerMember = 32;

        private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.MinimallyQualifiedFormat;

        private readonly KnownSymbols _known;
        private readonly ConcurrentDictionary<ITypeSymbol, ImmutableArray<PayloadFinding>> _values = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<MemberFinding>> _declared = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, string?> _construction = new(SymbolEqualityComparer.Default);

        public PayloadInspector(KnownSymbols known) => _known = known;

        public static string Display(ITypeSymbol type) => type.ToDisplayString(s_display);

        /// <summary>The findings of the members <paramref name="owner"/> declares itself (inherited ones belong to its base).</summary>
        public ImmutableArray<MemberFinding> DeclaredMemberFindings(INamedTypeSymbol owner)
        {
            if (_declared.TryGetValue(owner, out var cached))
                return cached;
            var walk = new Walk();
            var builder = ImmutableArray.CreateBuilder<MemberFinding>();
            foreach (var member in owner.GetMembers())
            {
                if (!IsPayloadMember(member))
                    continue;
                foreach (var finding in MemberFindings(member, walk, out _))
                    builder.Add(new MemberFinding(member, finding));
            }
            var result = builder.ToImmutable();
            _declared.TryAdd(owner, result);
            return result;
        }

        /// <summary>
        /// Why a value of <paramref name="type"/> could not be created when it is read back, or null when it can. It
        /// mirrors the payload reader Herald generates for durable events: a public constructor (a parameterless one
        /// will do) whose every parameter matches a public property or field by name, ignoring case, and by type.
        /// </summary>
        public string? ConstructionProblem(INamedTypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || !IsInSource(type))
                return null;
            return _construction.GetOrAdd(type, ComputeConstructionProblem);
        }

        public static bool IsInSource(ITypeSymbol type)
        {
            foreach (var location in type.OriginalDefinition.Locations)
            {
                if (location.IsInSource)
                    return true;
            }
            return false;
        }

        public static bool IsPayloadMember(ISymbol member)
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                return false;
            return member switch
            {
                IPropertySymbol property => !property.IsIndexer && property.GetMethod is { DeclaredAccessibility: Accessibility.Public },
                IFieldSymbol field => !field.IsConst && !field.IsImplicitlyDeclared,
                _ => false,
            };
        }

        public static ITypeSymbol? TypeOf(ISymbol member) => member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };

        private ImmutableArray<PayloadFinding> MemberFindings(ISymbol member, Walk walk, out int lowLink)
        {
            lowLink = int.MaxValue;
            var type = TypeOf(member);
            if (type is null)
                return ImmutableArray<PayloadFinding>.Empty;

            var findings = new List<PayloadFinding>();
            var mutability = Mutability(member);
            if (mutability.Kind != MutableKind.None)
                findings.Add(new PayloadFinding(PayloadProblem.Mutable, ImmutableArray.Create(member.Name), member, mutability.Reason, mutability.Kind));

            var ignored = HasAttribute(member, _known.JsonIgnore);
            var valueFindings = Value(type, walk, out lowLink);
            foreach (var finding in valueFindings)
            {
                // A member left out of the payload ([JsonIgnore]) still makes the event mutable, but does not travel.
                if (ignored && !(finding.Problem == PayloadProblem.Mutable && finding.Path.IsEmpty))
                    continue;
                findings.Add(finding.Through(member));
            }

            // One diagnostic per problem and leaf, even where a graph reaches the same leaf along many paths: the
            // shortest path says it best.
            var best = new Dictionary<(PayloadProblem, ISymbol?, string), int>();
            var unique = new List<PayloadFinding>();
            foreach (var finding in findings)
            {
                var key = (finding.Problem, finding.Leaf, finding.Detail);
                if (best.TryGetValue(key, out var index))
                {
                    if (finding.Path.Length < unique[index].Path.Length)
                        unique[index] = finding;
                }
                else if (unique.Count < MaxFindingsPerMember)
                {
                    best.Add(key, unique.Count);
                    unique.Add(finding);
                }
            }
            return unique.ToImmutableArray();
        }

        private ImmutableArray<PayloadFinding> Value(ITypeSymbol type, Walk walk, out int lowLink)
        {
            lowLink = int.MaxValue;
            if (_values.TryGetValue(type, out var cached))
                return cached;
            var index = walk.IndexOf(type);
            if (index >= 0)
            {
                lowLink = index; // the cycle closes here: the type's findings are being gathered further up
                return ImmutableArray<PayloadFinding>.Empty;
            }

            var depth = walk.Push(type);
            try
            {
                var result = ComputeValue(type, walk, out var low);
                if (low >= depth)
                    _values.TryAdd(type, result); // complete: every cycle below closed at or under this type
                else
                    lowLink = low;
                return result;
            }
            finally
            {
                walk.Pop();
            }
        }

        private ImmutableArray<PayloadFinding> ComputeValue(ITypeSymbol type, Walk walk, out int lowLink)
        {
            lowLink = int.MaxValue;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                return Value(nullable.TypeArguments[0], walk, out lowLink);

            switch (type.TypeKind)
            {
                case TypeKind.TypeParameter:
                case TypeKind.Error:
                    return ImmutableArray<PayloadFinding>.Empty;
                case TypeKind.Dynamic:
                    return Single(PayloadProblem.NotSerializable, "'dynamic' loses its type on the wire; use a concrete type");
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return Single(PayloadProblem.NotSerializable, "a pointer means nothing outside this process; pass the data it points to");
            }

            if (IsRawBinary(type))
            {
                var raw = new PayloadFinding(PayloadProblem.RawBinary, ImmutableArray<string>.Empty, null, Display(type));
                return IsCarriedByteSequence(type)
                    ? ImmutableArray.Create(raw)
                    : ImmutableArray.Create(raw, NotCarried(type, "; send the bytes as 'byte[]'"));
            }
            if (type.SpecialType == SpecialType.System_DateTime)
                return Single(PayloadProblem.DateTime, Display(type));
            if (type.SpecialType == SpecialType.System_Decimal)
                return Single(PayloadProblem.Decimal, Display(type));
            var reason = NotSerializableReason(type);
            if (reason is not null)
                return Single(PayloadProblem.NotSerializable, reason);

            if (type is IArrayTypeSymbol array)
            {
                var findings = ImmutableArray.CreateBuilder<PayloadFinding>();
                if (!array.IsSZArray)
                    findings.Add(NotCarried(type, ": it has more than one dimension; use " + SupportedCollections));
                findings.Add(MutableCollection(type, array.Rank == 1 ? "System.Collections.Generic.IReadOnlyList`1" : null));
                AddElement(findings, array.ElementType, walk, ref lowLink);
                return findings.ToImmutable();
            }

            if (type is not INamedTypeSymbol named || type.TypeKind == TypeKind.Enum || IsCarriedSimpleType(type))
                return ImmutableArray<PayloadFinding>.Empty;
            if (type.SpecialType != SpecialType.None)
                return ImmutableArray.Create(NotCarried(type, "; " + UseInstead));

            if (KnownSymbols.Is(named.OriginalDefinition, _known.KeyValuePair))
            {
                var pair = ImmutableArray.CreateBuilder<PayloadFinding>();
                pair.Add(NotCarried(type, "; use 'Dictionary<string, T>' or a concrete record or class"));
                AddElement(pair, named.TypeArguments[0], walk, ref lowLink);
                AddElement(pair, named.TypeArguments[1], walk, ref lowLink);
                return pair.ToImmutable();
            }

            if (IsCollection(named, out var elements))
            {
                // A non-generic collection is reported as such only: the generic one that replaces it is checked anew.
                if (elements.IsEmpty)
                    return Single(PayloadProblem.NotSerializable,
                        $"'{Display(type)}' is a non-generic collection of 'object' values; use a generic collection of a concrete type");
                var findings = ImmutableArray.CreateBuilder<PayloadFinding>();
                var carried = CarriedCollection(named);
                if (carried == CollectionSupport.NotSupported)
                    findings.Add(NotCarried(type, "; use " + SupportedCollections));
                else if (carried == CollectionSupport.NeedsStringKeys)
                    findings.Add(NotCarried(type, ": dictionary keys must be strings; use string keys ('Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>')"));
                if (IsMutableCollection(named, out var replacement))
                    findings.Add(MutableCollection(type, replacement));
                foreach (var element in elements)
                    AddElement(findings, element, walk, ref lowLink);
                return findings.ToImmutable();
            }

            if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
            {
                // The generated serializer writes no type discriminator ([JsonDerivedType] is not read): it cannot
                // know which type to create when the event is read back.
                var kind = named.TypeKind == TypeKind.Interface ? "an interface" : "an abstract type";
                return ImmutableArray.Create(NotCarried(type, $": it is {kind}, and polymorphic payloads are not supported; use a concrete record or class"));
            }

            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                return ImmutableArray<PayloadFinding>.Empty;
            if (IsFrameworkType(named) || named.IsTupleType || named.IsAnonymousType || named.IsRefLikeType)
                return ImmutableArray.Create(NotCarried(type, "; " + UseInstead));
            if (!IsInSource(named))
                return ImmutableArray<PayloadFinding>.Empty; // a user type of another assembly: the serializer walks it; not walked here

            var result = ImmutableArray.CreateBuilder<PayloadFinding>();
            var construction = ConstructionProblem(named);
            if (construction is not null)
                result.Add(new PayloadFinding(PayloadProblem.NotSerializable, ImmutableArray<string>.Empty, null, construction));
            foreach (var member in AllPayloadMembers(named))
            {
                result.AddRange(MemberFindings(member, walk, out var low));
                lowLink = Math.Min(lowLink, low);
            }
            return result.ToImmutable();
        }

        private void AddElement(ImmutableArray<PayloadFinding>.Builder findings, ITypeSymbol element, Walk walk, ref int lowLink)
        {
            var elementFindings = Value(element, walk, out var low);
            foreach (var finding in elementFindings)
                findings.Add(finding.ThroughElement());
            lowLink = Math.Min(lowLink, low);
        }

        private static ImmutableArray<PayloadFinding> Single(PayloadProblem problem, string detail)
            => ImmutableArray.Create(new PayloadFinding(problem, ImmutableArray<string>.Empty, null, detail));

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

        private string? NotSerializableReason(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Object:
                    return "'object' loses its type on the wire; use a concrete type";
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return "a pointer means nothing outside this process; pass the data it points to";
                case SpecialType.System_Delegate:
                case SpecialType.System_MulticastDelegate:
                    return "a delegate is code, not data; pass the data the handler needs";
            }
            if (type.TypeKind == TypeKind.Delegate)
                return "a delegate is code, not data; pass the data the handler needs";
            if (type is not INamedTypeSymbol named)
                return null;
            if (DerivesFrom(named, _known.SystemType) || DerivesFrom(named, _known.MemberInfo))
                return $"'{Display(type)}' describes code, not data; pass a name";
            var definition = named.OriginalDefinition;
            if (KnownSymbols.Is(definition, _known.Task) || KnownSymbols.Is(definition, _known.TaskOfT)
                || DerivesFrom(named, _known.Task)
                || KnownSymbols.Is(definition, _known.ValueTask) || KnownSymbols.Is(definition, _known.ValueTaskOfT))
                return $"'{Display(type)}' is work in progress, not data; await it and pass the result";
            if (KnownSymbols.Is(named, _known.CancellationToken))
                return "a CancellationToken belongs to the publisher's flow; handlers take their own";
            if (DerivesFrom(named, _known.Exception))
                return $"'{Display(type)}' does not survive a round trip; pass a message or an error code";
            return null;
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

        private static (MutableKind Kind, string Reason) Mutability(ISymbol member)
        {
            switch (member)
            {
                case IPropertySymbol { SetMethod: { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public } } property:
                    if (property.ContainingType.IsValueType && property.ContainingType.IsRecord && IsPositional(property))
                        return (MutableKind.RecordStructProperty, "properties of a positional record struct have setters; declare it 'readonly record struct'");
                    return (MutableKind.Setter, "it has a public setter; use 'init'");
                case IFieldSymbol { IsReadOnly: false, IsConst: false }:
                    return (MutableKind.Field, "it is a public field that is not readonly; make it 'readonly'");
                default:
                    return (MutableKind.None, string.Empty);
            }
        }

        private static bool IsPositional(IPropertySymbol property)
        {
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is ParameterSyntax)
                    return true;
            }
            return false;
        }

        private static string? ComputeConstructionProblem(INamedTypeSymbol type)
        {
            var members = new List<ISymbol>(AllPayloadMembers(type));
            IMethodSymbol? longest = null;
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.DeclaredAccessibility != Accessibility.Public
                    || constructor.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out))
                    continue;
                if (constructor.Parameters.All(p => MatchingMember(p, members) is not null))
                    return null;
                if (longest is null || constructor.Parameters.Length > longest.Parameters.Length)
                    longest = constructor;
            }

            if (longest is null)
                return $"'{Display(type)}' has no public constructor to create it with when the event is read back; add one";
            var unmatched = longest.Parameters.First(p => MatchingMember(p, members) is null);
            return $"constructor parameter '{unmatched.Name}' of '{Display(type)}' matches no public property or field of the same name and type, so it cannot be filled when the event is read back";
        }

        private static ISymbol? MatchingMember(IParameterSymbol parameter, List<ISymbol> members)
        {
            foreach (var member in members)
            {
                if (string.Equals(member.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                    && SymbolEqualityComparer.Default.Equals(TypeOf(member), parameter.Type))
                    return member;
            }
            return null;
        }

        /// <summary>Public instance properties and fields, the type's own first, then those it inherits from source types.</summary>
        private static IEnumerable<ISymbol> AllPayloadMembers(INamedTypeSymbol type)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(current, type) && !IsInSource(current))
                    yield break;
                foreach (var member in current.GetMembers())
                {
                    if (IsPayloadMember(member) && names.Add(member.Name))
                        yield return member;
                }
            }
        }

        private const string SupportedCollections =
            "a supported collection: 'T[]', 'List<T>', 'IReadOnlyList<T>', 'IList<T>', 'ICollection<T>', 'IReadOnlyCollection<T>', "
            + "'IEnumerable<T>', 'HashSet<T>', 'Dictionary<string, T>', 'IReadOnlyDictionary<string, T>' or 'IDictionary<string, T>'";

        private const string UseInstead =
            "use a concrete record or class of this project, or a supported type (string, bool, char, a number, an enum, "
            + "Guid, DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly, Uri)";

        private static readonly SymbolDisplayFormat s_qualified = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        /// <summary>A type the generated serializer leaves out of the payload, with what to use instead.</summary>
        private static PayloadFinding NotCarried(ITypeSymbol type, string advice)
            => new(PayloadProblem.NotSerializable, ImmutableArray<string>.Empty, null,
                $"Herald's serializer cannot carry '{Display(type)}'{advice}");

        private enum CollectionSupport
        {
            Supported,
            NotSupported,
            NeedsStringKeys,
        }

        /// <summary>Whether the generated serializer carries <paramref name="type"/> as a collection (see <see cref="CarriedCollections"/>).</summary>
        private static CollectionSupport CarriedCollection(INamedTypeSymbol type)
            => CarriedCollections.Of(type) switch
            {
                Herald.CodeAnalysis.CarriedCollection.None => CollectionSupport.NotSupported,
                Herald.CodeAnalysis.CarriedCollection.Dictionary when type.TypeArguments[0].SpecialType != SpecialType.System_String
                    => CollectionSupport.NeedsStringKeys,
                _ => CollectionSupport.Supported,
            };

        /// <summary>A byte sequence the serializer writes: <c>byte[]</c> or a supported collection of bytes.</summary>
        private static bool IsCarriedByteSequence(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
                return false;
            if (type is IArrayTypeSymbol array)
                return array.IsSZArray;
            return type is INamedTypeSymbol named && CarriedCollection(named) == CollectionSupport.Supported;
        }

        /// <summary>Mirrors PayloadReader.PrimitiveKind: the simple values the serializer writes.</summary>
        private static bool IsCarriedSimpleType(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Boolean:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                case SpecialType.System_Char:
                case SpecialType.System_DateTime:
                    return true;
            }
            if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class))
                return false;
            switch (type.ToDisplayString(s_qualified))
            {
                case "System.Guid":
                case "System.DateTimeOffset":
                case "System.TimeSpan":
                case "System.DateOnly":
                case "System.TimeOnly":
                case "System.Uri":
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Mirrors PayloadReader.IsUserObject: types of these namespaces are never walked into.</summary>
        private static bool IsFrameworkType(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            return ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)
                || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal);
        }

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

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            if (attributeType is null)
                return false;
            foreach (var attribute in symbol.GetAttributes())
            {
                if (KnownSymbols.Is(attribute.AttributeClass, attributeType))
                    return true;
            }
            return false;
        }

        /// <summary>The value types being walked on this path, to cut cycles.</summary>
        private sealed class Walk
        {
            private readonly List<ITypeSymbol> _stack = new();

            public int IndexOf(ITypeSymbol type)
            {
                for (var i = 0; i < _stack.Count; i++)
                {
                    if (SymbolEqualityComparer.Default.Equals(_stack[i], type))
                        return i;
                }
                return -1;
            }

            public int Push(ITypeSymbol type)
            {
                _stack.Add(type);
                return _stack.Count - 1;
            }

            public void Pop() => _stack.RemoveAt(_stack.Count - 1);
        }
    }
}
