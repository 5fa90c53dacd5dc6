namespace Herald.Analyzers
{
    /// <summary>
    /// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that the code fixes read. A payload
    /// diagnostic whose problem sits in a member of a nested type carries that member's declaration as its first
    /// additional location; otherwise the reported member itself is the one to change.
    /// </summary>
    internal static class DiagnosticProperties
    {
        /// <summary>HER0004: a <see cref="Payload.MutableKind"/> name.</summary>
        public const string MutableKind = "MutableKind";

        /// <summary>HER0004: metadata name of the read-only collection interface that can replace the member's type.</summary>
        public const string ReadOnlyReplacement = "ReadOnlyReplacement";

        /// <summary>HER0005: a <see cref="Herald.CodeAnalysis.HandlerRejection"/> name.</summary>
        public const string HandlerRejection = "HandlerRejection";
    }
}
