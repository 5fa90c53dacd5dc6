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
    private object?[] _singletons = new object?[IdCounter.HandlerClasses.Count + 8];
    private byte[] _lifetimes = new byte[IdCounter.HandlerClasses.Count + 8];
    private object?[] _handlerSets = new object?[IdCounter.HandlerSets.Count + 8];

    private DurableRuntime? _durable;

    public EventBus(IServiceProvider services, HeraldOptions options, HandlerRegistrations registrations)
    {
        _services = services;
        _registrations = registrations;
        Options = options;
        StopOnFirstFailure = options.FailurePolicy == FailurePolicy.StopOnFirst;
        PublishObserver[] observers = [.. services.GetServices<PublishObserver>()];
        if (observers.Length > 0)
        {
            PublishObservers = new PublishObservers(observers);
            HeraldRegistry.ObservePublishes();
        }
    }

    EventBus IEventBus.Bus => this;

    public HeraldOptions Options { get; }

    public bool StopOnFirstFailure { get; }

    /// <summary>The registered <see cref="PublishObserver"/>s; null when there are none (the case of every app).</summary>
    public PublishObservers? PublishObservers { get; }

    /// <summary>The durable side (log, writer), resolved on the first durable publish.</summary>
    public DurableRuntime Durable => _durable ??= _services.GetRequiredService<DurableRuntime>();

    /// <summary>The singleton handler instances, indexed by <see cref="HandlerSlot{THandler}.Id"/>.</summary>
    public object?[] Singletons => Volatile.Read(ref _singletons);

    /// <summary>The handler sets of this bus, indexed by <see cref="HandlerSet{TSet}.Id"/>.</summary>
    public object?[] HandlerSets => Volatile.Read(ref _handlerSets);

    /// <summary>
    /// Creates and stores the handler set <paramref name="id"/> unless it is already there; null when
    /// <paramref name="create"/> returns null (a handler class of the event is not a singleton). That answer is not
    /// remembered: asking again costs a lifetime lookup per handler class, far less than the scope such a publish
    /// creates anyway.
    /// </summary>
    public TSet? ResolveHandlerSet<TSet>(int id, IEventBus bus, Func<IEventBus, TSet?> create) where TSet : class
    {
        var set = create(bus);
        if (set is null)
            return null;
        lock (_gate)
            return Unsafe.As<TSet>(StoreOnce(ref _handlerSets, id, set));
    }

    /// <summary>The singleton instance of <typeparamref name="T"/>; false when the class is scoped or transient.</summary>
    public bool TryGetSingleton<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? instance) where T : class
    {
        var id = HandlerSlot<T>.Id;
        instance = LifetimeOf<T>(id) == Singleton ? SingletonOf<T>(id) : null;
        return instance is not null;
    }

    /// <summary>
    /// Whether a handler's failure is collected so that the publish goes on: not under
    /// <see cref="FailurePolicy.StopOnFirst"/>, and never the cancellation of <paramref name="cancellationToken"/>.
    /// </summary>
    public bool Isolates(Exception exception, CancellationToken cancellationToken)
        => !StopOnFirstFailure && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>
    /// Resolves handler class <typeparamref name="T"/> when it is not (yet) in <see cref="Singletons"/>: a singleton
    /// is resolved once and stored; a scoped or transient class is resolved from the publish's scope, once per publish.
    /// </summary>
    public T Resolve<T>(ref PublishState? state) where T : class
    {
        var id = HandlerSlot<T>.Id;
        if (LifetimeOf<T>(id) == Singleton)
            return SingletonOf<T>(id);
        state ??= new PublishState();
        return state.GetPerPublish<T>(id, _services);
    }

    private byte LifetimeOf<T>(int id) where T : class
    {
        var lifetimes = _lifetimes;
        var lifetime = (uint)id < (uint)lifetimes.Length ? lifetimes[id] : Unknown;
        return lifetime == Unknown ? LearnLifetime<T>(id) : lifetime;
    }

    private T SingletonOf<T>(int id) where T : class
    {
        var singletons = Singletons;
        return (uint)id < (uint)singletons.Length && singletons[id] is { } existing
            ? Unsafe.As<T>(existing)
            : ResolveSingleton<T>(id);
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
