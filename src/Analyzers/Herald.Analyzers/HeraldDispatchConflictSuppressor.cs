using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers
{
    /// <summary>
    /// Suppresses CS0436 where it names <c>Herald.HeraldDispatch</c>. Every assembly with handlers gets its own internal
    /// <c>HeraldDispatch</c>; an assembly that also sees another's internals (InternalsVisibleTo, as a test project
    /// does) is warned that its own class wins over the imported one. Its own is the right one: the warning says
    /// nothing the user must act on, and under warnings-as-errors it would break the build.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HeraldDispatchConflictSuppressor : DiagnosticSuppressor
    {
        private static readonly SuppressionDescriptor Rule = new(
            id: "HERSPR0001",
            suppressedDiagnosticId: "CS0436",
            justification: "Each assembly's generated Herald.HeraldDispatch is meant to take precedence over one seen through InternalsVisibleTo.");

        /// <inheritdoc />
        public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(Rule);

        /// <inheritdoc />
        public override void ReportSuppressions(SuppressionAnalysisContext context)
        {
            foreach (var diagnostic in context.ReportedDiagnostics)
            {
                var tree = diagnostic.Location.SourceTree;
                if (tree is null)
                    continue;
                var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var model = context.GetSemanticModel(tree);
                var symbol = model.GetSymbolInfo(node, context.CancellationToken).Symbol
                    ?? model.GetTypeInfo(node, context.CancellationToken).Type;
                if (symbol is INamedTypeSymbol { Name: "HeraldDispatch", ContainingNamespace: { Name: "Herald", ContainingNamespace.IsGlobalNamespace: true } })
                    context.ReportSuppression(Suppression.Create(Rule, diagnostic));
            }
        }
    }
}
