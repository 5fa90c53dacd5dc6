using System.ComponentModel;
using System.Text.Json;

namespace Herald.Infrastructure;

/// <summary>
/// A durable event type as the generator describes it: its wire name and version and its generated, reflection-free
/// JSON (de)serialization. Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DurableEventType
{
    /// <summary>Creates the description.</summary>
    protected DurableEventType(string name, int version, Durability durability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Version = version;
        Durability = durability;
    }

    /// <summary>The wire name, from <see cref="EventAttribute.Name"/>.</summary>
    public string Name { get; }

    /// <summary>The payload's schema version, from <see cref="EventAttribute.Version"/>.</summary>
    public int Version { get; }

    /// <summary>When a publish of this event returns, from <see cref="EventAttribute.Durability"/>.</summary>
    public Durability Durability { get; }

    /// <summary>The CLR type.</summary>
    public abstract Type ClrType { get; }

    /// <summary>Reads a payload written by this type's serializer; throws <see cref="JsonException"/> when it cannot.</summary>
    public abstract object Deserialize(ReadOnlySpan<byte> utf8Json);

    internal abstract void Install();
}

/// <summary>The generated description of durable event type <typeparamref name="TEvent"/>.</summary>
/// <typeparam name="TEvent">The event type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DurableEventType<TEvent> : DurableEventType
{
    /// <summary>Creates the description.</summary>
    protected DurableEventType(string name, int version, Durability durability)
        : base(name, version, durability)
    {
    }

    /// <inheritdoc />
    public sealed override Type ClrType => typeof(TEvent);

    /// <summary>Writes <paramref name="value"/> as one JSON value.</summary>
    public abstract void Write(Utf8JsonWriter writer, TEvent value);

    /// <summary>Reads one JSON value; the reader is positioned on its first token.</summary>
    public abstract TEvent Read(ref Utf8JsonReader reader);

    /// <summary>The value of the member marked <see cref="PartitionKeyAttribute"/>; null when there is none.</summary>
    public virtual string? GetPartitionKey(TEvent value) => null;

    internal sealed override void Install() => DurableSlot<TEvent>.Type = this;

    /// <inheritdoc />
    public sealed override object Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read())
            throw new JsonException($"The payload of '{Name}' is empty.");
        var value = Read(ref reader);
        if (reader.Read())
            throw new JsonException($"The payload of '{Name}' has content after its JSON value.");
        return value ?? throw new JsonException($"The payload of '{Name}' is null.");
    }
}
