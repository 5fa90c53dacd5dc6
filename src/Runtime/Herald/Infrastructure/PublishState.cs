using Microsoft.Extensions.DependencyInjection;

namespace Herald.Infrastructure;

/// <summary>
/// What a publish holds beyond the bus, allocated only when needed: the service scope of scoped and transient
/// handlers, their instances (one per class per publish), and the failures collected so far. A publish to singleton
/// handlers that all succeed never creates one, so it allocates nothing.
/// </summary>
internal sealed class PublishState
{
    private IServiceScope? _scope;
    private Dictionary<int, object>? _perPublish;

    public List<HandlerFailure>? Failures { get; private set; }

    public void AddFailure(HandlerFailure failure) => (Failures ??= []).Add(failure);

    public T GetPerPublish<T>(int id, IServiceProvider services) where T : class
    {
        if (_perPublish is not null && _perPublish.TryGetValue(id, out var resolved))
            return (T)resolved;
        _scope ??= services.GetRequiredService<IServiceScopeFactory>().CreateScope();
        var instance = _scope.ServiceProvider.GetRequiredService<T>();
        (_perPublish ??= [])[id] = instance;
        return instance;
    }

    /// <summary>Disposes the scope (once); the scoped and transient handlers of the publish are done.</summary>
    public void DisposeScope()
    {
        var scope = _scope;
        _scope = null;
        _perPublish = null;
        scope?.Dispose();
    }
}
