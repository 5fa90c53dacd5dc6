using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// The generated description of durable event type <typeparamref name="TEvent"/>, filled by the module of the assembly
/// that declares it. Infrastructure for generated code.
/// </summary>
/// <typeparam name="TEvent">The event type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "A static slot per closed generic type replaces a lookup.")]
public static class DurableSlot<TEvent>
{
    /// <summary>The description; null until the declaring assembly's module registered it.</summary>
    public static DurableEventType<TEvent>? Type { get; internal set; }
}
