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
        /// once and referred to by name (so recursive types end). A member whose type is not supported is left out of
        /// the payload; the analyzers report it as an error on durable events.
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
                foreach (var member in ReadableMembers(type))
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
                var kind = PrimitiveKind(type);
                if (kind is not null)
                {
                    Add(Simple(name, type, kind.Value, string.Empty));
                    return true;
                }

                if (type is IArrayTypeSymbol array)
                {
                    if (!array.IsSZArray)
                        return false;
                    if (array.ElementType.SpecialType == SpecialType.System_Byte)
                    {
                        Add(Simple(name, type, JsonKind.Bytes, string.Empty));
                        return true;
                    }
                    return DescribeContainer(type, name, JsonKind.Array, array.ElementType);
                }

                if (type is not INamedTypeSymbol named)
                    return false;

                if (named.TypeKind == TypeKind.Enum)
                {
                    DescribeEnum(named, name);
                    return true;
                }

                if (named.IsGenericType)
                {
                    var definition = named.OriginalDefinition;
                    if (definition.SpecialType == SpecialType.System_Nullable_T)
                        return DescribeContainer(type, name, JsonKind.Nullable, named.TypeArguments[0]);
                    switch (CarriedCollections.Of(named))
                    {
                        case CarriedCollection.List:
                            return DescribeContainer(type, name, JsonKind.List, named.TypeArguments[0]);
                        case CarriedCollection.HashSet:
                            return DescribeContainer(type, name, JsonKind.HashSet, named.TypeArguments[0]);
                        case CarriedCollection.Dictionary:
                            return named.TypeArguments[0].SpecialType == SpecialType.System_String
                                && DescribeContainer(type, name, JsonKind.Dictionary, named.TypeArguments[1]);
                    }
                }

                if (!IsUserObject(named))
                    return false;
                DescribeObject(named, name);
                return true;
            }

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
                var underlying = type.EnumUnderlyingType is { } u ? PrimitiveKind(u) ?? JsonKind.Int32 : JsonKind.Int32;
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

                var readable = ReadableMembers(type);
                var constructor = ChooseConstructor(type, readable);
                var setsRequired = constructor is not null && constructor.GetAttributes().Any(a =>
                    a.AttributeClass?.ToDisplayString(s_display) == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

                var members = new List<JsonMemberSpec>();
                var jsonNames = new HashSet<string>();
                var memberJsonNames = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
                var parameters = constructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
                foreach (var member in readable)
                {
                    var jsonName = CamelCase(member.Symbol.Name);
                    if (!jsonNames.Add(jsonName))
                        continue; // two members with one JSON name: the first keeps it
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
                        var member = readable.First(m => Matches(parameter, m));
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

            /// <summary>
            /// The public constructor to read with: the one with the most parameters among those whose parameters all
            /// match a member by name (ignoring case) and type; a parameterless one matches trivially. Null when none.
            /// </summary>
            private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<PayloadMember> members)
            {
                if (type.IsAbstract || type.IsStatic)
                    return null;
                IMethodSymbol? best = null;
                foreach (var constructor in type.InstanceConstructors)
                {
                    if (constructor.DeclaredAccessibility != Accessibility.Public
                        || constructor.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out)
                        || !constructor.Parameters.All(p => members.Any(m => Matches(p, m))))
                        continue;
                    if (best is null || constructor.Parameters.Length > best.Parameters.Length)
                        best = constructor;
                }
                return best;
            }

            private static IParameterSymbol? MatchingParameter(ImmutableArray<IParameterSymbol> parameters, PayloadMember member)
            {
                foreach (var parameter in parameters)
                {
                    if (Matches(parameter, member))
                        return parameter;
                }
                return null;
            }

            private static bool Matches(IParameterSymbol parameter, PayloadMember member)
                => string.Equals(parameter.Name, member.Symbol.Name, System.StringComparison.OrdinalIgnoreCase)
                   && SymbolEqualityComparer.Default.Equals(parameter.Type, member.Type);

            /// <summary>
            /// The public instance properties (not indexers) and fields that can be read, most derived first where a
            /// name repeats, in declaration order from the base class down.
            /// </summary>
            private static List<PayloadMember> ReadableMembers(INamedTypeSymbol type)
            {
                var levels = new List<List<PayloadMember>>();
                var seen = new HashSet<string>();
                for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
                {
                    var level = new List<PayloadMember>();
                    foreach (var member in current.GetMembers())
                    {
                        if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || !member.CanBeReferencedByName)
                            continue;
                        // [JsonIgnore] members do not travel: the analyzers treat them so, and so does the serializer.
                        if (member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString(s_display) == "System.Text.Json.Serialization.JsonIgnoreAttribute"))
                            continue;
                        if (member is IPropertySymbol { IsIndexer: false, GetMethod: { DeclaredAccessibility: Accessibility.Public } } property)
                        {
                            if (seen.Add(property.Name))
                            {
                                var setter = property.SetMethod;
                                level.Add(new PayloadMember(
                                    property,
                                    property.Type,
                                    IsSettable: setter is { DeclaredAccessibility: Accessibility.Public },
                                    IsInitOnly: setter is { IsInitOnly: true },
                                    property.IsRequired));
                            }
                        }
                        else if (member is IFieldSymbol { IsConst: false } field)
                        {
                            if (seen.Add(field.Name))
                                level.Add(new PayloadMember(field, field.Type, IsSettable: !field.IsReadOnly, IsInitOnly: false, field.IsRequired));
                        }
                    }
                    levels.Add(level);
                }
                levels.Reverse();
                return levels.SelectMany(level => level).ToList();
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

            /// <summary>
            /// A class, record or struct of the user's (not of the framework, not a collection) that generated code can
            /// name and whose members make up its JSON.
            /// </summary>
            private bool IsUserObject(INamedTypeSymbol type)
            {
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsStatic || type.IsAbstract || type.IsRefLikeType)
                    return false;
                if (type.SpecialType != SpecialType.None || type.IsTupleType || type.IsAnonymousType)
                    return false;
                var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                if (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal)
                    || ns == "Microsoft" || ns.StartsWith("Microsoft.", System.StringComparison.Ordinal))
                    return false;
                if (type.AllInterfaces.Any(i => i.ToDisplayString(s_display) == "System.Collections.IEnumerable"))
                    return false;
                return HandlerShape.CanGeneratedCodeName(type, _within);
            }

            private static JsonKind? PrimitiveKind(ITypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_String: return JsonKind.String;
                    case SpecialType.System_Boolean: return JsonKind.Boolean;
                    case SpecialType.System_Byte: return JsonKind.Byte;
                    case SpecialType.System_SByte: return JsonKind.SByte;
                    case SpecialType.System_Int16: return JsonKind.Int16;
                    case SpecialType.System_UInt16: return JsonKind.UInt16;
                    case SpecialType.System_Int32: return JsonKind.Int32;
                    case SpecialType.System_UInt32: return JsonKind.UInt32;
                    case SpecialType.System_Int64: return JsonKind.Int64;
                    case SpecialType.System_UInt64: return JsonKind.UInt64;
                    case SpecialType.System_Single: return JsonKind.Single;
                    case SpecialType.System_Double: return JsonKind.Double;
                    case SpecialType.System_Decimal: return JsonKind.Decimal;
                    case SpecialType.System_Char: return JsonKind.Char;
                    case SpecialType.System_DateTime: return JsonKind.DateTime;
                }
                if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class))
                    return null;
                switch (type.ToDisplayString(s_display))
                {
                    case "System.Guid": return JsonKind.Guid;
                    case "System.DateTimeOffset": return JsonKind.DateTimeOffset;
                    case "System.TimeSpan": return JsonKind.TimeSpan;
                    case "System.DateOnly": return JsonKind.DateOnly;
                    case "System.TimeOnly": return JsonKind.TimeOnly;
                    case "System.Uri": return JsonKind.Uri;
                    default: return null;
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

            /// <summary>
            /// The JSON name of a member: its C# name with the leading capitals lowered, keeping the last one of a run
            /// that starts the next word (<c>OrderId</c>: <c>orderId</c>, <c>URLValue</c>: <c>urlValue</c>,
            /// <c>ID</c>: <c>id</c>), as System.Text.Json's camelCase policy does.
            /// </summary>
            public static string CamelCase(string name)
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

            /// <summary>A public readable member of a payload type.</summary>
            private sealed record PayloadMember(ISymbol Symbol, ITypeSymbol Type, bool IsSettable, bool IsInitOnly, bool IsRequired);
        }
    }
}
