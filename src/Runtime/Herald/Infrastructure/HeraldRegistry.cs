using System.Collections.Concurrent;
using System.ComponentModel;
using Herald.Durable;
using Microsoft.Extensions.Configuration;

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
    private static ConcurrentDictionary<Type, EventDispatcher?> s_nearest = new();
    private static Dictionary<string, DurableEventType> s_durableTypes = new(StringComparer.Ordinal);
    private static Dictionary<string, IReadOnlyDictionary<string, DurableHandler[]>> s_durableHandlers = new(StringComparer.Ordinal);
    private static readonly List<DurableHandler> s_allDurableHandlers = [];
    private static readonly List<string> s_conflicts = [];
    private static Dictionary<string, Action<HeraldOptions, IConfiguration>> s_transports = new(StringComparer.OrdinalIgnoreCase);
    private static volatile bool s_observingPublishes;

    /// <summary>The durable event types of every registered module, by wire name.</summary>
    public static IReadOnlyDictionary<string, DurableEventType> DurableTypesByName => Volatile.Read(ref s_durableTypes);

    /// <summary>The durable handlers of every registered module: by consumer, then by event wire name, in order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, DurableHandler[]>> DurableHandlersByConsumer => Volatile.Read(ref s_durableHandlers);

    /// <summary>The transports that configuration can select, by name.</summary>
    internal static IReadOnlyDictionary<string, Action<HeraldOptions, IConfiguration>> Transports => Volatile.Read(ref s_transports);

    /// <summary>Registration problems found across assemblies (two types with one wire name); AddHerald reports them.</summary>
    internal static IReadOnlyList<string> Conflicts
    {
        get
        {
            lock (s_gate)
                return [.. s_conflicts];
        }
    }

    /// <summary>Makes transport <typeparamref name="TTransport"/> selectable by configuration.</summary>
    public static void RegisterTransport<TTransport>() where TTransport : IHeraldTransport
    {
        lock (s_gate)
        {
            var transports = new Dictionary<string, Action<HeraldOptions, IConfiguration>>(s_transports, StringComparer.OrdinalIgnoreCase)
            {
                [TTransport.Name] = TTransport.Configure,
            };
            Volatile.Write(ref s_transports, transports);
        }
    }

    /// <summary>Whether the slots hold observing dispatchers (<see cref="ObservePublishes"/> was called).</summary>
    internal static bool ObservingPublishes => s_observingPublishes;

    /// <summary>
    /// Puts an <see cref="ObservedDispatcher{TEvent}"/> in front of every dispatcher, now and for modules registered
    /// later, so that buses with <see cref="PublishObserver"/>s see their publishes. Called when the first such bus is
    /// created; never undone (a process that observed once keeps paying one virtual call and a field read per publish,
    /// which only test runs do).
    /// </summary>
    internal static void ObservePublishes()
    {
        if (s_observingPublishes)
            return;
        lock (s_gate)
        {
            if (s_observingPublishes)
                return;
            s_observingPublishes = true;
            foreach (var dispatcher in s_dispatchers.Values)
                dispatcher.Install();
        }
    }

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
            foreach (var dispatcher in module.GetDispatchers())
            {
                dispatcher.Module = module;
                if (!dispatchers.TryGetValue(dispatcher.EventType, out var current) || module.Covers(current.Module.Name))
                    dispatchers[dispatcher.EventType] = dispatcher;
                else if (!current.Module.Covers(module.Name))
                    dispatchers[dispatcher.EventType] = current.CombineWith(dispatcher);
            }

            foreach (var dispatcher in dispatchers.Values)
                dispatcher.Install();
            RegisterDurable(module);
            Volatile.Write(ref s_dispatchers, dispatchers);
            Volatile.Write(ref s_nearest, new ConcurrentDictionary<Type, EventDispatcher?>());
            Volatile.Write(ref s_modules, [.. s_modules, module]);
        }
    }

    private static void RegisterDurable(HeraldModule module)
    {
        var types = new Dictionary<string, DurableEventType>(s_durableTypes, StringComparer.Ordinal);
        foreach (var type in module.GetDurableEventTypes())
        {
            if (types.TryGetValue(type.Name, out var existing) && existing.ClrType != type.ClrType)
            {
                s_conflicts.Add($"The event name '{type.Name}' is used by two types: {existing.ClrType.FullName} and {type.ClrType.FullName}. " +
                                "Each [Event] name must belong to one type (the log stores the name, not the CLR type).");
                continue;
            }
            types[type.Name] = type;
            type.Install();
        }
        Volatile.Write(ref s_durableTypes, types);

        var added = module.GetDurableHandlers();
        if (added.Length == 0)
            return;
        s_allDurableHandlers.AddRange(added);
        var byConsumer = new Dictionary<string, IReadOnlyDictionary<string, DurableHandler[]>>(StringComparer.Ordinal);
        foreach (var consumer in s_allDurableHandlers.GroupBy(h => h.Consumer, StringComparer.Ordinal))
        {
            byConsumer[consumer.Key] = consumer
                .GroupBy(h => h.EventName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(h => h.Order).ToArray(), StringComparer.Ordinal);
        }
        Volatile.Write(ref s_durableHandlers, byConsumer);
    }

    /// <summary>
    /// The dispatcher for an event of <paramref name="runtimeType"/>: its own; else that of its nearest base class
    /// that has one; else that of the most specific interface it implements that has one; null when none. Types that
    /// no table lists (published only from generic code) are resolved once and cached.
    /// </summary>
    public static EventDispatcher? Find(Type runtimeType)
    {
        ArgumentNullException.ThrowIfNull(runtimeType);
        var dispatchers = Volatile.Read(ref s_dispatchers);
        if (dispatchers.TryGetValue(runtimeType, out var dispatcher))
            return dispatcher;
        var nearest = Volatile.Read(ref s_nearest);
        if (nearest.TryGetValue(runtimeType, out dispatcher))
            return dispatcher;
        dispatcher = FindNearest(dispatchers, runtimeType);
        nearest.TryAdd(runtimeType, dispatcher);
        return dispatcher;
    }

    private static EventDispatcher? FindNearest(Dictionary<Type, EventDispatcher> dispatchers, Type runtimeType)
    {
        for (var type = runtimeType.BaseType; type is not null; type = type.BaseType)
        {
            if (dispatchers.TryGetValue(type, out var dispatcher))
                return dispatcher;
        }

        // IsAssignableFrom instead of GetInterfaces: it needs no trimming annotation, and the table is small.
        EventDispatcher? best = null;
        foreach (var candidate in dispatchers.Values)
        {
            if (candidate.EventType.IsInterface
                && candidate.EventType.IsAssignableFrom(runtimeType)
                && (best is null || best.EventType.IsAssignableFrom(candidate.EventType)))
                best = candidate;
        }
        return best;
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
        // No table lists TEvent: run the handlers of the nearest listed type of the event's runtime type.
        var dispatcher = Find(typeof(TEvent).IsValueType ? typeof(TEvent) : @event!.GetType());
        if (bus.Bus.PublishObservers is { } observers)
            PublishObserved(observers, dispatcher, bus, @event!);
        else
            dispatcher?.PublishObject(bus, @event!);
    }

    // The closures of the observed publish are in methods of their own, so that the unobserved path allocates none.
    private static void PublishObserved(PublishObservers observers, EventDispatcher? dispatcher, IEventBus bus, object @event)
        => observers.Observe(@event, () => dispatcher?.PublishObject(bus, @event));

    private static ValueTask PublishObservedAsync(PublishObservers observers, EventDispatcher? dispatcher, IEventBus bus, object @event, CancellationToken cancellationToken)
        => observers.ObserveAsync(@event, () => dispatcher is null ? default : dispatcher.PublishObjectAsync(bus, @event, cancellationToken));

    internal static ValueTask PublishUnlistedAsync<TEvent>(IEventBus bus, TEvent @event, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        var dispatcher = Find(typeof(TEvent).IsValueType ? typeof(TEvent) : @event!.GetType());
        if (bus.Bus.PublishObservers is { } observers)
            return PublishObservedAsync(observers, dispatcher, bus, @event!, cancellationToken);
        return dispatcher is null ? default : dispatcher.PublishObjectAsync(bus, @event!, cancellationToken);
    }
}
