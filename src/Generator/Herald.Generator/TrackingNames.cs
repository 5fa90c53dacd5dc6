namespace Herald.Generator
{
    /// <summary>
    /// Names of the generator's pipeline steps, public so that tests (and users investigating build
    /// performance) can check which steps were cached.
    /// </summary>
    public static class TrackingNames
    {
        /// <summary>Each <c>[Subscribe]</c> method read into a handler model.</summary>
        public const string Handlers = "Handlers";

        /// <summary>The handlers of the compilation, collected and sorted.</summary>
        public const string AllHandlers = "AllHandlers";

        /// <summary>Each <c>IEventBus.Publish</c>/<c>PublishAsync</c> call site's event type.</summary>
        public const string PublishSites = "PublishSites";

        /// <summary>The published event types, collected and de-duplicated.</summary>
        public const string PublishedEvents = "PublishedEvents";

        /// <summary>The publish sites that an interceptor can replace, by file and position.</summary>
        public const string InterceptableSites = "InterceptableSites";

        /// <summary>Whether the project lets Herald's namespace hold interceptors (<c>InterceptorsNamespaces</c>).</summary>
        public const string InterceptorsEnabled = "InterceptorsEnabled";

        /// <summary>Each type declared with <c>[Event]</c> read into a durable event model (wire name, JSON shape).</summary>
        public const string DurableEvents = "DurableEvents";

        /// <summary>The durable event types of the compilation, collected and sorted.</summary>
        public const string AllDurableEvents = "AllDurableEvents";

        /// <summary>The assembly name and the referenced assemblies' modules.</summary>
        public const string CompilationInfo = "CompilationInfo";

        /// <summary>The merged, ordered dispatch table: the emitter's input.</summary>
        public const string Table = "Table";

        /// <summary>The durable types and payload JSON of the table: the durable file's model.</summary>
        public const string DurableFile = "DurableFile";

        /// <summary>The interceptors of the publish sites whose event type the table dispatches: their emitter's input.</summary>
        public const string Interceptors = "Interceptors";

        /// <summary>The handled and published event types, for the analyzers' event index.</summary>
        public const string EventIndex = "EventIndex";
    }
}
