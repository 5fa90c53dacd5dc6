namespace Herald.Infrastructure;

/// <summary>
/// The <see cref="PublishObserver"/>s of one bus, each call isolated: what an observer throws is swallowed, so that it
/// can never change the outcome of the publish it watches (there is no logger on the publish path to report it to).
/// </summary>
internal sealed class PublishObservers(PublishObserver[] observers)
{
    public void Publishing(object @event)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnPublishing(@event);
            }
            catch (Exception)
            {
                // Isolated by design: see the class remarks.
            }
        }
    }

    public void Published(object @event, Exception? exception)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnPublished(@event, exception);
            }
            catch (Exception)
            {
                // Isolated by design: see the class remarks.
            }
        }
    }

    /// <summary>Runs <paramref name="publish"/> between the observers' two calls.</summary>
    public void Observe(object @event, Action publish)
    {
        Publishing(@event);
        try
        {
            publish();
        }
        catch (Exception exception)
        {
            Published(@event, exception);
            throw;
        }
        Published(@event, null);
    }

    /// <summary>Runs <paramref name="publish"/> between the observers' two calls.</summary>
    public async ValueTask ObserveAsync(object @event, Func<ValueTask> publish)
    {
        Publishing(@event);
        try
        {
            await publish().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Published(@event, exception);
            throw;
        }
        Published(@event, null);
    }
}
