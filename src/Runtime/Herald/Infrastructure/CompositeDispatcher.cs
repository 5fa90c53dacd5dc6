namespace Herald.Infrastructure;

/// <summary>
/// Joins the tables of two assemblies that handle the same event but do not reference each other (no
/// assembly saw both at build time). Both run, the earlier-registered first; ordering by
/// <see cref="SubscribeAttribute.Order"/> holds within each. The normal case, an app that references its
/// libraries, never needs this: the app's generated table already holds every handler in order.
/// </summary>
internal sealed class CompositeDispatcher<TEvent>(EventDispatcher<TEvent> first, EventDispatcher<TEvent> second)
    : EventDispatcher<TEvent>
{
    public override void Publish(IEventBus bus, TEvent e)
    {
        List<Exception>? failures = null;
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
        ThrowJoined(failures);
    }

    public override async ValueTask PublishAsync(IEventBus bus, TEvent e, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
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
        ThrowJoined(failures);
    }

    private static void ThrowJoined(List<Exception>? failures)
    {
        if (failures is null)
            return;
        var all = failures.Cast<HandlersFailedException>().SelectMany(f => f.Failures).ToArray();
        throw new HandlersFailedException(typeof(TEvent), all);
    }
}
