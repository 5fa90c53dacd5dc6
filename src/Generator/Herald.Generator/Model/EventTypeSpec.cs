using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>An event type, as the emitter needs it: names only, no symbols.</summary>
    /// <param name="TypeName">Fully qualified, with <c>global::</c>: usable in generated code.</param>
    /// <param name="DisplayName">Without <c>global::</c>, for messages and docs.</param>
    /// <param name="AssignableTo">The names (as <paramref name="TypeName"/>) of every type a value of this type
    /// converts to by reference or boxing: itself, its base classes and its interfaces. A handler of any of them
    /// receives this event.</param>
    /// <param name="IsExact">Sealed class or value type: its runtime type is always its static type.</param>
    /// <param name="IsValueType">A struct or enum.</param>
    /// <param name="IsPublic">Visible outside its assembly, so a referencing assembly can name it.</param>
    /// <param name="Durable">Its <c>[Event]</c> (read from the type, in this compilation or a referenced one); null
    /// when it has none: then it is dispatched inline only.</param>
    internal sealed record EventTypeSpec(
        string TypeName,
        string DisplayName,
        EquatableArray<string> AssignableTo,
        bool IsExact,
        bool IsValueType,
        bool IsPublic,
        DurableInfo? Durable);
}
