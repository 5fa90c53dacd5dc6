using System.Runtime.CompilerServices;
using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald;

/// <summary>
/// Herald's bus: holds the handler instances of one service provider. Generated dispatch code reaches
/// handlers only through the bus it is given, never through static state, so several providers (and
/// tests) can live in one process.
/// </summary>
internal sealed class EventBus : IEventBus
{
    private const byte Unknown = 0;
    private const byte Singleton = 1;
    private const byte PerPublish = 2;

    private readonly IServiceProvider _services;
    private readonly HandlerRegistrations _registrations;
    private readonly Lock _gate = new();
    private object?[] _singletons = new object?[HandlerSlotIds.Count + 8];
    private byte[] _lifetimes = new byte[HandlerSlotIds.Count + 8];
    private object?[] _handlerSets = new object?[HandlerSetIds.Count + 8];
    private bool[] _setsUnavailable = new bool[HandlerSetIds.Count + 8];

    private DurableRuntime? _durable;

    public EventBus(IServiceProvider services, HeraldOptions options, HandlerRegistrations registrations)
    {
        _services = services;
        _registrations = registrations;
        Options = options;
        StopOnFirstFailure = options.FailurePolicy == FailurePolicy.StopOnFirst;
    }

    EventBus IEventBus.Bus => this;

    public HeraldOptions Options { get; }

    public bool StopOnFirstFailure { get; }

    /// <summary>The durable side (log, writer), resolved on the first durable publish.</summary>
    public DurableRuntime Durable => _durable ??= _services.GetRequiredService<DurableRuntime>();

    /// <summary>The singleton handler instances, indexed by <see cref="HandlerSlot{THandler}.Id"/>.</summary>
    public object?[] Singletons => Volatile.Read(ref _singletons);

    /// <summary>The handler sets of this bus, indexed by <see cref="HandlerSet{TSet}.Id"/>.</summary>
    public object?[] HandlerSets => Volatile.Read(ref _handlerSets);

    /// <summary>
    /// Creates and stores the handler set <paramref name="id"/> unless it is already there or known to be unavailable
    /// (a handler class of the event is not a singleton).
    /// </summary>
    public TSet? ResolveHandlerSet<TSet>(int id, IEventBus bus, Func<IEventBus, TSet?> create) where TSet : class
    {
        // Read without the lock: a stale miss only means trying (and failing) once more.
        var unavailable = Volatile.Read(ref _setsUnavailable);
        if (id < unavailable.Length && unavailable[id])
            return null;
        var set = create(bus);
        lock (_gate)
        {
            if (set is null)
            {
                var marks = _setsUnavailable;
                if (id >= marks.Length)
                    Array.Resize(ref marks, Math.Max(id + 1, marks.Length * 2));
                marks[id] = true;
                Volatile.Write(ref _setsUnavailable, marks);
                return null;
            }
            return Unsafe.As<TSet>(StoreOnce(ref _handlerSets, id, set));
        }
    }

    /// <summary>The singleton instance of <typeparamref name="T"/>; false when the class is scoped or transient.</summary>
    public bool TryGetSingleton<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? instance) where T : class
    {
        var id = HandlerSlot<T>.Id;
        var lifetime = (uint)id < (uint)_lifetimes.Length ? _lifetimes[id] : Unknown;
        if (lifetime == Unknown)
            lifetime = LearnLifetime<T>(id);
        if (lifetime != Singleton)
        {
            instance = null;
            return false;
        }
        var singletons = Singletons;
        instance = (uint)id < (uint)singletons.Length && singletons[id] is { } existing
            ? Unsafe.As<T>(existing)
            : ResolveSingleton<T>(id);
        return true;
    }

    /// <summary>
    /// Resolves handler class <typeparamref name="T"/> when it is not (yet) in <see cref="Singletons"/>: a singleton
    /// is resolved once and stored; a scoped or transient class is resolved from the publish's scope, once per publish.
    /// </summary>
    public T Resolve<T>(ref PublishState? state) where T : class
    {
        var id = HandlerSlot<T>.Id;
        var lifetime = (uint)id < (uint)_lifetimes.Length ? _lifetimes[id] : Unknown;
        if (lifetime == Unknown)
            lifetime = LearnLifetime<T>(id);

        if (lifetime == Singleton)
        {
            var singletons = Singletons;
            return (uint)id < (uint)singletons.Length && singletons[id] is { } existing
                ? Unsafe.As<T>(existing)
                : ResolveSingleton<T>(id);
        }

        state ??= new PublishState();
        return state.GetPerPublish<T>(id, _services);
    }

    private byte LearnLifetime<T>(int id) where T : class
    {
        var lifetime = _registrations.LifetimeOf(typeof(T)) switch
        {
            ServiceLifetime.Singleton => Singleton,
            ServiceLifetime.Scoped or ServiceLifetime.Transient => PerPublish,
            _ => throw new InvalidOperationException(
                $"The handler class {typeof(T).FullName} is not registered in the service collection. " +
                "AddHerald registers every handler class the generator found; call services.AddHerald() on the " +
                "collection the bus is resolved from, or register the class yourself."),
        };
        lock (_gate)
        {
            if (id >= _lifetimes.Length)
                Array.Resize(ref _lifetimes, Math.Max(id + 1, _lifetimes.Length * 2));
            _lifetimes[id] = lifetime;
        }
        return lifetime;
    }

    private T ResolveSingleton<T>(int id) where T : class
    {
        var instance = _services.GetRequiredService<T>();
        lock (_gate)
            return Unsafe.As<T>(StoreOnce(ref _singletons, id, instance));
    }

    /// <summary>
    /// Stores <paramref name="value"/> at <paramref name="id"/> unless a value is there already, and returns the one
    /// stored. Callers hold <see cref="_gate"/>; readers read without it, so a full array is copied into a larger one
    /// that is then published whole: a reader never sees a torn array.
    /// </summary>
    private static object StoreOnce(ref object?[] array, int id, object value)
    {
        var current = array;
        if (id >= current.Length)
        {
            var grown = new object?[Math.Max(id + 1, current.Length * 2)];
            Array.Copy(current, grown, current.Length);
            current = grown;
        }
        current[id] ??= value;
        Volatile.Write(ref array, current);
        return current[id]!;
    }
}
