using Microsoft.CodeAnalysis;

namespace Herald.Analyzers
{
    /// <summary>The descriptors of every Herald diagnostic.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string HelpLinkBase = "https://github.com/herald-events/herald/blob/main/docs/rules/";

        public static readonly DiagnosticDescriptor SyncPublishOfAsyncEvent = new(
            RuleIdentifiers.SyncPublishOfAsyncEvent,
            title: "Synchronous Publish of an event that has asynchronous handlers",
            messageFormat: "'{0}' has asynchronous inline handlers ({1}): Publish cannot run them without blocking; use 'await bus.PublishAsync(...)'",
            category: "Usage",
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "IEventBus.Publish runs handlers synchronously. An event with a Task or ValueTask handler must be published with PublishAsync, otherwise the publisher would block on the handler (sync over async).",
            helpLinkUri: HelpLinkBase + RuleIdentifiers.SyncPublishOfAsyncEvent + ".md",
            customTags: WellKnownDiagnosticTags.CompilationEnd);
    }
}
