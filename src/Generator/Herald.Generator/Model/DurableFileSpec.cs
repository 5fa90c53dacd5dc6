using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>
    /// The durable file of a module: its <c>[Event]</c> types and the JSON types their payloads reach. Its own model, so
    /// that an edit of handlers (which changes the table) leaves this file cached, and an edit of a payload type
    /// regenerates this file only.
    /// </summary>
    /// <param name="AssemblyName">The assembly being compiled.</param>
    /// <param name="ModuleNamespace">Namespace of the generated module class (the file is its other part).</param>
    /// <param name="DurableEvents">The <c>[Event]</c> types declared in this assembly, by type name.</param>
    /// <param name="JsonTypes">Every type their payloads reach, by type name: one pair of JSON helpers each.</param>
    internal sealed record DurableFileSpec(
        string AssemblyName,
        string ModuleNamespace,
        EquatableArray<DurableEventEntry> DurableEvents,
        EquatableArray<JsonTypeSpec> JsonTypes);
}
