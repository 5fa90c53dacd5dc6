using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Infrastructure;

/// <summary>
/// The dispatch table that the generator writes for one assembly: a dispatcher per event type (holding the
/// handlers of this assembly and of every referenced assembly that has a table), and the registration of
/// handler classes. Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class HeraldModule
{
    private readonly HashSet<string> _covers;

    /// <summary>Creates the module.</summary>
    /// <param name="name">The assembly name.</param>
    /// <param name="covers">The assemblies whose handlers this module's tables include, itself included.</param>
    protected HeraldModule(string name, string[] covers)
    {
        Name = name;
        _covers = new HashSet<string>(covers, StringComparer.Ordinal) { name };
    }

    /// <summary>The assembly name.</summary>
    public string Name { get; }

    /// <summary>Whether this module's tables include the handlers of <paramref name="moduleName"/>.</summary>
    public bool Covers(string moduleName) => _covers.Contains(moduleName);

    /// <summary>The dispatchers of this module, one per event type.</summary>
    protected abstract EventDispatcher[] CreateDispatchers();

    internal EventDispatcher[] GetDispatchers() => CreateDispatchers();

    /// <summary>The durable event types this assembly declares (those with an <see cref="EventAttribute"/>).</summary>
    protected virtual DurableEventType[] CreateDurableEventTypes() => [];

    internal DurableEventType[] GetDurableEventTypes() => CreateDurableEventTypes();

    /// <summary>The durable handlers (<c>[Subscribe(Consumer = ...)]</c>) this assembly declares.</summary>
    protected virtual DurableHandler[] CreateDurableHandlers() => [];

    internal DurableHandler[] GetDurableHandlers() => CreateDurableHandlers();

    /// <summary>Registers the handler classes of this module's tables (as singletons unless already registered).</summary>
    public abstract void AddHandlerServices(IServiceCollection services);
}
