using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>
    /// Type names written by the fixes: fully qualified and annotated, then reduced to what the file's usings allow
    /// (adding a using where one is missing), so a fix reads like code a person wrote.
    /// </summary>
    internal static class TypeNames
    {
        /// <summary><c>global::</c><paramref name="fullName"/>, optionally with type arguments.</summary>
        public static TypeSyntax Qualified(string fullName, SeparatedSyntaxList<TypeSyntax>? typeArguments = null)
        {
            var lastDot = fullName.LastIndexOf('.');
            var ns = SyntaxFactory.ParseName("global::" + fullName.Substring(0, lastDot));
            SimpleNameSyntax name = typeArguments is null
                ? SyntaxFactory.IdentifierName(fullName.Substring(lastDot + 1))
                : SyntaxFactory.GenericName(SyntaxFactory.Identifier(fullName.Substring(lastDot + 1)), SyntaxFactory.TypeArgumentList(typeArguments.Value));
            return SyntaxFactory.QualifiedName(ns, name)
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);
        }

        public static async Task<Document> CleanUpAsync(Document document, CancellationToken cancellationToken)
        {
            document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
