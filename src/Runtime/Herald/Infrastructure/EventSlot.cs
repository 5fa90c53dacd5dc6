using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// The per-event-type slot that <see cref="IEventBus"/> jumps through. Filled by generated code through
/// <see cref="HeraldRegistry"/>; shared by every bus in the process, so it holds dispatch code only, never
/// handler instances. Infrastructure for generated code; not meant to be used directly.
/// </summary>
/// <typeparam name="TEvent">The event type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "A static slot per closed generic type is the point: it is how dispatch avoids a lookup.")]
public static class EventSlot<TEvent>
{
    /// <summary>The dispatcher of <typeparamref name="TEvent"/>, or null when no generated table listed it.</summary>
    public static EventDispatcher<TEvent>? Dispatcher { get; internal set; }
}
