using Microsoft.CodeAnalysis;

namespace Herald.Analyzers
{
    /// <summary>The descriptors of every Herald diagnostic.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string HelpLinkBase = "https://github.com/herald-events/herald/blob/main/docs/rules/";
        private const string Design = "Design";
        private const string Usage = "Usage";

        public static readonly DiagnosticDescriptor RawBinaryMember = new(
            RuleIdentifiers.RawBinaryMember,
            title: "Event member is raw binary",
            messageFormat: "'{0}' in '{1}' is raw binary ({2}): store the content elsewhere and pass a URL or an ID instead",
            category: Design,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Events are copied to every handler, written to the log as JSON and kept for the retention period. Binary content inflates every copy, hits the payload size limit and stays in the log long after it is needed; keep it in blob storage and pass a reference.",
            helpLinkUri: HelpLink(RuleIdentifiers.RawBinaryMember));

        public static readonly DiagnosticDescriptor DateTimeMember = new(
            RuleIdentifiers.DateTimeMember,
            title: "Event member is DateTime",
            messageFormat: "'{0}' in '{1}' has type {2}: a DateTime loses its Kind on the wire, so a consumer cannot tell UTC from local time; use DateTimeOffset",
            category: Design,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A DateTime read back from JSON or from another process has lost whether it was UTC, local or unspecified. DateTimeOffset carries its offset and compares correctly across machines.",
            helpLinkUri: HelpLink(RuleIdentifiers.DateTimeMember));

        public static readonly DiagnosticDescriptor NotSerializableMember = new(
            RuleIdentifiers.NotSerializableMember,
            title: "Event member cannot be serialized",
            messageFormat: "{0} cannot be serialized: {1}",
            category: Design,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A durable event is written to the log and read back by consumers, possibly in another process or after a restart. Herald's generated serializer carries records, classes and structs of the project, the common simple types and the common collections with string keys; delegates, types, pointers, tasks, tokens, exceptions, object, interfaces and abstract types, other framework types and other collections do not survive that trip. An error on durable events (an [Event] name or a Consumer handler), a warning on the others.",
            helpLinkUri: HelpLink(RuleIdentifiers.NotSerializableMember));

        public static readonly DiagnosticDescriptor MutableEvent = new(
            RuleIdentifiers.MutableEvent,
            title: "Event is mutable",
            messageFormat: "'{0}' in '{1}' is mutable: {2}",
            category: Design,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Every handler receives the same event instance, and the durable log keeps what was published. A handler that changes the event changes it under the handlers that run after it and makes the log disagree with what they saw.",
            helpLinkUri: HelpLink(RuleIdentifiers.MutableEvent));

        public static readonly DiagnosticDescriptor InvalidHandler = new(
            RuleIdentifiers.InvalidHandler,
            title: "Herald cannot call this handler",
            messageFormat: "'{0}' is not a valid handler, and Herald leaves it out: {1}",
            category: Usage,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A [Subscribe] method must be an ordinary, non-generic, internal or public method of a non-generic class that Herald can reach, take (TEvent e) or (TEvent e, CancellationToken ct), and return void, Task or ValueTask (async void is not allowed). The generator leaves out any other method, so it would never run.",
            helpLinkUri: HelpLink(RuleIdentifiers.InvalidHandler));

        public static readonly DiagnosticDescriptor SyncPublishOfAsyncEvent = new(
            RuleIdentifiers.SyncPublishOfAsyncEvent,
            title: "Synchronous Publish of an event that has asynchronous handlers",
            messageFormat: "'{0}' has asynchronous inline handlers ({1}): Publish cannot run them without blocking; use 'await bus.PublishAsync(...)'",
            category: Usage,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "IEventBus.Publish runs handlers synchronously. An event with a Task or ValueTask handler must be published with PublishAsync, otherwise the publisher would block on the handler (sync over async).",
            helpLinkUri: HelpLink(RuleIdentifiers.SyncPublishOfAsyncEvent));

        private const string EventNameTitle = "Durable event needs its own [Event] name";
        private const string EventNameDescription = "The durable log stores an event's [Event] name, not its CLR type name, so that types can be renamed or moved without breaking stored events. An event that a durable consumer receives needs a name, a generic type cannot have one (one name cannot say which closed type a stored event is), and two event types cannot share one: a consumer could not tell them apart.";

        /// <summary>HER0007 on what one declaration shows: reported from symbol actions.</summary>
        public static readonly DiagnosticDescriptor EventName = new(
            RuleIdentifiers.EventName,
            title: EventNameTitle,
            messageFormat: "'{0}' {1}",
            category: Usage,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: EventNameDescription,
            helpLinkUri: HelpLink(RuleIdentifiers.EventName));

        /// <summary>HER0007's "two types share one name", which only the whole compilation can tell: reported at its end.</summary>
        public static readonly DiagnosticDescriptor SharedEventName = new(
            RuleIdentifiers.EventName,
            title: EventNameTitle,
            messageFormat: "'{0}' {1}",
            category: Usage,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: EventNameDescription,
            helpLinkUri: HelpLink(RuleIdentifiers.EventName),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor UnhandledEvent = new(
            RuleIdentifiers.UnhandledEvent,
            title: "Event is published but handled nowhere",
            messageFormat: "No handler in this compilation or its references receives '{0}': this publish does nothing; add a [Subscribe] handler or remove the call",
            category: Usage,
            defaultSeverity: DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            description: "No [Subscribe] method of this compilation, and no handler exported by a referenced assembly built with Herald, receives the published event type or one of its base types or interfaces. A library that publishes events for its users to handle can turn this rule off.",
            helpLinkUri: HelpLink(RuleIdentifiers.UnhandledEvent),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor DecimalOnDurableEvent = new(
            RuleIdentifiers.DecimalOnDurableEvent,
            title: "Durable event carries a decimal",
            messageFormat: "'{0}' in durable event '{1}' has type {2}: consumers that read JSON numbers as double lose precision; consider a string or integer minor units (cents)",
            category: Design,
            defaultSeverity: DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            description: "System.Text.Json writes a decimal as a JSON number with all its digits, but many consumers (JavaScript, most JSON tools, double-based parsers) read JSON numbers as binary floating point and round them. Amounts survive as strings or as integer minor units.",
            helpLinkUri: HelpLink(RuleIdentifiers.DecimalOnDurableEvent));

        private static string HelpLink(string id) => HelpLinkBase + id + ".md";
    }
}
