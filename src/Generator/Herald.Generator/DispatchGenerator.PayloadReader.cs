using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Reads the JSON shape of a durable event's payload from its symbol: every type it reaches, each described
        /// once and referred to by name (so recursive types end). What travels is decided by the shared payload rules
        /// (src/Shared: <see cref="PayloadTypes"/>, <see cref="PayloadMembers"/>, <see cref="PayloadConstruction"/>),
        /// which the analyzers apply too: a member whose type they do not carry is left out here and reported there
        /// (HER0003).
        /// </summary>
        internal sealed class PayloadReader
        {
            private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.FullyQualifiedFormat
                .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

            private readonly IAssemblySymbol _within;
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<string, JsonTypeSpec?> _described = new();
            private readonly List<string> _order = new();
            private readonly HashSet<string> _unsupported = new();

            public PayloadReader(IAssemblySymbol within, CancellationToken cancellationToken)
            {
                _within = within;
                _cancellationToken = cancellationToken;
            }

            /// <summary>The described types, the event type first, then in the order they were reached.</summary>
            public EquatableArray<JsonTypeSpec> Types => _order.Select(name => _described[name]!).ToEquatableArray();

            /// <summary>Describes the event type: always an object, even when it cannot be created (reading it throws).</summary>
            public void DescribeRoot(INamedTypeSymbol type) => DescribeObject(type, TypeNameOf(type));

            /// <summary>The name of <paramref name="type"/> as generated code writes it: no nullable reference annotations.</summary>
            public static string TypeNameOf(ITypeSymbol type)
                => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

            /// <summary>The member marked <c>[PartitionKey]</c> among the payload's members; null when there is none.</summary>
            public static PartitionKeySpec? ReadPartitionKey(INamedTypeSymbol type)
            {
                foreach (var member in PayloadMembers.Carried(type))
                {
                    if (!member.Symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString(s_display) == KnownNames.PartitionKeyAttribute))
                        continue;
                    var memberType = member.Type;
                    var name = SourceNames.Escape(member.Symbol.Name);
                    if (memberType.SpecialType == SpecialType.System_String)
                        return new PartitionKeySpec(name, PartitionKeyFormat.String, MayBeNull: true);
                    var mayBeNull = !memberType.IsValueType;
                    if (memberType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                    {
                        memberType = nullable.TypeArguments[0];
                        mayBeNull = true;
                    }
                    return new PartitionKeySpec(name, FormatOf(memberType), mayBeNull);
                }
                return null;
            }

            private static PartitionKeyFormat FormatOf(ITypeSymbol type)
            {
                // Enum.ToString(string, IFormatProvider) is obsolete, and an enum's name does not depend on culture.
                if (type.TypeKind == TypeKind.Enum || type.SpecialType == SpecialType.System_String)
                    return PartitionKeyFormat.Plain;
                if (!type.AllInterfaces.Any(i => i.ToDisplayString(s_display) == "System.IFormattable"))
                    return PartitionKeyFormat.Plain;
                for (var current = type; current is not null; current = current.BaseType)
                {
                    foreach (var member in current.GetMembers("ToString"))
                    {
                        if (member is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public, Parameters.Length: 2 } method
                            && method.Parameters[0].Type.SpecialType == SpecialType.System_String
                            && method.Parameters[1].Type.ToDisplayString(s_display) == "System.IFormatProvider"
                            && !method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString(s_display) == "System.ObsoleteAttribute"))
                            return PartitionKeyFormat.Formattable;
                    }
                }
                return PartitionKeyFormat.ExplicitFormattable;
            }

            /// <summary>The key of <paramref name="type"/> among the described types; null when it is not supported.</summary>
            private string? Describe(ITypeSymbol type)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var name = TypeNameOf(type);
                if (_described.ContainsKey(name))
                    return name; // described, or being described (a recursive type)
                if (_unsupported.Contains(name))
                    return null;

                var described = DescribeNew(type, name);
                if (!described)
                    _unsupported.Add(name);
                return described ? name : null;
            }

            private bool DescribeNew(ITypeSymbol type, string name)
            {
                var shape = PayloadTypes.Classify(type, _within);
                switch (shape.Kind)
                {
                    case PayloadKind.NotCarried:
                        return false;
                    case PayloadKind.Enum:
                        DescribeEnum((INamedTypeSymbol)type, name);
                        return true;
                    case PayloadKind.Object:
                        DescribeObject((INamedTypeSymbol)type, name);
                        return true;
                    case PayloadKind.Nullable:
                    case PayloadKind.Array:
                    case PayloadKind.List:
                    case PayloadKind.HashSet:
                    case PayloadKind.Dictionary:
                        return DescribeContainer(type, name, JsonKindOf(shape.Kind), shape.Element!);
                    default:
                        Add(Simple(name, type, JsonKindOf(shape.Kind), string.Empty));
                        return true;
                }
            }

            /// <summary>The emitter's name for a shared <see cref="PayloadKind"/>.</summary>
            private static JsonKind JsonKindOf(PayloadKind kind) => kind switch
            {
                PayloadKind.String => JsonKind.String,
                PayloadKind.Boolean => JsonKind.Boolean,
                PayloadKind.Byte => JsonKind.Byte,
                PayloadKind.SByte => JsonKind.SByte,
                PayloadKind.Int16 => JsonKind.Int16,
                PayloadKind.UInt16 => JsonKind.UInt16,
                PayloadKind.Int32 => JsonKind.Int32,
                PayloadKind.UInt32 => JsonKind.UInt32,
                PayloadKind.Int64 => JsonKind.Int64,
                PayloadKind.UInt64 => JsonKind.UInt64,
                PayloadKind.Single => JsonKind.Single,
                PayloadKind.Double => JsonKind.Double,
                PayloadKind.Decimal => JsonKind.Decimal,
                PayloadKind.Char => JsonKind.Char,
                PayloadKind.Guid => JsonKind.Guid,
                PayloadKind.DateTimeOffset => JsonKind.DateTimeOffset,
                PayloadKind.DateTime => JsonKind.DateTime,
                PayloadKind.TimeSpan => JsonKind.TimeSpan,
                PayloadKind.DateOnly => JsonKind.DateOnly,
                PayloadKind.TimeOnly => JsonKind.TimeOnly,
                PayloadKind.Uri => JsonKind.Uri,
                PayloadKind.Bytes => JsonKind.Bytes,
                PayloadKind.Enum => JsonKind.Enum,
                PayloadKind.Nullable => JsonKind.Nullable,
                PayloadKind.Array => JsonKind.Array,
                PayloadKind.List => JsonKind.List,
                PayloadKind.HashSet => JsonKind.HashSet,
                PayloadKind.Dictionary => JsonKind.Dictionary,
                PayloadKind.Object => JsonKind.Object,
                _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "Not a carried kind."),
            };

            private bool DescribeContainer(ITypeSymbol type, string name, JsonKind kind, ITypeSymbol element)
            {
                // Reserve the name first: a container of the type being described (List<Node> in Node) refers back to it.
                _described[name] = null;
                var elementName = Describe(element);
                if (elementName is null)
                {
                    _described.Remove(name);
                    return false;
                }
                _order.Add(name);
                _described[name] = Simple(name, type, kind, elementName);
                return true;
            }

            private void DescribeEnum(INamedTypeSymbol type, string name)
            {
                var members = new List<EnumMemberSpec>();
                var written = new HashSet<object>();
                foreach (var member in type.GetMembers())
                {
                    if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: { } value } field)
                        members.Add(new EnumMemberSpec(field.Name, written.Add(value)));
                }
                var underlying = type.EnumUnderlyingType is { } u && PayloadTypes.Classify(u, _within) is { IsCarried: true, IsContainer: false } shape
                    ? JsonKindOf(shape.Kind)
                    : JsonKind.Int32;
                Add(new JsonTypeSpec(
                    name,
                    type.ToDisplayString(s_display),
                    JsonKind.Enum,
                    IsValueType: true,
                    string.Empty,
                    underlying,
                    members.ToEquatableArray(),
                    EquatableArray<JsonMemberSpec>.Empty,
                    null));
            }

            private void DescribeObject(INamedTypeSymbol type, string name)
            {
                _described[name] = null;
                _order.Add(name);

                var readable = PayloadMembers.Carried(type);
                var constructor = PayloadConstruction.Choose(type, readable);
                var setsRequired = constructor is not null && constructor.GetAttributes().Any(a =>
                    a.AttributeClass?.ToDisplayString(s_display) == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

                var members = new List<JsonMemberSpec>();
                var jsonNames = new HashSet<string>();
                var memberJsonNames = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
                var parameters = constructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
                foreach (var member in readable)
                {
                    var jsonName = PayloadMembers.JsonName(member.Symbol.Name);
                    if (!jsonNames.Add(jsonName))
                        continue; // two members with one JSON name: the first keeps it (HER0003 reports the other)
                    var typeName = Describe(member.Type);
                    if (typeName is null)
                        continue;
                    memberJsonNames.Add(member.Symbol, jsonName);

                    var parameter = constructor is null ? null : MatchingParameter(parameters, member);
                    MemberAssignment assignment;
                    if (constructor is null)
                        assignment = MemberAssignment.None;
                    else if (parameter is not null)
                        assignment = MemberAssignment.Constructor;
                    else if (member.IsRequired && !setsRequired)
                        assignment = MemberAssignment.Initializer;
                    else if (member.IsSettable)
                        assignment = member.IsInitOnly || member.IsRequired ? MemberAssignment.Initializer : MemberAssignment.Setter;
                    else
                        assignment = MemberAssignment.None;
                    members.Add(new JsonMemberSpec(
                        SourceNames.Escape(member.Symbol.Name),
                        jsonName,
                        typeName,
                        assignment,
                        AlsoInitialize: assignment == MemberAssignment.Constructor && member.IsRequired && !setsRequired));
                }

                ConstructionSpec? construction = null;
                if (constructor is not null)
                {
                    var arguments = new List<ParameterSpec>();
                    foreach (var parameter in parameters)
                    {
                        var member = PayloadConstruction.MemberOf(parameter, readable)!;
                        arguments.Add(new ParameterSpec(
                            memberJsonNames.TryGetValue(member.Symbol, out var jsonName) ? jsonName : string.Empty,
                            parameter.HasExplicitDefaultValue ? Literal(parameter.ExplicitDefaultValue, parameter.Type) : "default"));
                    }

                    // Required members the payload does not carry still have to be set for the initializer to compile.
                    var defaults = new List<string>();
                    if (!setsRequired)
                    {
                        foreach (var required in RequiredMembers(type))
                        {
                            if (!members.Any(m => m.Name == SourceNames.Escape(required.Name) && (m.Assignment == MemberAssignment.Initializer || m.AlsoInitialize)))
                                defaults.Add(SourceNames.Escape(required.Name));
                        }
                    }
                    construction = new ConstructionSpec(arguments.ToEquatableArray(), defaults.ToEquatableArray());
                }

                _described[name] = new JsonTypeSpec(
                    name,
                    type.ToDisplayString(s_display),
                    JsonKind.Object,
                    type.IsValueType,
                    string.Empty,
                    JsonKind.Int32,
                    EquatableArray<EnumMemberSpec>.Empty,
                    members.ToEquatableArray(),
                    construction);
            }

            private static IParameterSymbol? MatchingParameter(ImmutableArray<IParameterSymbol> parameters, PayloadMember member)
            {
                foreach (var parameter in parameters)
                {
                    if (PayloadConstruction.Matches(parameter, member))
                        return parameter;
                }
                return null;
            }

            private static IEnumerable<ISymbol> RequiredMembers(INamedTypeSymbol type)
            {
                var seen = new HashSet<string>();
                for (var current = type; current is not null; current = current.BaseType)
                {
                    foreach (var member in current.GetMembers())
                    {
                        if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true } && seen.Add(member.Name))
                            yield return member;
                    }
                }
            }

            private void Add(JsonTypeSpec spec)
            {
                _described[spec.TypeName] = spec;
                _order.Add(spec.TypeName);
            }

            private static JsonTypeSpec Simple(string name, ITypeSymbol type, JsonKind kind, string element)
                => new(
                    name,
                    type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(s_display),
                    kind,
                    type.IsValueType,
                    element,
                    JsonKind.Int32,
                    EquatableArray<EnumMemberSpec>.Empty,
                    EquatableArray<JsonMemberSpec>.Empty,
                    null);

            /// <summary>A constructor parameter's default value as a C# expression of the parameter's type.</summary>
            private static string Literal(object? value, ITypeSymbol type)
            {
                var typeName = TypeNameOf(type);
                switch (value)
                {
                    case null:
                        return "default";
                    case bool flag:
                        return flag ? "true" : "false";
                    case string text:
                        return SymbolDisplay.FormatLiteral(text, quote: true);
                    case char character:
                        return "(" + typeName + ")(" + SymbolDisplay.FormatLiteral(character, quote: true) + ")";
                    case double number:
                        return "(" + typeName + ")(" + DoubleLiteral(number) + ")";
                    case float number:
                        return "(" + typeName + ")(" + (float.IsNaN(number) ? "float.NaN"
                            : float.IsPositiveInfinity(number) ? "float.PositiveInfinity"
                            : float.IsNegativeInfinity(number) ? "float.NegativeInfinity"
                            : number.ToString("R", CultureInfo.InvariantCulture) + "f") + ")";
                    case decimal number:
                        return "(" + typeName + ")(" + number.ToString(CultureInfo.InvariantCulture) + "m)";
                    default:
                        return "(" + typeName + ")(" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
                }
            }

            private static string DoubleLiteral(double number)
            {
                if (double.IsNaN(number))
                    return "double.NaN";
                if (double.IsPositiveInfinity(number))
                    return "double.PositiveInfinity";
                if (double.IsNegativeInfinity(number))
                    return "double.NegativeInfinity";
                return number.ToString("R", CultureInfo.InvariantCulture) + "d";
            }
        }
    }
}
