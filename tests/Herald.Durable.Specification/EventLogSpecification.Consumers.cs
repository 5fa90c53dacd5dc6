using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Consumer_DeliversEveryEventOnce_InPublishOrderPerKey_AndItsLagReturnsToZero()
    {
        var log = await NewLogAsync(partitions: 4);
        var deliveries = new SpecDeliveries();
        await using var member = await StartMemberAsync(log, "member-a", deliveries);

        for (var sequence = 0; sequence < 300; sequence++)
            await member.Bus.PublishAsync(new SpecOrderNoted($"customer-{sequence % 12}", sequence));
        await deliveries.WaitForAsync("spec-orders", 300, Patience);
        await WaitUntilAsync(async () => await member.Admin.GetLagAsync("spec-orders") == 0);

        var received = deliveries.Of<SpecOrderNoted>("spec-orders");
        Assert.Equal(300, received.Count);
        Assert.Equal(Enumerable.Range(0, 300), received.Select(r => r.Event.Sequence).Order());
        foreach (var key in received.GroupBy(r => r.Event.Key))
        {
            Assert.Equal(key.Select(r => r.Event.Sequence).Order(), key.Select(r => r.Event.Sequence));
            Assert.Single(key.Select(r => r.Partition).Distinct());
            Assert.Equal(Partitioning.PartitionOf(key.Key, 4), key.First().Partition);
        }
    }

    [Fact]
    public async Task Consumer_BadStoredData_IsDeadLetteredOnceWithTheReason_AndTheEventsAroundItAreDeliveredOnceEach()
    {
        var log = await NewLogAsync(partitions: 2);
        EventEnvelope Amount(string payload, int version = 1)
            => new(Guid.CreateVersion7(), "spec.amount-noted", version, Start, "till-7", null, Encoding.UTF8.GetBytes(payload));
        await log.Stream.AppendAsync(
        [
            Amount("""{"key":"till-7","amount":1}"""),
            Amount("""{"key":"till-7","amount":-5}"""), // the event's own constructor refuses it
            Amount("""{"key":"till-7","amount":2}"""),
            Amount("""{"key":"till-7","amou"""),       // not JSON
            Amount("""{"key":"till-7","amount":3}""", version: 2),
            Amount("""{"key":"till-7","amount":4}"""),
        ], CancellationToken.None);
        var deliveries = new SpecDeliveries();

        await using var member = await StartMemberAsync(log, "member-a", deliveries);
        await deliveries.WaitForAsync("spec-amounts", 3, Patience);
        await WaitUntilAsync(async () => await log.DeadLetters.CountAsync(new DeadLetterQuery("spec-amounts"), CancellationToken.None) == 3
                                         && await member.Admin.GetLagAsync("spec-amounts") == 0);

        Assert.Equal([1, 2, 4], deliveries.Of<SpecAmountNoted>("spec-amounts").Select(r => r.Event.Amount));
        var letters = await log.DeadLetters.ListAsync(new DeadLetterQuery("spec-amounts"), CancellationToken.None);
        Assert.Equal([2L, 4, 5], letters.Select(l => l.Envelope.Position));
        Assert.Contains("An amount cannot be negative; got -5", letters[0].Reason, StringComparison.Ordinal);
        Assert.Contains(nameof(NegativeAmountException), letters[0].Exception, StringComparison.Ordinal);
        Assert.Contains("cannot be read", letters[1].Reason, StringComparison.Ordinal);
        Assert.Contains("payload version 2", letters[2].Reason, StringComparison.Ordinal);
        // Its offset is past every event (lag 0): nothing is delivered again.
        Assert.Equal(3, deliveries.Count("spec-amounts"));
    }

    [Fact]
    public async Task TwoMembers_ShareTheConsumersPartitions_EachEventIsHandledOnce_AndEachPartitionByOneMember()
    {
        var log = await NewLogAsync(partitions: 6);
        var deliveries = new SpecDeliveries();
        await using var a = await StartMemberAsync(log, "member-a", deliveries);
        await using var b = await StartMemberAsync(log, "member-b", deliveries);
        await WaitUntilAsync(async () => Owners(await a.Admin.GetPartitionsAsync("spec-orders")) is [3, 3]);

        for (var sequence = 0; sequence < 240; sequence++)
            await (sequence % 2 == 0 ? a : b).Bus.PublishAsync(new SpecOrderNoted($"customer-{sequence % 30}", sequence));
        await deliveries.WaitForAsync("spec-orders", 240, Patience);

        var received = deliveries.Of<SpecOrderNoted>("spec-orders");
        Assert.Equal(Enumerable.Range(0, 240), received.Select(r => r.Event.Sequence).Order());
        foreach (var partition in received.GroupBy(r => r.Partition))
            Assert.Single(partition.Select(r => r.Member).Distinct());
        Assert.Equal(["member-a", "member-b"], received.Select(r => r.Member).Distinct().Order());
        foreach (var key in received.GroupBy(r => r.Event.Key))
            Assert.Equal(key.Select(r => r.Event.Sequence).Order(), key.Select(r => r.Event.Sequence));
    }

    [Fact]
    public async Task AMemberThatStops_ReleasesItsPartitions_TheOtherTakesThemOver_NothingIsLostOrRepeated()
    {
        var log = await NewLogAsync(partitions: 4);
        var deliveries = new SpecDeliveries();
        await using var a = await StartMemberAsync(log, "member-a", deliveries);
        await using var b = await StartMemberAsync(log, "member-b", deliveries);
        await WaitUntilAsync(async () => Owners(await a.Admin.GetPartitionsAsync("spec-orders")) is [2, 2]);
        for (var sequence = 0; sequence < 100; sequence++)
            await a.Bus.PublishAsync(new SpecOrderNoted($"customer-{sequence % 10}", sequence));
        await deliveries.WaitForAsync("spec-orders", 100, Patience);

        await b.DisposeAsync();
        await WaitUntilAsync(async () => Owners(await a.Admin.GetPartitionsAsync("spec-orders")) is [4]);
        for (var sequence = 100; sequence < 200; sequence++)
            await a.Bus.PublishAsync(new SpecOrderNoted($"customer-{sequence % 10}", sequence));
        await deliveries.WaitForAsync("spec-orders", 200, Patience);

        var received = deliveries.Of<SpecOrderNoted>("spec-orders");
        Assert.Equal(Enumerable.Range(0, 200), received.Select(r => r.Event.Sequence).Order());
        Assert.All(received.Where(r => r.Event.Sequence >= 100), r => Assert.Equal("member-a", r.Member));
        foreach (var key in received.GroupBy(r => r.Event.Key))
            Assert.Equal(key.Select(r => r.Event.Sequence).Order(), key.Select(r => r.Event.Sequence));
    }

    [Fact]
    public async Task AnOperatorMovingAnOffsetPastEvents_TheOwnerResumesThere()
    {
        var log = await NewLogAsync(partitions: 1);
        var deliveries = new SpecDeliveries();
        await using var member = await StartMemberAsync(log, "member-a", deliveries);
        await member.Bus.PublishAsync(new SpecOrderNoted("customer-1", 0));
        await deliveries.WaitForAsync("spec-orders", 1, Patience);
        var epoch = (await member.Admin.GetPartitionsAsync("spec-orders"))[0].Epoch;

        // Move the offset past the two events appended next: they are skipped, and the one after them is delivered. The
        // member learns of the move at its next renewal (or batch): wait for it, as an operator waits for the tool.
        await member.Admin.MoveOffsetAsync("spec-orders", 0, 3);
        var moved = (await member.Admin.GetPartitionsAsync("spec-orders"))[0].Epoch;
        await WaitUntilAsync(() => Task.FromResult(member.Consumers.OwnedPartitions("spec-orders") is [{ Epoch: var now }] && now == moved));
        await log.Stream.AppendAsync(
        [
            new EventEnvelope(Guid.CreateVersion7(), "spec.order-noted", 1, Start, "customer-1", null, """{"key":"customer-1","sequence":1}"""u8.ToArray()),
            new EventEnvelope(Guid.CreateVersion7(), "spec.order-noted", 1, Start, "customer-1", null, """{"key":"customer-1","sequence":2}"""u8.ToArray()),
        ], CancellationToken.None);
        await member.Bus.PublishAsync(new SpecOrderNoted("customer-1", 3));
        await deliveries.WaitForAsync("spec-orders", 2, Patience);

        Assert.Equal([0, 3], deliveries.Of<SpecOrderNoted>("spec-orders").Select(r => r.Event.Sequence));
        var status = (await member.Admin.GetPartitionsAsync("spec-orders"))[0];
        Assert.Equal("member-a", status.Owner);
        Assert.True(status.Epoch > epoch);
    }

    /// <summary>How many partitions each owner holds, largest first.</summary>
    private static int[] Owners(IReadOnlyList<ConsumerPartitionStatus> partitions)
        => [.. partitions.Where(p => p.Owner is not null).GroupBy(p => p.Owner).Select(g => g.Count()).OrderDescending().Concat(
            partitions.Any(p => p.Owner is null) ? [-1] : [])];

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Patience"/>.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException("The condition did not hold within the timeout.");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>
    /// Starts a service provider with Herald on <paramref name="log"/> (shared, not owned) as member
    /// <paramref name="member"/> of every consumer group, with short leases and polls, and its consumers running.
    /// </summary>
    protected async Task<SpecMember> StartMemberAsync(IEventLog log, string member, SpecDeliveries deliveries, Action<HeraldOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(deliveries);
        var deadLetters = Path.Combine(Path.GetTempPath(), $"herald-spec-{Guid.NewGuid():N}.dead-letters.jsonl");
        services.AddHerald(o =>
        {
            o.UseLog(log.Transport, _ => new SharedLog(log));
            o.InstanceId = member;
            o.DeadLetterFile = deadLetters;
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumers.MaxAttempts = 2;
            o.Consumers.LeaseDuration = TimeSpan.FromSeconds(3);
            o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DurableConsumers>().StartAsync(CancellationToken.None);
        return new SpecMember(provider, deadLetters);
    }

    /// <summary>One member's service provider; disposing it stops its consumers (gracefully) and the provider.</summary>
    protected sealed class SpecMember(ServiceProvider provider, string deadLetterFile) : IAsyncDisposable
    {
        private int _disposed;

        public IEventBus Bus => provider.GetRequiredService<IEventBus>();

        public DurableLogAdmin Admin => provider.GetRequiredService<DurableLogAdmin>();

        public DurableConsumers Consumers => provider.GetRequiredService<DurableConsumers>();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            await Consumers.StopAsync(CancellationToken.None);
            await provider.DisposeAsync();
            File.Delete(deadLetterFile);
        }
    }

    /// <summary>A log shared by several providers: each forwards to it and none disposes it (the test does).</summary>
    private sealed class SharedLog(IEventLog inner) : IEventLog
    {
        public string Transport => inner.Transport;

        public IEventStream Stream => inner.Stream;

        public ICheckpointStore Checkpoints => inner.Checkpoints;

        public ILeaseStore Leases => inner.Leases;

        public IDeadLetterStore DeadLetters => inner.DeadLetters;

        public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
            => inner.ApplyRetentionAsync(policy, now, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
