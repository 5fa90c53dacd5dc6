using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Testing.Tests;

/// <summary>The harness as an app's test uses it, on a real SQLite file.</summary>
public sealed class HarnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Published_RecordsInlineEventsAndDurableEnvelopes_WithTheirPositionOnceAppended()
    {
        await using var app = await TestApp.StartAsync();
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 20m);

        app.Bus.Publish(new CartViewed("ada"));
        await app.Bus.PublishAsync(order);
        await app.Harness.WaitForIdleAsync(Timeout);

        var viewed = Assert.Single(app.Harness.Published<CartViewed>());
        Assert.Equal(new CartViewed("ada"), viewed.Event);
        Assert.Null(viewed.Envelope);
        Assert.Null(viewed.Exception);
        var placed = Assert.Single(app.Harness.Published<OrderPlaced>());
        Assert.Equal(order, placed.Event);
        Assert.False(placed.Enlisted);
        var envelope = placed.Envelope!;
        Assert.Equal("shop.order-placed", envelope.Type);
        Assert.Equal("ada", envelope.PartitionKey);
        Assert.Equal(new LogPosition(Partitioning.PartitionOf("ada", Partitioning.DefaultPartitions), 1), envelope.LogPosition);
        Assert.Equal(2, app.Harness.Published<object>().Count);
    }

    [Fact]
    public async Task WaitForIdle_ReturnsOnceEveryConsumerCaughtUp_AndHandledHasEachEnvelope()
    {
        await using var app = await TestApp.StartAsync();
        var orders = Enumerable.Range(1, 12).Select(i => new OrderPlaced(Guid.CreateVersion7(), $"customer-{i % 5}", i)).ToArray();

        foreach (var order in orders)
            await app.Bus.PublishAsync(order);
        await app.Harness.WaitForIdleAsync(Timeout);

        var handled = app.Harness.Handled<OrderPlaced>("billing");
        Assert.Equal(orders.OrderBy(o => o.OrderId), handled.Select(h => h.Event).OrderBy(o => o.OrderId));
        Assert.Equal(
            app.Harness.Published<OrderPlaced>().Select(p => p.Envelope!.Id).Order(),
            handled.Select(h => h.Envelope.Id).Order());
        Assert.All(handled, h => Assert.True(h.Envelope.Position > 0));
        Assert.All(handled, h => Assert.Equal(1, h.Attempt));
        Assert.Empty(app.Harness.Handled<OrderPlaced>("refunds"));
        Assert.Equal(0, await app.Admin.GetLagAsync("billing"));
        Assert.Equal(0, await app.Admin.GetLagAsync("refunds")); // it passed the other type's events
    }

    [Fact]
    public async Task AHandlerThatFailsOnce_IsAFailedAttempt_ThenHandledOnTheSecond()
    {
        await using var app = await TestApp.StartAsync();
        var order = new OrderPlaced(Guid.CreateVersion7(), "bob", 13m);

        await app.Bus.PublishAsync(order);
        await app.Harness.WaitForIdleAsync(Timeout);

        var failed = Assert.Single(app.Harness.Failed<OrderPlaced>("billing"));
        Assert.Equal(1, failed.Attempt);
        Assert.True(failed.WillRetry);
        Assert.Equal("the card gateway did not answer", Assert.IsType<TimeoutException>(failed.Exception).Message);
        var handled = Assert.Single(app.Harness.Handled<OrderPlaced>("billing"));
        Assert.Equal(2, handled.Attempt);
        Assert.Equal(failed.Envelope.Id, handled.Envelope.Id);
        Assert.Empty(app.Harness.DeadLettered);
    }

    [Fact]
    public async Task AHandlerThatKeepsFailing_IsRetried_ThenDeadLettered_AndTheConsumerMovesOn()
    {
        await using var app = await TestApp.StartAsync();
        var refused = new PaymentRefused(Guid.CreateVersion7(), "cy");

        await app.Bus.PublishAsync(refused);
        await app.Harness.WaitForIdleAsync(Timeout);

        var attempts = app.Harness.Failed<PaymentRefused>("refunds");
        Assert.Equal(new[] { (1, true), (2, false) }, attempts.Select(a => (a.Attempt, a.WillRetry)));
        Assert.All(attempts, a => Assert.Equal(refused, a.Event));
        var letter = Assert.Single(app.Harness.DeadLettered);
        Assert.Equal("refunds", letter.Consumer);
        Assert.Equal("the handler failed 2 time(s)", letter.Reason);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal($"refund service unavailable for order {refused.OrderId}", Assert.IsType<InvalidOperationException>(letter.Exception).Message);
        Assert.Equal(app.Harness.Published<PaymentRefused>().Single().Envelope!.Id, letter.Envelope.Id);
        Assert.Equal(Partitioning.PartitionOf("cy", Partitioning.DefaultPartitions), letter.Envelope.Partition);
        Assert.Empty(app.Harness.Handled<PaymentRefused>());
        var stored = Assert.Single(await app.Admin.ListDeadLettersAsync());
        Assert.Equal(letter.Envelope.Id, stored.Envelope.Id);
    }

    [Fact]
    public async Task AFailingInlineHandler_IsOnThePublishedRecord_AndNothingReachesTheLog()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Throws<HandlersFailedException>(() => app.Bus.Publish(new CartViewed("")));
        await Assert.ThrowsAsync<HandlersFailedException>(() => app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "dee", -1m)).AsTask());
        await app.Harness.WaitForIdleAsync(Timeout);

        var viewed = Assert.Single(app.Harness.Published<CartViewed>());
        Assert.Equal("a cart view needs a customer", Assert.Single(Assert.IsType<HandlersFailedException>(viewed.Exception).Failures).Exception.Message);
        var placed = Assert.Single(app.Harness.Published<OrderPlaced>());
        Assert.IsType<HandlersFailedException>(placed.Exception);
        Assert.Null(placed.Envelope); // the inline handler refused it before it was handed to the log
        Assert.Empty(app.Harness.Handled<OrderPlaced>());
    }

    [Fact]
    public async Task WaitForIdle_TimesOut_NamingEachConsumerAndPartitionThatDidNotCatchUp()
    {
        await using var app = await TestApp.StartAsync(startConsumers: false);
        var partition = Partitioning.PartitionOf("eve", Partitioning.DefaultPartitions);
        await app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "eve", 5m));
        await app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "eve", 6m));
        await app.Admin.MoveOffsetAsync("billing", partition, 1);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => app.Harness.WaitForIdleAsync(TimeSpan.FromMilliseconds(300)));

        Assert.Equal(
            $"""
            Herald was not idle after 0.3 s:
              - consumer 'billing' partition {partition} is at offset 1, last position 2 (1 behind)
              - consumer 'refunds' partition {partition} has no committed offset, last position 2
            The durable consumers are not running: start the host (IHost.StartAsync, or WebApplicationFactory's CreateClient), or call DurableConsumers.StartAsync.
            """.ReplaceLineEndings(),
            timeout.Message.ReplaceLineEndings());
    }

    [Fact]
    public async Task WaitForIdle_WithConsumersStartedLater_CompletesOnTheirSignals()
    {
        await using var app = await TestApp.StartAsync(startConsumers: false);
        await app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "fay", 7m));

        var idle = app.Harness.WaitForIdleAsync(Timeout);
        Assert.False(idle.IsCompleted);
        await app.Services.GetRequiredService<DurableConsumers>().StartAsync(CancellationToken.None);
        await idle;

        Assert.Single(app.Harness.Handled<OrderPlaced>("billing"));
    }

    [Fact]
    public async Task AnAppendThatFails_IsUnappended_WithTheDeadLetterFile_AndWaitForIdleStillCompletes()
    {
        await using var app = await TestApp.StartAsync(startConsumers: false, configure: o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "herald-testing-tests", "locked-" + Guid.NewGuid().ToString("N"), "events.db")}",
                sqlite => sqlite.BusyTimeout = TimeSpan.FromMilliseconds(50));
            o.AppendRetries = 1;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(1);
        });
        _ = app.Admin.Log; // the log's file exists before another connection locks it
        var file = ((Herald.Sqlite.SqliteEventLog)app.Admin.Log).DatabasePath;
        await using (var blocker = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await blocker.OpenAsync();
            using var transaction = blocker.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: holds the write lock

            await Assert.ThrowsAsync<EventAppendException>(() => app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "gus", 1m)).AsTask());
        }
        await app.Harness.WaitForIdleAsync(Timeout);

        var unappended = Assert.Single(app.Harness.Unappended);
        Assert.Equal("append failed", unappended.Reason);
        Assert.Equal(app.Admin.AppendDeadLetterFile, unappended.DeadLetterFile);
        Assert.Equal(app.Harness.Published<OrderPlaced>().Single().Envelope!.Id, unappended.Envelope.Id);
        Assert.Equal(0, unappended.Envelope.Position);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task AThrowingObserver_ChangesNothing_AndTheHarnessStillRecords()
    {
        await using var app = await TestApp.StartAsync(services: s =>
        {
            s.AddSingleton<PublishObserver, ThrowingPublishObserver>();
            s.AddSingleton<DurableObserver, ThrowingDurableObserver>();
        });

        app.Bus.Publish(new CartViewed("hal"));
        await app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "hal", 3m));
        await app.Harness.WaitForIdleAsync(Timeout);

        Assert.Single(app.Harness.Published<CartViewed>());
        Assert.Single(app.Harness.Handled<OrderPlaced>("billing"));
        Assert.Equal(0, await app.Admin.GetLagAsync("billing"));
    }

    [Fact]
    public async Task AReplayedDeadLetter_IsPublishedAgain_ReadBackFromItsPayload()
    {
        await using var app = await TestApp.StartAsync();
        var refused = new PaymentRefused(Guid.CreateVersion7(), "ivy");
        await app.Bus.PublishAsync(refused);
        await app.Harness.WaitForIdleAsync(Timeout);
        app.Harness.Clear();
        var letter = Assert.Single(await app.Admin.ListDeadLettersAsync());

        Assert.True(await app.Admin.ReplayDeadLetterAsync(letter.Id));
        await app.Harness.WaitForIdleAsync(Timeout);

        var replayed = Assert.Single(app.Harness.Published<PaymentRefused>());
        Assert.Equal(refused, replayed.Event);
        Assert.True(replayed.Envelope!.Position > 1);
        Assert.Single(app.Harness.DeadLettered); // the service is still down
    }

    [Fact]
    public async Task Clear_ForgetsWhatWasRecorded()
    {
        await using var app = await TestApp.StartAsync();
        await app.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "jo", 2m));
        await app.Harness.WaitForIdleAsync(Timeout);

        app.Harness.Clear();

        Assert.Empty(app.Harness.Published<object>());
        Assert.Empty(app.Harness.Handled<object>());
    }

    private sealed class ThrowingPublishObserver : PublishObserver
    {
        public override void OnPublishing(object published) => throw new InvalidOperationException("observer bug");

        public override void OnPublished(object published, Exception? exception) => throw new InvalidOperationException("observer bug");
    }

    private sealed class ThrowingDurableObserver : DurableObserver
    {
        public override void OnPublished(EventEnvelope envelope, bool enlisted) => throw new InvalidOperationException("observer bug");

        public override void OnAppended(IReadOnlyList<EventEnvelope> envelopes) => throw new InvalidOperationException("observer bug");

        public override void OnHandled(string consumer, EventEnvelope envelope, object received, int attempt) => throw new InvalidOperationException("observer bug");

        public override void OnCommitted(string consumer, int partition, long offset) => throw new InvalidOperationException("observer bug");
    }
}
