using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.CodeAnalysis
{
    /// <summary>What a type's <c>[Event]</c> says; <see cref="Durable"/> when Herald writes the type to the log.</summary>
    internal enum EventNameStatus
    {
        /// <summary>No <c>[Event]</c>: the type is dispatched inline only.</summary>
        None,

        /// <summary>A usable name on a non-generic class or struct: the generator makes the type durable.</summary>
        Durable,

        /// <summary>An empty or white-space name, which the runtime refuses.</summary>
        EmptyName,

        /// <summary>A generic type: one wire name cannot say which closed type a stored event is.</summary>
        GenericType,
    }

    /// <summary>
    /// A type's <c>[Event]</c>, read once for the generator (which makes durable exactly the types whose status is
    /// <see cref="EventNameStatus.Durable"/>) and the analyzers (HER0007 reports the other statuses of an
    /// <c>[Event]</c>; the payload rules treat every type that carries one as durable, since that is what its author
    /// asked for). The attribute is read from the type's definition, which is where it is declared (it is not
    /// inherited).
    /// </summary>
    internal readonly struct EventDeclaration
    {
        private EventDeclaration(EventNameStatus status, AttributeData? attribute, string? name, int version, TypedConstant durability)
        {
            Status = status;
            Attribute = attribute;
            Name = name;
            Version = version;
            Durability = durability;
        }

        public EventNameStatus Status { get; }

        /// <summary>The <c>[Event]</c> attribute; null when <see cref="Status"/> is <see cref="EventNameStatus.None"/>.</summary>
        public AttributeData? Attribute { get; }

        /// <summary>The wire name, when <see cref="Status"/> is <see cref="EventNameStatus.Durable"/>.</summary>
        public string? Name { get; }

        public int Version { get; }

        /// <summary>The <c>Durability</c> named argument; its <see cref="TypedConstant.IsNull"/> is true when it is not set.</summary>
        public TypedConstant Durability { get; }

        /// <summary>Whether the type carries an <c>[Event]</c> at all: its author declared it durable.</summary>
        public bool IsDeclared => Status != EventNameStatus.None;

        public static EventDeclaration Read(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named)
                return default;
            var definition = named.OriginalDefinition;
            // Binding attributes costs far more than looking at syntax: a source type with no attribute list has none.
            if (!definition.DeclaringSyntaxReferences.IsEmpty && !HasAttributeLists(definition))
                return default;
            foreach (var attribute in definition.GetAttributes())
            {
                if (!TypeIdentity.Is(attribute.AttributeClass, "Herald", "EventAttribute"))
                    continue;
                if (definition.IsGenericType)
                    return new EventDeclaration(EventNameStatus.GenericType, attribute, null, 1, default);
                if (attribute.ConstructorArguments.Length != 1
                    || attribute.ConstructorArguments[0].Value is not string name
                    || string.IsNullOrWhiteSpace(name))
                    return new EventDeclaration(EventNameStatus.EmptyName, attribute, null, 1, default);

                var version = 1;
                TypedConstant durability = default;
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Version" && argument.Value.Value is int number)
                        version = number;
                    else if (argument.Key == "Durability" && argument.Value.Value is int)
                        durability = argument.Value;
                }
                return new EventDeclaration(EventNameStatus.Durable, attribute, name, version, durability);
            }
            return default;
        }

        private static bool HasAttributeLists(ISymbol symbol)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is MemberDeclarationSyntax { AttributeLists.Count: > 0 })
                    return true;
            }
            return false;
        }
    }
}
