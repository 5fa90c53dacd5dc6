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
    /// Walks what an event carries: its payload members (<see cref="PayloadMembers"/>), into the records, classes and
    /// structs of the compilation they hold and into the elements of collections. Results are cached per type for
    /// the compilation; a type on a cycle is walked once per path and the cycle is cut where it closes.
    /// </summary>
    /// <remarks>
    /// What travels is not decided here: <see cref="PayloadTypes"/>, <see cref="PayloadMembers"/> and
    /// <see cref="PayloadConstruction"/> (src/Shared) decide it for the generator's serializer too, and every type they
    /// leave out is reported as <see cref="PayloadProblem.NotSerializable"/>. This class adds the advice that is the
    /// analyzers' own (raw binary, DateTime, decimal, mutability) and the words of each message.
    /// </remarks>
    internal sealed partial class PayloadInspector
    {
        private const int MaxFindingsPerMember = 32;

        private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.MinimallyQualifiedFormat;

        private readonly KnownSymbols _known;
        private readonly IAssemblySymbol _within;
        private readonly ConcurrentDictionary<ITypeSymbol, ImmutableArray<PayloadFinding>> _values = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<MemberFinding>> _declared = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, string?> _construction = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, TypeMembers> _members = new(SymbolEqualityComparer.Default);

        public PayloadInspector(KnownSymbols known)
        {
            _known = known;
            _within = known.Compilation.Assembly;
        }

        public static string Display(ITypeSymbol type) => type.ToDisplayString(s_display);

        /// <summary>The findings of the members <paramref name="owner"/> declares itself (inherited ones belong to its base).</summary>
        public ImmutableArray<MemberFinding> DeclaredMemberFindings(INamedTypeSymbol owner)
        {
            if (_declared.TryGetValue(owner, out var cached))
                return cached;
            var walk = new Walk();
            var clashes = MembersOf(owner).Clashes;
            var builder = ImmutableArray.CreateBuilder<MemberFinding>();
            foreach (var member in owner.GetMembers())
            {
                if (!PayloadMembers.IsPayloadMember(member))
                    continue;
                foreach (var finding in MemberFindings(member, clashes, walk, out _))
                    builder.Add(new MemberFinding(member, finding));
            }
            var result = builder.ToImmutable();
            _declared.TryAdd(owner, result);
            return result;
        }

        /// <summary>
        /// Why a value of <paramref name="type"/> could not be created when it is read back, or null when it can
        /// (<see cref="PayloadConstruction"/>, which the generated reader follows). Abstract and static types are not
        /// created, so they have no such problem.
        /// </summary>
        public string? ConstructionProblem(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsAbstract || type.IsStatic || !IsInSource(type))
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

        public static ITypeSymbol? TypeOf(ISymbol member) => PayloadMembers.TypeOf(member);

        private ImmutableArray<PayloadFinding> MemberFindings(ISymbol member, Dictionary<ISymbol, ISymbol> clashes, Walk walk, out int lowLink)
        {
            lowLink = int.MaxValue;
            var type = TypeOf(member);
            if (type is null)
                return ImmutableArray<PayloadFinding>.Empty;

            var findings = new List<PayloadFinding>();
            var mutability = Mutability(member);
            if (mutability.Kind != MutableKind.None)
                findings.Add(new PayloadFinding(PayloadProblem.Mutable, ImmutableArray.Create(member.Name), member, mutability.Reason, mutability.Kind));

            // A member left out of the payload ([JsonIgnore]) still makes the event mutable, but does not travel.
            var ignored = PayloadMembers.IsIgnored(member);
            if (!ignored && clashes.TryGetValue(member, out var earlier))
            {
                findings.Add(new PayloadFinding(PayloadProblem.NotSerializable, ImmutableArray.Create(member.Name), member,
                    $"its JSON name '{PayloadMembers.JsonName(member.Name)}' is also the JSON name of '{earlier.Name}', which is written in its place; rename one of them"));
            }
            var valueFindings = Value(type, walk, out lowLink);
            foreach (var finding in valueFindings)
            {
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
            var shape = PayloadTypes.Classify(type, _within);
            if (shape.Kind == PayloadKind.Nullable)
                return Value(shape.Element!, walk, out lowLink);
            if (shape.Reason == NotCarriedReason.Unknown)
                return ImmutableArray<PayloadFinding>.Empty;

            var named = type as INamedTypeSymbol;
            var elements = ImmutableArray<ITypeSymbol>.Empty;
            var isCollection = named is not null && type.TypeKind != TypeKind.Enum && IsCollection(named, out elements);
            var findings = ImmutableArray.CreateBuilder<PayloadFinding>();

            var rawBinary = IsRawBinary(type);
            if (rawBinary)
                findings.Add(new PayloadFinding(PayloadProblem.RawBinary, ImmutableArray<string>.Empty, null, Display(type)));
            else if (type.SpecialType == SpecialType.System_DateTime)
                findings.Add(new PayloadFinding(PayloadProblem.DateTime, ImmutableArray<string>.Empty, null, Display(type)));
            else if (type.SpecialType == SpecialType.System_Decimal)
                findings.Add(new PayloadFinding(PayloadProblem.Decimal, ImmutableArray<string>.Empty, null, Display(type)));
            if (!shape.IsCarried)
                findings.Add(new PayloadFinding(PayloadProblem.NotSerializable, ImmutableArray<string>.Empty, null, NotCarriedReasonText(type, shape.Reason, rawBinary, isCollection)));

            // What the value holds, where the walk goes on: bytes are a problem as a whole, and the types the
            // serializer rejects for what they are (code, tasks, tokens, failures, streams) are not looked into.
            if (rawBinary)
                return findings.ToImmutable();
            switch (shape.Reason)
            {
                case NotCarriedReason.Dynamic:
                case NotCarriedReason.Pointer:
                case NotCarriedReason.Object:
                case NotCarriedReason.Delegate:
                case NotCarriedReason.CodeDescription:
                case NotCarriedReason.Task:
                case NotCarriedReason.CancellationToken:
                case NotCarriedReason.Exception:
                case NotCarriedReason.Stream:
                    return findings.ToImmutable();
            }

            if (type is IArrayTypeSymbol array)
            {
                findings.Add(MutableCollection(type, array.Rank == 1 ? "System.Collections.Generic.IReadOnlyList`1" : null));
                AddElement(findings, array.ElementType, walk, ref lowLink);
                return findings.ToImmutable();
            }
            if (named is null || shape.IsCarried && shape.Kind != PayloadKind.Object && !shape.IsContainer)
                return findings.ToImmutable(); // a simple value or an enum

            if (shape.Reason == NotCarriedReason.KeyValuePair)
            {
                AddElement(findings, named.TypeArguments[0], walk, ref lowLink);
                AddElement(findings, named.TypeArguments[1], walk, ref lowLink);
                return findings.ToImmutable();
            }
            if (isCollection)
            {
                // A non-generic collection is reported as such only: the generic one that replaces it is checked anew.
                if (elements.IsEmpty)
                    return findings.ToImmutable();
                if (IsMutableCollection(named, out var replacement))
                    findings.Add(MutableCollection(type, replacement));
                foreach (var element in elements)
                    AddElement(findings, element, walk, ref lowLink);
                return findings.ToImmutable();
            }

            // Interfaces, abstract types, framework types and types generated code cannot name do not travel, so what
            // they hold is not looked into; a user type of another assembly travels, but is that assembly's to check.
            if (shape.Kind != PayloadKind.Object || !IsInSource(named))
                return findings.ToImmutable();

            var construction = ConstructionProblem(named);
            if (construction is not null)
                findings.Add(new PayloadFinding(PayloadProblem.NotSerializable, ImmutableArray<string>.Empty, null, construction));
            var members = MembersOf(named);
            var clashes = members.Clashes;
            foreach (var member in members.All)
            {
                findings.AddRange(MemberFindings(member.Symbol, clashes, walk, out var low));
                lowLink = Math.Min(lowLink, low);
            }
            return findings.ToImmutable();
        }

        private void AddElement(ImmutableArray<PayloadFinding>.Builder findings, ITypeSymbol element, Walk walk, ref int lowLink)
        {
            var elementFindings = Value(element, walk, out var low);
            foreach (var finding in elementFindings)
                findings.Add(finding.ThroughElement());
            lowLink = Math.Min(lowLink, low);
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

        private string? ComputeConstructionProblem(INamedTypeSymbol type)
        {
            switch (PayloadConstruction.Why(type, MembersOf(type).Carried, out var unmatched))
            {
                case Herald.CodeAnalysis.ConstructionProblem.NoPublicConstructor:
                    return $"'{Display(type)}' has no public constructor to create it with when the event is read back; add one";
                case Herald.CodeAnalysis.ConstructionProblem.UnmatchedParameter:
                    return $"constructor parameter '{unmatched!.Name}' of '{Display(type)}' matches no public property or field of the same name and type, so it cannot be filled when the event is read back";
                default:
                    return null;
            }
        }

        /// <summary>A type's payload members, read once per compilation for its findings, its clashes and its constructor.</summary>
        private TypeMembers MembersOf(INamedTypeSymbol type) => _members.GetOrAdd(type, static t => new TypeMembers(PayloadMembers.Of(t)));

        private sealed class TypeMembers
        {
            public TypeMembers(List<PayloadMember> all)
            {
                All = all;
                Carried = all.FindAll(m => !m.IsIgnored);
                Clashes = PayloadMembers.JsonNameClashes(all);
            }

            /// <summary>Every payload member, <c>[JsonIgnore]</c> ones included (they still make an event mutable).</summary>
            public List<PayloadMember> All { get; }

            /// <summary>The members that travel.</summary>
            public List<PayloadMember> Carried { get; }

            public Dictionary<ISymbol, ISymbol> Clashes { get; }
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
