using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>How a type is written to and read from a durable event's JSON payload.</summary>
    internal enum JsonKind
    {
        String,
        Boolean,
        Byte,
        SByte,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
        Single,
        Double,
        Decimal,
        Char,
        Guid,
        DateTimeOffset,
        DateTime,
        TimeSpan,
        DateOnly,
        TimeOnly,
        Uri,

        /// <summary><c>byte[]</c>, as a base64 string.</summary>
        Bytes,

        /// <summary>An enum, as the name of its value.</summary>
        Enum,

        /// <summary><c>Nullable&lt;T&gt;</c> of a supported value type.</summary>
        Nullable,

        /// <summary>A class, record or struct, as a JSON object of its members.</summary>
        Object,

        /// <summary><c>T[]</c>.</summary>
        Array,

        /// <summary><c>List&lt;T&gt;</c> or an interface that <c>List&lt;T&gt;</c> implements (read as a <c>List&lt;T&gt;</c>).</summary>
        List,

        /// <summary><c>HashSet&lt;T&gt;</c>.</summary>
        HashSet,

        /// <summary><c>Dictionary&lt;string, T&gt;</c> or an interface of it (read as a <c>Dictionary&lt;string, T&gt;</c>).</summary>
        Dictionary,
    }

    /// <summary>
    /// One type of a durable payload. Types refer to each other by <see cref="TypeName"/>, so that recursive types
    /// are plain data and the types of several events merge into one set of helpers.
    /// </summary>
    /// <param name="TypeName">Fully qualified with <c>global::</c>, without nullable reference annotations: the key.</param>
    /// <param name="DisplayName">For messages.</param>
    /// <param name="Kind">How it is written.</param>
    /// <param name="IsValueType">A struct, enum or primitive value type.</param>
    /// <param name="ElementTypeName">The element (collections), value (dictionaries) or underlying type (nullable).</param>
    /// <param name="EnumUnderlying">The underlying <see cref="JsonKind"/> of an enum.</param>
    /// <param name="EnumMembers">The names of an enum.</param>
    /// <param name="Members">The members of an object, in the order they are written.</param>
    /// <param name="Construction">How an object is created when read; null for other kinds and for objects that
    /// cannot be created (reading them throws).</param>
    internal sealed record JsonTypeSpec(
        string TypeName,
        string DisplayName,
        JsonKind Kind,
        bool IsValueType,
        string ElementTypeName,
        JsonKind EnumUnderlying,
        EquatableArray<EnumMemberSpec> EnumMembers,
        EquatableArray<JsonMemberSpec> Members,
        ConstructionSpec? Construction);

    /// <summary>A named value of an enum.</summary>
    /// <param name="Name">The member's name: its JSON text.</param>
    /// <param name="Writes">Whether this name is written for its value (the first of names that share a value).</param>
    internal sealed record EnumMemberSpec(string Name, bool Writes);

    /// <summary>How a member's value gets into the object when it is read.</summary>
    internal enum MemberAssignment
    {
        /// <summary>Written only (a get-only property that no constructor parameter sets).</summary>
        None,

        /// <summary>A constructor parameter.</summary>
        Constructor,

        /// <summary>In the object initializer (an <c>init</c> or <c>required</c> member): always set.</summary>
        Initializer,

        /// <summary>A settable property or field, assigned after construction when the payload has it.</summary>
        Setter,
    }

    /// <summary>A member of an object.</summary>
    /// <param name="Name">As generated code names it (keywords escaped).</param>
    /// <param name="JsonName">The camelCase JSON property name.</param>
    /// <param name="TypeName">Its type's key in the payload's types.</param>
    /// <param name="Assignment">How a read value gets into the object.</param>
    /// <param name="AlsoInitialize">A required member that is also a constructor parameter of a constructor that
    /// does not set required members: set in the initializer too.</param>
    internal sealed record JsonMemberSpec(
        string Name,
        string JsonName,
        string TypeName,
        MemberAssignment Assignment,
        bool AlsoInitialize);

    /// <summary>The constructor an object is read with, and the members it must set that the payload cannot give.</summary>
    /// <param name="Parameters">The constructor's parameters in order.</param>
    /// <param name="DefaultInitializers">Required members that the payload does not carry (their type is not
    /// supported), set to <c>default</c> so that the object initializer compiles.</param>
    internal sealed record ConstructionSpec(
        EquatableArray<ParameterSpec> Parameters,
        EquatableArray<string> DefaultInitializers);

    /// <summary>A constructor parameter.</summary>
    /// <param name="MemberJsonName">The JSON name of the member it sets; empty when that member is not in the payload.</param>
    /// <param name="DefaultValue">Its default value as C#, used when the payload lacks the member; <c>default</c>
    /// when it has none.</param>
    internal sealed record ParameterSpec(string MemberJsonName, string DefaultValue);
}
