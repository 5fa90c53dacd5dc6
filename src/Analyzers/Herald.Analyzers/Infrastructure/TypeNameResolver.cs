using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.Infrastructure
{
    /// <summary>
    /// Finds the type that a name of the event index (<see cref="Herald.CodeAnalysis.EventIndex.TypeName"/>: C# with
    /// <c>global::</c>, such as <c>global::Shop.Envelope&lt;byte[]&gt;</c>) stands for, by walking the compilation's
    /// namespaces and types: no semantic model, so no file is bound for it.
    /// </summary>
    internal static class TypeNameResolver
    {
        /// <summary>The type <paramref name="name"/> names in <paramref name="compilation"/>; null when it names none.</summary>
        public static ITypeSymbol? Resolve(Compilation compilation, string name)
            => Type(compilation, SyntaxFactory.ParseTypeName(name));

        private static ITypeSymbol? Type(Compilation compilation, TypeSyntax syntax)
        {
            switch (syntax)
            {
                case PredefinedTypeSyntax predefined:
                    return Predefined(compilation, predefined.Keyword.Kind());
                case ArrayTypeSyntax array:
                    var element = Type(compilation, array.ElementType);
                    for (var i = array.RankSpecifiers.Count - 1; element is not null && i >= 0; i--)
                        element = compilation.CreateArrayTypeSymbol(element, array.RankSpecifiers[i].Rank);
                    return element;
                case NullableTypeSyntax nullable:
                    var underlying = Type(compilation, nullable.ElementType);
                    return underlying is { IsValueType: true }
                        ? compilation.GetSpecialType(SpecialType.System_Nullable_T).Construct(underlying)
                        : underlying;
                case NameSyntax name:
                    return NamespaceOrType(compilation, name) as ITypeSymbol;
                default:
                    return null; // tuples, pointers: not types the index lists
            }
        }

        private static INamespaceOrTypeSymbol? NamespaceOrType(Compilation compilation, NameSyntax name)
        {
            switch (name)
            {
                case AliasQualifiedNameSyntax global when global.Alias.Identifier.IsKind(SyntaxKind.GlobalKeyword):
                    return Member(compilation, compilation.GlobalNamespace, global.Name);
                case QualifiedNameSyntax qualified:
                    var left = NamespaceOrType(compilation, qualified.Left);
                    return left is null ? null : Member(compilation, left, qualified.Right);
                case SimpleNameSyntax simple:
                    return Member(compilation, compilation.GlobalNamespace, simple);
                default:
                    return null;
            }
        }

        private static INamespaceOrTypeSymbol? Member(Compilation compilation, INamespaceOrTypeSymbol container, SimpleNameSyntax name)
        {
            var identifier = name.Identifier.ValueText;
            var arguments = name is GenericNameSyntax generic ? generic.TypeArgumentList.Arguments : default;
            var arity = arguments.Count;
            INamedTypeSymbol? found = null;
            foreach (var member in container.GetMembers(identifier))
            {
                if (member is INamespaceSymbol ns && arity == 0)
                    return ns;
                if (member is INamedTypeSymbol type && type.Arity == arity)
                {
                    // A type of this compilation wins over one of a reference with the same name, as in C#.
                    if (found is null || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
                        found = type;
                }
            }
            if (found is null || arity == 0)
                return found;

            var typeArguments = ImmutableArray.CreateBuilder<ITypeSymbol>(arity);
            foreach (var argument in arguments)
            {
                var resolved = Type(compilation, argument);
                if (resolved is null)
                    return null;
                typeArguments.Add(resolved);
            }
            return found.Construct(typeArguments.ToArray());
        }

        private static ITypeSymbol? Predefined(Compilation compilation, SyntaxKind keyword)
        {
            var special = keyword switch
            {
                SyntaxKind.BoolKeyword => SpecialType.System_Boolean,
                SyntaxKind.ByteKeyword => SpecialType.System_Byte,
                SyntaxKind.SByteKeyword => SpecialType.System_SByte,
                SyntaxKind.ShortKeyword => SpecialType.System_Int16,
                SyntaxKind.UShortKeyword => SpecialType.System_UInt16,
                SyntaxKind.IntKeyword => SpecialType.System_Int32,
                SyntaxKind.UIntKeyword => SpecialType.System_UInt32,
                SyntaxKind.LongKeyword => SpecialType.System_Int64,
                SyntaxKind.ULongKeyword => SpecialType.System_UInt64,
                SyntaxKind.FloatKeyword => SpecialType.System_Single,
                SyntaxKind.DoubleKeyword => SpecialType.System_Double,
                SyntaxKind.DecimalKeyword => SpecialType.System_Decimal,
                SyntaxKind.CharKeyword => SpecialType.System_Char,
                SyntaxKind.StringKeyword => SpecialType.System_String,
                SyntaxKind.ObjectKeyword => SpecialType.System_Object,
                _ => SpecialType.None,
            };
            return special == SpecialType.None ? null : compilation.GetSpecialType(special);
        }
    }
}
