using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Herald.Analyzers.Payload;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>
    /// HER0004: <c>set</c> becomes <c>init</c>, a public field becomes <c>readonly</c>, a positional record struct
    /// becomes <c>readonly</c>, and <c>List&lt;T&gt;</c>, arrays, <c>Dictionary&lt;K,V&gt;</c>, <c>HashSet&lt;T&gt;</c> and
    /// their mutable interfaces become the matching read-only interface; each only where the project still compiles.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MutableEventCodeFixProvider)), Shared]
    public sealed class MutableEventCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MutableEvent);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.MutableKind, out var kindName)
                    || !System.Enum.TryParse<MutableKind>(kindName, out var kind))
                    continue;
                var leaf = await LeafDeclaration.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (leaf is null)
                    continue;

                var (title, solution) = kind switch
                {
                    MutableKind.Setter => ("Use 'init' instead of 'set'", SetterToInit(leaf)),
                    MutableKind.Field => ("Make the field readonly", ReadonlyField(leaf)),
                    MutableKind.RecordStructProperty => ("Make the record struct readonly", ReadonlyRecordStruct(leaf)),
                    MutableKind.Collection => await ReadOnlyCollectionAsync(leaf, diagnostic, context.CancellationToken).ConfigureAwait(false),
                    _ => (string.Empty, null),
                };
                if (solution is null
                    || !await CompilationCheck.KeepsCompilingAsync(leaf.Document.Project, solution, context.CancellationToken).ConfigureAwait(false))
                    continue;
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(solution), equivalenceKey: RuleIdentifiers.MutableEvent),
                    diagnostic);
            }
        }

        private static Solution? SetterToInit(LeafDeclaration leaf)
        {
            if (leaf.Declaration is not PropertyDeclarationSyntax property)
                return null;
            var setter = property.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.SetAccessorDeclaration));
            if (setter is null || setter.Modifiers.Count > 0)
                return null;
            var init = SyntaxFactory.AccessorDeclaration(SyntaxKind.InitAccessorDeclaration, setter.AttributeLists, setter.Modifiers,
                    SyntaxFactory.Token(setter.Keyword.LeadingTrivia, SyntaxKind.InitKeyword, setter.Keyword.TrailingTrivia),
                    setter.Body, setter.ExpressionBody, setter.SemicolonToken);
            return leaf.Replace(setter, init);
        }

        private static Solution? ReadonlyField(LeafDeclaration leaf)
        {
            if (leaf.Declaration.Parent?.Parent is not FieldDeclarationSyntax field)
                return null;
            return leaf.Replace(field, field.WithModifiers(Insert(field.Modifiers, SyntaxKind.ReadOnlyKeyword)));
        }

        private static Solution? ReadonlyRecordStruct(LeafDeclaration leaf)
        {
            var record = leaf.Declaration.FirstAncestorOrSelf<RecordDeclarationSyntax>();
            if (record is null || !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword))
                return null;
            if (record.Modifiers.Count == 0)
            {
                // No modifier to follow: readonly takes over the record keyword's leading trivia (indentation, comments).
                var keyword = record.Keyword;
                var readonlyToken = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.ReadOnlyKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                return leaf.Replace(record, record
                    .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                    .WithModifiers(SyntaxFactory.TokenList(readonlyToken)));
            }
            return leaf.Replace(record, record.WithModifiers(Insert(record.Modifiers, SyntaxKind.ReadOnlyKeyword)));
        }

        private static async Task<(string Title, Solution? Solution)> ReadOnlyCollectionAsync(LeafDeclaration leaf, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (leaf.Type is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.ReadOnlyReplacement, out var replacement)
                || replacement is null)
                return (string.Empty, null);

            var declared = leaf.Type is NullableTypeSyntax nullable ? nullable.ElementType : leaf.Type;
            SeparatedSyntaxList<TypeSyntax> arguments;
            switch (declared)
            {
                case ArrayTypeSyntax { RankSpecifiers.Count: 1 } array when array.RankSpecifiers[0].Rank == 1:
                    arguments = SyntaxFactory.SingletonSeparatedList(array.ElementType.WithoutTrivia());
                    break;
                case GenericNameSyntax generic:
                    arguments = generic.TypeArgumentList.Arguments;
                    break;
                case QualifiedNameSyntax { Right: GenericNameSyntax generic }:
                    arguments = generic.TypeArgumentList.Arguments;
                    break;
                case AliasQualifiedNameSyntax { Name: GenericNameSyntax generic }:
                    arguments = generic.TypeArgumentList.Arguments;
                    break;
                default:
                    return (string.Empty, null);
            }

            var fullName = replacement!.Substring(0, replacement.IndexOf('`'));
            var arity = int.Parse(replacement.Substring(replacement.IndexOf('`') + 1), System.Globalization.CultureInfo.InvariantCulture);
            if (arguments.Count != arity)
                return (string.Empty, null);

            var readOnlyType = TypeNames.Qualified(fullName, arguments).WithTriviaFrom(declared);
            var newType = leaf.Type is NullableTypeSyntax outer ? outer.WithElementType(readOnlyType) : readOnlyType;
            var changed = leaf.Document.WithSyntaxRoot(leaf.Root.ReplaceNode(leaf.Type, newType));
            changed = await TypeNames.CleanUpAsync(changed, cancellationToken).ConfigureAwait(false);

            var shortName = fullName.Substring(fullName.LastIndexOf('.') + 1);
            return ($"Use {shortName}<{string.Join(", ", arguments.Select(a => a.ToString()))}>", changed.Project.Solution);
        }

        /// <summary><paramref name="modifiers"/> with <paramref name="kind"/> added before <c>partial</c> (which must come last), or at the end.</summary>
        private static SyntaxTokenList Insert(SyntaxTokenList modifiers, SyntaxKind kind)
        {
            var token = SyntaxFactory.Token(kind).WithTrailingTrivia(SyntaxFactory.Space);
            var partial = modifiers.IndexOf(SyntaxKind.PartialKeyword);
            if (partial >= 0)
                return modifiers.Insert(partial, token);
            var last = modifiers.Last();
            return modifiers.Replace(last, last.WithTrailingTrivia(SyntaxFactory.Space)).Add(token.WithTrailingTrivia(last.TrailingTrivia));
        }
    }
}
