namespace Herald;

/// <summary>
/// Gives an event type its stable wire name. Durable events need one: the name, not the CLR type name,
/// is what the log stores, so types can be renamed or moved without breaking stored events.
/// </summary>
/// <param name="name">The stable name, for example <c>"orders.created"</c>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class EventAttribute(string name) : Attribute
{
    /// <summary>The stable wire name of the event.</summary>
    public string Name { get; } = name;

    /// <summary>The payload's schema version; raise it when the payload changes shape. Default 1.</summary>
    public int Version { get; set; } = 1;

    /// <summary>
    /// When <c>PublishAsync</c> of this event returns: once the event is committed to the log
    /// (<see cref="Herald.Durability.Persisted"/>, the default) or once it is queued for the log writer
    /// (<see cref="Herald.Durability.Buffered"/>).
    /// </summary>
    public Durability Durability { get; set; } = Durability.Persisted;
}
