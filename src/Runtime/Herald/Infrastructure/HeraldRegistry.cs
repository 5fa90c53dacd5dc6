using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// Where generated modules announce themselves (from a module initializer) and fill the event slots.
/// When two modules list the same event, the one whose tables include the other's handlers wins: an app's
/// table covers its libraries'. Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HeraldRegistry
{
    private static readonly Lock s_gate = new();
    private static HeraldModule[] s_modules = [];
    private static Dictionary<Type, EventDispatcher> s_dispatchers = [];

    /// <summary>The registered modules, in registration order.</summary>
    public static IReadOnlyList<HeraldModule> Modules => Volatile.Read(ref s_modules);

    /// <summary>Registers a generated module and installs its dispatchers.</summary>
    public static void Register(HeraldModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        lock (s_gate)
        {
            if (Array.Exists(s_modules, m => m.Name == module.Name))
                return;

            var dispatchers = new Dictionary<Type, EventDispatcher>(s_dispatchers);
            foreach (var dispatcher in module.CreateDispatchers())
            {
                dispatcher.Module = module;
                if (!dispatchers.TryGetValue(dispatcher.EventType, out var current) || module.Covers(current.Module.Name))
                    dispatchers[dispatcher.EventType] = dispatcher;
                else if (!current.Module.Covers(module.Name))
                    dispatchers[dispatcher.EventType] = current.CombineWith(dispatcher);
            }

            foreach (var dispatcher in dispatchers.Values)
                dispatcher.Install();
            Volatile.Write(ref s_dispatchers, dispatchers);
            Volatile.Write(ref s_modules, [.. s_modules, module]);
        }
    }

    /// <summary>
    /// The dispatcher of <paramref name="runtimeType"/> or of its nearest base class that has one; null when none.
    /// </summary>
    public static EventDispatcher? Find(Type runtimeType)
    {
        var dispatchers = Volatile.Read(ref s_dispatchers);
        for (var type = runtimeType; type is not null; type = type.BaseType)
        {
            if (dispatchers.TryGetValue(type, out var dispatcher))
                return dispatcher;
        }
        return null;
    }

    /// <summary>
    /// For an event published through a non-sealed static type: runs the handlers of its runtime type instead,
    /// when the runtime type (or a base class nearer to it than the static type) has its own dispatcher.
    /// </summary>
    /// <returns>True when the event was dispatched here.</returns>
    public static bool TryRedirect(IEventBus bus, object @event, Type staticType)
    {
        var runtimeType = @event.GetType();
        if (runtimeType == staticType)
            return false;
        var dispatcher = Find(runtimeType);
        if (dispatcher is null || dispatcher.EventType == staticType || !staticType.IsAssignableFrom(dispatcher.EventType))
            return false;
        dispatcher.PublishObject(bus, @event);
        return true;
    }

    /// <summary>The async form of <see cref="TryRedirect"/>.</summary>
    public static bool TryRedirectAsync(IEventBus bus, object @event, Type staticType, CancellationToken cancellationToken, out ValueTask task)
    {
        task = default;
        var runtimeType = @event.GetType();
        if (runtimeType == staticType)
            return false;
        var dispatcher = Find(runtimeType);
        if (dispatcher is null || dispatcher.EventType == staticType || !staticType.IsAssignableFrom(dispatcher.EventType))
            return false;
        task = dispatcher.PublishObjectAsync(bus, @event, cancellationToken);
        return true;
    }

    internal static void PublishUnlisted<TEvent>(IEventBus bus, TEvent @event)
    {
        // No table lists TEvent itself: when it is a base type, its runtime type may be listed.
        if (!typeof(TEvent).IsValueType)
            TryRedirect(bus, @event!, typeof(TEvent));
    }

    internal static ValueTask PublishUnlistedAsync<TEvent>(IEventBus bus, TEvent @event, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        if (!typeof(TEvent).IsValueType && TryRedirectAsync(bus, @event!, typeof(TEvent), cancellationToken, out var task))
            return task;
        return default;
    }
}
