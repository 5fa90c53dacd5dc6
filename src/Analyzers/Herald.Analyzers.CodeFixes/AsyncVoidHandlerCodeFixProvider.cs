using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>HER0005 on an <c>async void</c> handler: makes it return <c>Task</c>, where the project still compiles.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidHandlerCodeFixProvider)), Shared]
    public sealed class AsyncVoidHandlerCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Return Task instead of async void";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InvalidHandler);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.HandlerRejection, out var rejection)
                    || rejection != nameof(HandlerRejection.AsyncVoid))
                    continue;
                var document = await FixAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (document is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, _ => Task.FromResult(document), equivalenceKey: nameof(HandlerRejection.AsyncVoid)),
                        diagnostic);
                }
            }
        }

        private static async Task<Document?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method
                || method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } returnType)
                return null;

            var task = TypeNames.Qualified("System.Threading.Tasks.Task").WithTriviaFrom(returnType);
            var changed = await TypeNames.CleanUpAsync(document.WithSyntaxRoot(root.ReplaceNode(returnType, task)), cancellationToken).ConfigureAwait(false);
            return await CompilationCheck.KeepsCompilingAsync(document.Project, changed.Project.Solution, cancellationToken).ConfigureAwait(false)
                ? changed
                : null;
        }
    }
}
