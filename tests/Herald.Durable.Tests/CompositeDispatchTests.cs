using System.Text.Json;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Durable.Tests;

/// <summary>
/// Two libraries that both handle one durable event, with no app table that covers both (an app without the
/// generator): their tables are joined at run time, and the event is appended once, after both libraries' inline
/// handlers succeeded. The two "library" modules are written here as the generator writes them.
/// </summary>
public sealed class CompositeDispatchTests
{
    static CompositeDispatchTests()
    {
        HeraldRegistry.Register(new LibraryModule("Composite.LibraryOne", "one"));
        HeraldRegistry.Register(new LibraryModule("Composite.LibraryTwo", "two"));
    }

    [Fact]
    public async Task ADurableEventHandledByTwoUnrelatedTables_IsAppendedOnce_AfterBothTablesHandlersRan()
    {
        await using var host = await TestHost.StartAsync(startConsumers: false);
        var order = new JoinedOrder(Guid.NewGuid(), Fail: false);

        Publish(host.Bus, order);
        await PublishAsync(host.Bus, order with { Id = Guid.NewGuid() }); // Persisted: the writer then also committed the first

        Assert.Equal(["one", "two", "one", "two"], order.Calls);
        var stored = await LogReading.ReadAllAsync(host.Admin.Log);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, e => Assert.Equal("tests.joined-order", e.Type));
    }

    [Fact]
    public async Task WhenTheSecondTablesHandlerFails_NothingIsAppended()
    {
        await using var host = await TestHost.StartAsync(startConsumers: false);
        var order = new JoinedOrder(Guid.NewGuid(), Fail: true);

        var failure = await Assert.ThrowsAsync<HandlersFailedException>(async () => await PublishAsync(host.Bus, order));

        Assert.Equal("two refused it", Assert.Single(failure.Failures).Exception.Message);
        Assert.Empty(await LogReading.ReadAllAsync(host.Admin.Log));
    }

    // Generic: the publish site's event type is not known to this assembly's generator, so its own table has no entry.
    private static ValueTask PublishAsync<T>(IEventBus bus, T e) => bus.PublishAsync(e);

    private static void Publish<T>(IEventBus bus, T e) => bus.Publish(e);

    /// <summary>A durable event that only the two hand-written library tables know.</summary>
    public sealed record JoinedOrder(Guid Id, bool Fail)
    {
        /// <summary>The handlers that ran, in order (shared by copies made with <c>with</c>).</summary>
        public List<string> Calls { get; init; } = [];
    }

    private sealed class JoinedOrderType() : DurableEventType<JoinedOrder>("tests.joined-order", 1, Durability.Persisted)
    {
        public override void Write(Utf8JsonWriter writer, JoinedOrder value)
        {
            writer.WriteStartObject();
            writer.WriteString("id", value.Id);
            writer.WriteEndObject();
        }

        public override JoinedOrder Read(ref Utf8JsonReader reader)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new JoinedOrder(document.RootElement.GetProperty("id").GetGuid(), Fail: false);
        }
    }

    /// <summary>A library's table as generated: its inline handler, then the durable append.</summary>
    private sealed class LibraryModule(string name, string handler) : HeraldModule(name, [name])
    {
        protected override EventDispatcher[] CreateDispatchers() => [new Dispatcher(handler)];

        protected override DurableEventType[] CreateDurableEventTypes() => [new JoinedOrderType()];

        public override void AddHandlerServices(IServiceCollection services)
        {
        }

        private sealed class Dispatcher(string handler) : EventDispatcher<JoinedOrder>
        {
            public override void Publish(IEventBus bus, JoinedOrder e)
            {
                var envelope = DurableDispatch.Prepare(bus, e);
                Handle(e);
                DurableDispatch.Enqueue(bus, envelope);
            }

            public override ValueTask PublishAsync(IEventBus bus, JoinedOrder e, CancellationToken cancellationToken)
            {
                var envelope = DurableDispatch.Prepare(bus, e);
                try
                {
                    Handle(e);
                }
                catch (Exception exception)
                {
                    throw new HandlersFailedException(typeof(JoinedOrder), [new HandlerFailure(handler, exception)]);
                }
                return DurableDispatch.AppendAsync(bus, envelope, Durability.Persisted, cancellationToken);
            }

            private void Handle(JoinedOrder e)
            {
                lock (e.Calls)
                    e.Calls.Add(handler);
                if (e.Fail && handler == "two")
                    throw new InvalidOperationException("two refused it");
            }
        }
    }
}
