using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.CodeFixes
{
    /// <summary>
    /// Offers a fix only where it keeps the project compiling: a type or accessor change is safe only if no code of
    /// the project relied on what it removes (a setter called, a List method used, a DateTime assigned back).
    /// </summary>
    internal static class CompilationCheck
    {
        private static readonly ConditionalWeakTable<Compilation, StrongBox<int>> s_errorCounts = new();

        public static async Task<bool> KeepsCompilingAsync(Project before, Solution after, CancellationToken cancellationToken)
        {
            var afterProject = after.GetProject(before.Id);
            var oldCompilation = await before.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var newCompilation = afterProject is null ? null : await afterProject.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (oldCompilation is null || newCompilation is null)
                return false;
            return ErrorCount(newCompilation, cancellationToken) <= ErrorCount(oldCompilation, cancellationToken);
        }

        private static int ErrorCount(Compilation compilation, CancellationToken cancellationToken)
        {
            if (s_errorCounts.TryGetValue(compilation, out var known))
                return known.Value;
            var count = compilation.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
            return s_errorCounts.GetValue(compilation, _ => new StrongBox<int>(count)).Value;
        }
    }
}
