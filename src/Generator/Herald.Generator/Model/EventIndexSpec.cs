using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>What the event index lists (see <see cref="EventIndex"/>): names only, so that it caches.</summary>
    /// <param name="Events">The handled and published event types, by type name.</param>
    internal sealed record EventIndexSpec(EquatableArray<IndexedEventSpec> Events);

    /// <summary>An event type that a handler of the compilation receives or its code publishes.</summary>
    /// <param name="TypeName">As <see cref="EventTypeSpec.TypeName"/>.</param>
    /// <param name="ConvertsTo">Its base classes and interfaces, as <see cref="EventTypeSpec.AssignableTo"/> lists them after itself.</param>
    /// <param name="Handlers">The handlers whose parameter is this type, in source order.</param>
    /// <param name="IsPublished">Whether a publish site of the compilation has this static type.</param>
    internal sealed record IndexedEventSpec(
        string TypeName,
        EquatableArray<string> ConvertsTo,
        EquatableArray<IndexedHandlerSpec> Handlers,
        bool IsPublished);

    /// <summary>A handler of an indexed event.</summary>
    internal sealed record IndexedHandlerSpec(IndexedHandlerKind Kind, string DisplayName);
}
