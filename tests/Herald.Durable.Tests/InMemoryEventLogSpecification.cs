using Herald.Durable.Specification;

namespace Herald.Durable.Tests;

/// <summary>The durable log contract on <see cref="InMemoryEventLog"/>.</summary>
public sealed class InMemoryEventLogSpecification : EventLogSpecification
{
    protected override ValueTask<IEventLog> CreateLogAsync(int partitions) => ValueTask.FromResult<IEventLog>(new InMemoryEventLog(partitions));
}
