using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>The <c>[Event]</c> of an event type: what makes it durable.</summary>
    /// <param name="Name">The wire name.</param>
    /// <param name="Version">The payload's schema version.</param>
    /// <param name="Durability">The <c>Herald.Durability</c> member, as generated code writes it.</param>
    internal sealed record DurableInfo(string Name, int Version, string Durability);

    /// <summary>
    /// An event type declared in the compilation with an <c>[Event]</c> name: the generated
    /// <c>DurableEventType</c> writes and reads it with the JSON helpers of <paramref name="Types"/>.
    /// </summary>
    /// <param name="Event">The event type; its <see cref="EventTypeSpec.Durable"/> is set.</param>
    /// <param name="Types">Every type its payload reaches (the event type first), keyed by type name.</param>
    /// <param name="PartitionKey">The member marked <c>[PartitionKey]</c>; null when there is none.</param>
    internal sealed record DurableEventSpec(
        EventTypeSpec Event,
        EquatableArray<JsonTypeSpec> Types,
        PartitionKeySpec? PartitionKey);

    /// <summary>How the value of the member marked <c>[PartitionKey]</c> becomes a string.</summary>
    internal enum PartitionKeyFormat
    {
        /// <summary>A string: the value itself.</summary>
        String,

        /// <summary>A public <c>ToString(string, IFormatProvider)</c>, called with the invariant culture.</summary>
        Formattable,

        /// <summary><c>IFormattable</c> implemented explicitly only: called through the interface.</summary>
        ExplicitFormattable,

        /// <summary><c>ToString()</c>.</summary>
        Plain,
    }

    /// <summary>The member marked <c>[PartitionKey]</c>.</summary>
    /// <param name="MemberName">The member, as generated code names it.</param>
    /// <param name="Format">How its value becomes a string.</param>
    /// <param name="MayBeNull">A reference or nullable value type: null stays null.</param>
    internal sealed record PartitionKeySpec(string MemberName, PartitionKeyFormat Format, bool MayBeNull);
}
