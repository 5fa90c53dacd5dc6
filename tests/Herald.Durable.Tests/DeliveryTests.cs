using Herald.Durable;

namespace Herald.Durable.Tests;

/// <summary>Durable publish and delivery on the in-memory log: the semantics every transport shares.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task PublishAsync_DurableEvent_RunsInlineHandlerThenDeliversToConsumerInOrder()
    {
        await using var host = await TestHost.StartAsync();
        var orders = Enumerable.Range(1, 20).Select(i => new OrderPlaced(Guid.CreateVersion7(), $"c{i % 3}", i, i * 1.5m)).ToArray();

        foreach (var order in orders)
            await host.Bus.PublishAsync(order);
        await host.Deliveries.WaitForAsync("billing", orders.Length);

        Assert.Equal(orders, host.Deliveries.Of<OrderPlaced>("inline"));
        Assert.Equal(orders, host.Deliveries.Of<OrderPlaced>("billing"));
        await host.WaitCaughtUpAsync("billing");
        Assert.Equal(0, await host.Admin.GetLagAsync("billing"));
    }

    [Fact]
    public async Task PublishAsync_Persisted_ReturnsAfterTheEventIsInTheLog()
    {
        await using var host = await TestHost.StartAsync(startConsumers: false);
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 10m);

        await host.Bus.PublishAsync(order);

        var stored = Assert.Single(await LogReading.ReadAllAsync(host.Admin.Log));
        Assert.Equal("tests.order-placed", stored.Type);
        Assert.Equal(1, stored.Version);
        Assert.Equal("ada", stored.PartitionKey);
        Assert.Equal(new LogPosition(Partitioning.PartitionOf("ada", Partitioning.DefaultPartitions), 1), stored.LogPosition);
    }

    [Fact]
    public async Task Publish_Sync_QueuesTheEventAndTheWriterAppendsIt()
    {
        await using var host = await TestHost.StartAsync();
        var note = new AuditNoted("sync publish");

        host.Bus.Publish(note);
        await host.Deliveries.WaitForAsync("audit", 1);

        Assert.Equal([note], host.Deliveries.Of<AuditNoted>("audit"));
    }

    [Fact]
    public async Task PublishAsync_InlineHandlerFails_NothingIsAppended()
    {
        var faults = new FaultPlan { InlineFails = true };
        await using var host = await TestHost.StartAsync(startConsumers: false, faults: faults);

        var failure = await Assert.ThrowsAsync<HandlersFailedException>(() => host.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m)).AsTask());

        Assert.Equal("inline handler refused the order", Assert.Single(failure.Failures).Exception.Message);
        Assert.Empty(await LogReading.ReadAllAsync(host.Admin.Log));
    }

    [Fact]
    public async Task PublishAsync_PayloadOverTheLimit_ThrowsBeforeAnyHandlerAndWritesNothing()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPayloadBytes = 64, startConsumers: false);
        var order = new OrderPlaced(Guid.CreateVersion7(), new string('x', 200), 1, 1m);

        var error = await Assert.ThrowsAsync<PayloadTooLargeException>(() => host.Bus.PublishAsync(order).AsTask());

        Assert.Equal("tests.order-placed", error.EventName);
        Assert.Equal(64, error.LimitBytes);
        Assert.True(error.PayloadBytes > 200);
        Assert.Empty(host.Deliveries.Of<OrderPlaced>("inline"));
        Assert.Empty(await LogReading.ReadAllAsync(host.Admin.Log));
    }

    [Fact]
    public async Task Consumer_TransientFailure_IsRetriedThenHandledOnce()
    {
        await using var host = await TestHost.StartAsync();
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m);
        host.Faults.FailFirst(order.OrderId, 2);

        await host.Bus.PublishAsync(order);
        await host.Deliveries.WaitForAsync("billing", 1);

        Assert.Equal(3, host.Faults.AttemptsOf("billing", order.OrderId));
        Assert.Equal([order], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Empty(await host.Admin.ListDeadLettersAsync());
    }

    [Fact]
    public async Task Consumer_PoisonEvent_IsDeadLetteredAfterMaxAttempts_LaterEventsArrive_ReplayAfterFixDeliversIt()
    {
        await using var host = await TestHost.StartAsync(o => o.Consumer("billing", c => c.MaxAttempts = 3));
        var orders = Enumerable.Range(1, 5).Select(i => new OrderPlaced(Guid.CreateVersion7(), "ada", i, i)).ToArray();
        host.Faults.Poison(orders[1].OrderId);

        foreach (var order in orders)
            await host.Bus.PublishAsync(order);
        await host.Deliveries.WaitForAsync("billing", 4);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal(3, host.Faults.AttemptsOf("billing", orders[1].OrderId));
        Assert.Equal(orders.Where((_, i) => i != 1), host.Deliveries.Of<OrderPlaced>("billing"));
        var letter = Assert.Single(await host.Admin.ListDeadLettersAsync(new DeadLetterQuery("billing")));
        Assert.Equal("billing", letter.Consumer);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal("the handler failed 3 time(s)", letter.Reason);
        Assert.Contains("poison event", letter.Exception, StringComparison.Ordinal);
        Assert.Equal(orders[1].OrderId.ToString(), System.Text.Json.JsonDocument.Parse(letter.Envelope.Payload).RootElement.GetProperty("orderId").GetString());

        host.Faults.Cure(orders[1].OrderId);
        Assert.True(await host.Admin.ReplayDeadLetterAsync(letter.Id));
        await host.Deliveries.WaitForAsync("billing", 5);

        Assert.Equal(orders[1], host.Deliveries.Of<OrderPlaced>("billing")[4]);
        Assert.Empty(await host.Admin.ListDeadLettersAsync());
    }

    [Fact]
    public async Task Consumer_BadInput_IsDeadLetteredWithAReason_AndTheConsumerKeepsGoing()
    {
        await using var host = await TestHost.StartAsync(o => o.Partitions = 1, startConsumers: false);
        var log = host.Admin.Log;
        var payload = System.Text.Encoding.UTF8.GetBytes("""{"parcelId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","carrier":"post","items":[]}""");
        await log.Stream.AppendAsync(
        [
            // A type no code handles is no consumer's: it waits in the log, read by nobody, holding up nobody.
            new EventEnvelope(Guid.CreateVersion7(), "tests.no-such-event", 1, DateTimeOffset.UtcNow, null, null, "{}"u8.ToArray()),
            new EventEnvelope(Guid.CreateVersion7(), "tests.parcel-shipped", 1, DateTimeOffset.UtcNow, null, null, payload),
            new EventEnvelope(Guid.CreateVersion7(), "tests.parcel-shipped", 2, DateTimeOffset.UtcNow, null, null, "{not json"u8.ToArray()),
        ], CancellationToken.None);
        var good = new ParcelShipped(Guid.CreateVersion7(), "post", ["book", "pen"]);
        await host.Bus.PublishAsync(good);

        await host.Consumers.StartAsync(CancellationToken.None);
        await host.Deliveries.WaitForAsync("shipping", 1);
        await host.WaitCaughtUpAsync("shipping");

        Assert.Equal("post", Assert.Single(host.Deliveries.Of<ParcelShipped>("shipping")).Carrier);
        Assert.Equal(["book", "pen"], host.Deliveries.Of<ParcelShipped>("shipping")[0].Items);
        var reasons = (await host.Admin.ListDeadLettersAsync(new DeadLetterQuery("shipping"))).Select(l => l.Reason).ToArray();
        Assert.Equal(2, reasons.Length);
        Assert.Equal("payload version 1 of 'tests.parcel-shipped' is older than the version this code reads (2)", reasons[0]);
        Assert.StartsWith("the payload of 'tests.parcel-shipped' cannot be read", reasons[1], StringComparison.Ordinal);
        Assert.Empty(await host.Admin.ListDeadLettersAsync(new DeadLetterQuery(Type: "tests.no-such-event")));
    }

    [Fact]
    public async Task Consumer_StartLatest_SkipsWhatWasPublishedBeforeItFirstStarted()
    {
        var before = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m);
        var after = new OrderPlaced(Guid.CreateVersion7(), "ada", 2, 2m);
        await using var host = await TestHost.StartAsync(o => o.Consumer("billing", c => c.StartPosition = StartPosition.Latest), startConsumers: false);
        await host.Bus.PublishAsync(before);

        await host.Consumers.StartAsync(CancellationToken.None);
        await WaitForOffsetAsync(host, "billing");
        await host.Bus.PublishAsync(after);
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([after], host.Deliveries.Of<OrderPlaced>("billing"));
    }

    [Fact]
    public async Task Writer_ManyConcurrentPersistedPublishers_AreGroupCommittedInFewerBatches()
    {
        var counting = new CountingLog(new InMemoryEventLog());
        await using var host = await TestHost.StartAsync(o => o.UseLog("Counting", _ => counting), startConsumers: false);
        var orders = Enumerable.Range(1, 500).Select(i => new OrderPlaced(Guid.CreateVersion7(), "ada", i, i)).ToArray();

        await Task.WhenAll(orders.Select(order => Task.Run(() => host.Bus.PublishAsync(order).AsTask())));

        var stored = await LogReading.ReadAllAsync(counting);
        Assert.Equal(orders.Select(o => o.OrderId).Order(), stored.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("orderId").GetGuid()).Order());
        Assert.True(counting.Batches < orders.Length, $"{counting.Batches} batches for {orders.Length} events");
    }

    [Fact]
    public async Task Writer_AppendKeepsFailing_PublisherGetsTheErrorAndTheEventIsInTheDeadLetterFile()
    {
        var deadLetterFile = Path.Combine(Path.GetTempPath(), $"herald-append-{Guid.NewGuid():N}.jsonl");
        var failing = new FailingLog();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.UseLog("Failing", _ => failing);
            o.DeadLetterFile = deadLetterFile;
            o.AppendRetries = 2;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(1);
        }, startConsumers: false);
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m);

        try
        {
            var error = await Assert.ThrowsAsync<EventAppendException>(() => host.Bus.PublishAsync(order).AsTask());

            Assert.Equal(3, failing.Attempts);
            Assert.Equal("disk full", error.InnerException!.Message);
            var (envelope, reason) = Assert.Single(DeadLetterFile.Read(deadLetterFile));
            Assert.Equal(error.Envelope!.Id, envelope.Id);
            Assert.Equal("append failed", reason);
            Assert.Equal(order.OrderId, System.Text.Json.JsonDocument.Parse(envelope.Payload).RootElement.GetProperty("orderId").GetGuid());
        }
        finally
        {
            File.Delete(deadLetterFile);
        }
    }

    private static async Task WaitForOffsetAsync(TestHost host, string consumer)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await host.Admin.Log.Checkpoints.GetOffsetsAsync(consumer, cancel.Token)).Count < host.Admin.Log.Stream.Partitions)
            await Task.Delay(10, cancel.Token);
    }
}
