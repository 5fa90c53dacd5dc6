namespace Herald;

/// <summary>
/// Marks the member of a durable event whose value is the event's partition key: durable consumers receive the
/// events of one key in the order they were appended. An event without one has no key (all its events are still
/// delivered in log order by one consumer).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class PartitionKeyAttribute : Attribute
{
}
