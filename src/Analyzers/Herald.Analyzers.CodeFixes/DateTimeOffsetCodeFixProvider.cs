using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>
    /// HER0002: changes <c>DateTime</c> to <c>DateTimeOffset</c> in the declared type of the member that holds it
    /// (<c>DateTime?</c>, <c>List&lt;DateTime&gt;</c> …), where the project still compiles afterwards.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DateTimeOffsetCodeFixProvider)), Shared]
    public sealed class DateTimeOffsetCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Use DateTimeOffset";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DateTimeMember);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var solution = await FixAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (solution is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, _ => Task.FromResult(solution), equivalenceKey: RuleIdentifiers.DateTimeMember),
                        diagnostic);
                }
            }
        }

        private static async Task<Solution?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var leaf = await LeafDeclaration.FindAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            if (leaf?.Type is null)
                return null;
            var model = await leaf.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
                return null;

            // Only names that bind to System.DateTime itself: an alias would need its own using changed.
            var names = leaf.Type.DescendantNodesAndSelf()
                .OfType<IdentifierNameSyntax>()
                .Where(name => name.Identifier.ValueText == "DateTime"
                               && model.GetSymbolInfo(name, cancellationToken).Symbol is ITypeSymbol { SpecialType: SpecialType.System_DateTime }
                               && model.GetAliasInfo(name, cancellationToken) is null)
                .ToArray();
            if (names.Length == 0)
                return null;

            var newType = leaf.Type.ReplaceNodes(names, (original, _) =>
                original.WithIdentifier(SyntaxFactory.Identifier(original.Identifier.LeadingTrivia, "DateTimeOffset", original.Identifier.TrailingTrivia)));
            var solution = leaf.Replace(leaf.Type, newType);
            return await CompilationCheck.KeepsCompilingAsync(leaf.Document.Project, solution, cancellationToken).ConfigureAwait(false)
                ? solution
                : null;
        }
    }
}
