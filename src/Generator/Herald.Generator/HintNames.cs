namespace Herald.Generator
{
    /// <summary>
    /// The names of the generated files, one per concern, so that an edit regenerates only the files whose models it
    /// changed (the IDE and the compiler compare each file's output on its own).
    /// </summary>
    public static class HintNames
    {
        /// <summary>The dispatch table: the module, its dispatchers and the typed path.</summary>
        public const string DispatchTable = "Herald.DispatchTable.g.cs";

        /// <summary>The durable event types and the JSON of their payloads (only when the assembly declares <c>[Event]</c> types).</summary>
        public const string DurableJson = "Herald.DurableJson.g.cs";

        /// <summary>The interceptors of the assembly's publish sites.</summary>
        public const string Interceptors = "Herald.Interceptors.g.cs";

        /// <summary>The event index for the analyzers: what the compilation handles, publishes and declares, in comments only.</summary>
        public const string EventIndex = Herald.CodeAnalysis.EventIndex.HintName;
    }
}
