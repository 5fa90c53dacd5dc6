using Microsoft.Extensions.DependencyInjection;

namespace Herald.Durable.Tests;

/// <summary>
/// A durable delivery creates a service scope only when a handler of the event needs one: the app registered its
/// class scoped or transient. Singleton handlers (AddHerald's default) and static ones are called with the root provider.
/// </summary>
public sealed class HandlerScopeTests
{
    [Fact]
    public async Task AScopedDurableHandler_GetsAScopeOfItsOwnPerDelivery_DisposedAfterIt()
    {
        var disposedBefore = VisitScope.Disposed;
        await using var host = await TestHost.StartAsync(register: services =>
        {
            services.AddScoped<VisitScope>();
            services.AddScoped<VisitBook>();
        });
        using var scopes = new ScopeCounter(host.Provider);

        for (var i = 0; i < 5; i++)
            await host.Bus.PublishAsync(new VisitNoted("/home", i));
        await host.Deliveries.WaitForAsync("visits", 5);
        await host.WaitCaughtUpAsync("visits");

        var seen = host.Deliveries.Of<(VisitNoted Visit, int Scope)>("visits").Select(v => v.Scope).ToArray();
        Assert.Equal(5, seen.Distinct().Count());
        Assert.True(VisitScope.Disposed - disposedBefore >= 5, $"{VisitScope.Disposed - disposedBefore} scoped dependencies disposed");
        Assert.True(scopes.Disposed >= 5, $"the provider disposed {scopes.Disposed} scopes");
    }

    [Fact]
    public async Task SingletonDurableHandlers_AreDeliveredWithoutAServiceScope()
    {
        // MeterBook is a singleton (AddHerald's default) and the provider validates scopes, so resolving it from the
        // root is legal; the counter sees every scope the provider disposes, and there is none for 50 deliveries.
        await using var host = await TestHost.StartAsync();
        using var scopes = new ScopeCounter(host.Provider);

        for (var i = 0; i < 50; i++)
            await host.Bus.PublishAsync(new MeterRead("m-" + (i % 5), i));
        await host.Deliveries.WaitForAsync("meters", 50);
        await host.WaitCaughtUpAsync("meters");

        Assert.Equal(50, host.Deliveries.Of<MeterRead>("meters").Count);
        Assert.Equal(0, scopes.Disposed);
    }
}
