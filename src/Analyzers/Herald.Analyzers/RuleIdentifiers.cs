namespace Herald.Analyzers
{
    /// <summary>Every diagnostic ID Herald reports, in one place. IDs are fixed once shipped; never reuse one.</summary>
    internal static class RuleIdentifiers
    {
        /// <summary>An event member is raw binary (<c>byte[]</c>, <c>Stream</c>, <c>Memory&lt;byte&gt;</c> …).</summary>
        public const string RawBinaryMember = "HER0001";

        /// <summary>An event member is <c>DateTime</c>, whose kind is lost on the wire.</summary>
        public const string DateTimeMember = "HER0002";

        /// <summary>An event member's type cannot be serialized.</summary>
        public const string NotSerializableMember = "HER0003";

        /// <summary>An event can be changed after it is published.</summary>
        public const string MutableEvent = "HER0004";

        /// <summary>A <c>[Subscribe]</c> method Herald cannot call.</summary>
        public const string InvalidHandler = "HER0005";

        /// <summary>Synchronous <c>Publish</c> of an event that has asynchronous inline handlers.</summary>
        public const string SyncPublishOfAsyncEvent = "HER0006";

        /// <summary>A durable event without an <c>[Event]</c> name, or two event types with one name.</summary>
        public const string EventName = "HER0007";

        /// <summary>An event is published but no handler in the compilation receives it.</summary>
        public const string UnhandledEvent = "HER0008";

        /// <summary>A durable event carries a <c>decimal</c>.</summary>
        public const string DecimalOnDurableEvent = "HER0009";
    }
}
