namespace Herald.Infrastructure;

/// <summary>
/// Joins the tables of two assemblies that handle the same event but do not reference each other (no
/// assembly saw both at build time). Both run, the earlier-registered first; ordering by
/// <see cref="SubscribeAttribute.Order"/> holds within each. A durable event is prepared once and appended once,
/// after the inline handlers of both tables succeeded (each table alone would append it). The normal case, an app
/// that references its libraries, never needs this: the app's generated table already holds every handler in order.
/// </summary>
internal sealed class CompositeDispatcher<TEvent>(EventDispatcher<TEvent> first, EventDispatcher<TEvent> second)
    : EventDispatcher<TEvent>
{
    public override void Publish(IEventBus bus, TEvent e)
    {
        var envelope = DurableSlot<TEvent>.Type is null ? null : DurableDispatch.Prepare(bus, e);
        List<Exception>? failures = null;
        using (envelope is null ? default : DurableDispatch.Join(e, envelope))
        {
            foreach (var dispatcher in (ReadOnlySpan<EventDispatcher<TEvent>>)[first, second])
            {
                try
                {
                    dispatcher.Publish(bus, e);
                }
                catch (HandlersFailedException ex) when (!bus.Bus.StopOnFirstFailure)
                {
                    (failures ??= []).Add(ex);
                }
            }
        }
        ThrowJoined(failures);
        if (envelope is not null)
            DurableDispatch.Enqueue(bus, envelope);
    }

    public override async ValueTask PublishAsync(IEventBus bus, TEvent e, CancellationToken cancellationToken)
    {
        var type = DurableSlot<TEvent>.Type;
        var envelope = type is null ? null : DurableDispatch.Prepare(bus, e);
        List<Exception>? failures = null;
        using (envelope is null ? default : DurableDispatch.Join(e, envelope))
        {
            foreach (var dispatcher in new[] { first, second })
            {
                try
                {
                    await dispatcher.PublishAsync(bus, e, cancellationToken).ConfigureAwait(false);
                }
                catch (HandlersFailedException ex) when (!bus.Bus.StopOnFirstFailure)
                {
                    (failures ??= []).Add(ex);
                }
            }
        }
        ThrowJoined(failures);
        if (envelope is not null)
            await DurableDispatch.AppendAsync(bus, envelope, type!.Durability, cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowJoined(List<Exception>? failures)
    {
        if (failures is null)
            return;
        var all = failures.Cast<HandlersFailedException>().SelectMany(f => f.Failures).ToArray();
        throw new HandlersFailedException(typeof(TEvent), all);
    }
}
