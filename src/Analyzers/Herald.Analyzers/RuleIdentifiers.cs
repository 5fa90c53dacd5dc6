namespace Herald.Analyzers
{
    /// <summary>
    /// Every diagnostic ID Herald reports, in one place. IDs are fixed once shipped; HER0001 to HER0005 are
    /// reserved for the payload and handler rules of ../docs/rules (see DESIGN.md, "Diagnostics").
    /// </summary>
    internal static class RuleIdentifiers
    {
        /// <summary>Synchronous <c>Publish</c> of an event that has asynchronous inline handlers.</summary>
        public const string SyncPublishOfAsyncEvent = "HER0006";
    }
}
