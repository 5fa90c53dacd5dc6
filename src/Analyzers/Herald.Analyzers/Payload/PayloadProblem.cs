namespace Herald.Analyzers.Payload
{
    /// <summary>What is wrong with a value an event carries; each problem is one rule.</summary>
    internal enum PayloadProblem
    {
        /// <summary>HER0001.</summary>
        RawBinary,

        /// <summary>HER0002.</summary>
        DateTime,

        /// <summary>HER0003.</summary>
        NotSerializable,

        /// <summary>HER0004.</summary>
        Mutable,

        /// <summary>HER0009.</summary>
        Decimal,
    }

    /// <summary>Why an event member is mutable; tells the HER0004 code fix what to change.</summary>
    internal enum MutableKind
    {
        None,

        /// <summary>A public <c>set</c> accessor: becomes <c>init</c>.</summary>
        Setter,

        /// <summary>A public field that is not <c>readonly</c>: becomes <c>readonly</c>.</summary>
        Field,

        /// <summary>A property of a positional <c>record struct</c>: the record struct becomes <c>readonly</c>.</summary>
        RecordStructProperty,

        /// <summary>A collection that can be changed after publishing: becomes a read-only interface where one fits.</summary>
        Collection,
    }
}
