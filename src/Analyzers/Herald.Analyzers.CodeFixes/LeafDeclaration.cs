using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>
    /// The declaration a payload diagnostic wants changed: the member named by its first additional location, which
    /// may be in another document than the diagnostic (a member of a record nested in the event), or else the
    /// member the diagnostic is reported on.
    /// </summary>
    internal sealed class LeafDeclaration
    {
        private LeafDeclaration(Document document, SyntaxNode root, SyntaxNode declaration, TypeSyntax? type)
        {
            Document = document;
            Root = root;
            Declaration = declaration;
            Type = type;
        }

        public Document Document { get; }

        public SyntaxNode Root { get; }

        /// <summary>A <see cref="PropertyDeclarationSyntax"/>, a positional record's <see cref="ParameterSyntax"/> or a field's <see cref="VariableDeclaratorSyntax"/>.</summary>
        public SyntaxNode Declaration { get; }

        /// <summary>The member's declared type as written.</summary>
        public TypeSyntax? Type { get; }

        public static async Task<LeafDeclaration?> FindAsync(Document diagnosticDocument, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var location = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0] : diagnostic.Location;
            if (!location.IsInSource || location.SourceTree is null)
                return null;
            var document = diagnosticDocument.Project.Solution.GetDocument(location.SourceTree);
            if (document is null)
                return null;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
                return null;

            var node = root.FindToken(location.SourceSpan.Start).Parent;
            return node switch
            {
                PropertyDeclarationSyntax property => new LeafDeclaration(document, root, property, property.Type),
                ParameterSyntax parameter => new LeafDeclaration(document, root, parameter, parameter.Type),
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax variables } declarator => new LeafDeclaration(document, root, declarator, variables.Type),
                _ => null,
            };
        }

        /// <summary>The solution with <paramref name="newNode"/> in place of <paramref name="oldNode"/> in this document.</summary>
        public Solution Replace(SyntaxNode oldNode, SyntaxNode newNode)
            => Document.Project.Solution.WithDocumentSyntaxRoot(Document.Id, Root.ReplaceNode(oldNode, newNode));
    }
}
