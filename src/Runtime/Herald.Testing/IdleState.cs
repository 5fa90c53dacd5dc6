using System.Globalization;
using System.Text;
using Herald.Durable;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Testing;

/// <summary>
/// One look at whether Herald is idle, for <see cref="HeraldTestHarness.WaitForIdleAsync"/>: what the writer still
/// holds, and every (consumer, partition) whose committed offset is not the partition's last position. Bounded: one
/// bounds query and one offsets query per consumer.
/// </summary>
internal sealed class IdleState
{
    private readonly List<string> _waitingFor = [];

    private IdleState()
    {
    }

    public bool IsIdle => _waitingFor.Count == 0;

    public bool ConsumersRunning { get; private set; } = true;

    public static async Task<IdleState> ReadAsync(HeraldTestHarness harness, CancellationToken cancellationToken)
    {
        var state = new IdleState();
        var awaiting = harness.AwaitingAppend;
        if (awaiting > 0)
            state._waitingFor.Add($"{awaiting} published durable event(s) not yet appended by the log writer");

        var consumers = DurableConsumers.Names.Order(StringComparer.Ordinal).ToArray();
        // An app with no durable consumer that never published a durable event has no log to look at (and opening one
        // would create it).
        if (consumers.Length == 0 && !harness.SawDurable)
            return state;

        var admin = harness.Services.GetRequiredService<DurableLogAdmin>();
        if (admin.QueuedEvents > 0 && awaiting == 0)
            state._waitingFor.Add($"the log writer has {admin.QueuedEvents} queued event(s)");
        if (consumers.Length == 0)
            return state;

        state.ConsumersRunning = harness.Services.GetRequiredService<DurableConsumers>().IsRunning;
        var bounds = await admin.Log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var consumer in consumers)
        {
            var offsets = (await admin.Log.Checkpoints.GetOffsetsAsync(consumer, cancellationToken).ConfigureAwait(false))
                .ToDictionary(o => o.Partition, o => o.Position);
            foreach (var partition in bounds)
            {
                var committed = offsets.TryGetValue(partition.Partition, out var position) ? position : (long?)null;
                if (committed is { } offset && offset < partition.First - 1)
                {
                    state._waitingFor.Add(string.Create(CultureInfo.InvariantCulture,
                        $"consumer '{consumer}' partition {partition.Partition} is behind retention: offset {offset}, first retained position {partition.First} (move its offset: DurableLogAdmin)"));
                    continue;
                }
                var from = committed ?? partition.First - 1;
                if (from >= partition.Last)
                    continue;
                state._waitingFor.Add(committed is null
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"consumer '{consumer}' partition {partition.Partition} has no committed offset, last position {partition.Last}")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"consumer '{consumer}' partition {partition.Partition} is at offset {from}, last position {partition.Last} ({partition.Last - from} behind)"));
            }
        }
        return state;
    }

    /// <summary>The timeout's message: one line per thing not done, and why the consumers may not be moving.</summary>
    public string Describe(TimeSpan timeout)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Herald was not idle after {timeout.TotalSeconds:0.###} s:");
        foreach (var line in _waitingFor)
            text.AppendLine().Append("  - ").Append(line);
        if (!ConsumersRunning)
        {
            text.AppendLine().Append("The durable consumers are not running: start the host (IHost.StartAsync, or " +
                                     "WebApplicationFactory's CreateClient), or call DurableConsumers.StartAsync.");
        }
        return text.ToString();
    }
}
