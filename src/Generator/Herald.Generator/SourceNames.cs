using Microsoft.CodeAnalysis.CSharp;

namespace Herald.Generator
{
    /// <summary>Names as they must be written in generated C#.</summary>
    internal static class SourceNames
    {
        /// <summary>Prefixes <c>@</c> to a reserved keyword (a method named <c>@event</c> is written <c>@event</c>).</summary>
        public static string Escape(string identifier)
            => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;
    }
}
