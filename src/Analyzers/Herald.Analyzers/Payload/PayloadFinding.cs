using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Payload
{
    /// <summary>
    /// One problem found in a value or a member, relative to where the walk started: <see cref="Path"/> holds
    /// member names and <c>[]</c> for "an element of the collection".
    /// </summary>
    internal sealed class PayloadFinding
    {
        public const string ElementSegment = "[]";

        public PayloadFinding(PayloadProblem problem, ImmutableArray<string> path, ISymbol? leaf, string detail, MutableKind mutableKind = MutableKind.None, string? readOnlyReplacement = null)
        {
            Problem = problem;
            Path = path;
            Leaf = leaf;
            Detail = detail;
            MutableKind = mutableKind;
            ReadOnlyReplacement = readOnlyReplacement;
        }

        public PayloadProblem Problem { get; }

        public ImmutableArray<string> Path { get; }

        /// <summary>The member whose declaration holds the problem; null while the problem is the value itself.</summary>
        public ISymbol? Leaf { get; }

        /// <summary>The offending type as written (HER0001, HER0002, HER0009) or the reason (HER0003, HER0004).</summary>
        public string Detail { get; }

        public MutableKind MutableKind { get; }

        /// <summary>For a mutable collection that is the leaf's own type: the read-only interface that could replace it.</summary>
        public string? ReadOnlyReplacement { get; }

        /// <summary>This finding seen from a member holding the value: the member's name goes in front of the path.</summary>
        public PayloadFinding Through(ISymbol member)
            => new(Problem, Path.Insert(0, member.Name), Leaf ?? member, Detail, MutableKind, ReadOnlyReplacement);

        /// <summary>
        /// This finding seen from a collection holding the value as an element. A replacement for the element's own
        /// collection type would not fit the member that declares the outer collection, so it is dropped.
        /// </summary>
        public PayloadFinding ThroughElement()
            => new(Problem, Path.Insert(0, ElementSegment), Leaf, Detail, MutableKind, Leaf is null ? null : ReadOnlyReplacement);

        /// <summary>The path as the messages show it: <c>File.Content</c>, <c>Files[].Content</c>; a trailing <c>[]</c> is left out.</summary>
        public string RenderPath()
        {
            var builder = new System.Text.StringBuilder();
            var end = Path.Length;
            while (end > 0 && Path[end - 1] == ElementSegment)
                end--;
            for (var i = 0; i < end; i++)
            {
                if (Path[i] != ElementSegment && i > 0)
                    builder.Append('.');
                builder.Append(Path[i]);
            }
            return builder.ToString();
        }
    }
}
