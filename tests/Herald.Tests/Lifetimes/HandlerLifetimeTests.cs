using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.Lifetimes;

public sealed class HandlerLifetimeTests
{
    [Fact]
    public void Publish_DefaultRegistration_UsesOneSingletonInstanceAcrossPublishes()
    {
        using var host = TestHost.Create(services => services.AddSingleton<InstanceLog>());

        host.Bus.Publish(new SessionOpened("ada"));
        host.Bus.Publish(new SessionOpened("grace"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(2, entries.Count);
        Assert.Same(host.Get<SessionAuditor>(), entries[0].Handler);
        Assert.Same(entries[0].Handler, entries[1].Handler);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(host.Services, d => d.ServiceType == typeof(SessionAuditor)).Lifetime);
    }

    [Fact]
    public void Publish_TwoBusesOfOneProvider_ShareTheProvidersSingletonHandler()
    {
        using var host = TestHost.Create(services => services.AddSingleton<InstanceLog>());
        // A second bus over the same provider, made by the factory AddHerald registered.
        var factory = Assert.Single(host.Services, d => d.ServiceType == typeof(IEventBus)).ImplementationFactory;
        Assert.NotNull(factory);
        var second = Assert.IsAssignableFrom<IEventBus>(factory(host.Provider));

        host.Bus.Publish(new SessionOpened("ada"));
        second.Publish(new SessionOpened("grace"));

        Assert.NotSame(host.Bus, second);
        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(2, entries.Count);
        Assert.Same(host.Get<SessionAuditor>(), entries[0].Handler);
        Assert.Same(entries[0].Handler, entries[1].Handler);
    }

    [Fact]
    public void Bus_ResolvedFromAScope_IsTheProvidersSingleton()
    {
        using var host = TestHost.Create(services => services.AddSingleton<InstanceLog>());
        using var scope = host.Provider.CreateScope();

        Assert.Same(host.Bus, scope.ServiceProvider.GetRequiredService<IEventBus>());
    }

    [Fact]
    public void Publish_TwoProviders_EachUsesItsOwnSingletonHandler()
    {
        using var first = TestHost.Create(services => services.AddSingleton<InstanceLog>());
        using var second = TestHost.Create(services => services.AddSingleton<InstanceLog>());

        first.Bus.Publish(new SessionOpened("ada"));
        second.Bus.Publish(new SessionOpened("grace"));
        first.Bus.Publish(new SessionOpened("linus"));

        var firstEntries = first.Get<InstanceLog>().Entries;
        var secondEntries = second.Get<InstanceLog>().Entries;
        Assert.Equal(2, firstEntries.Count);
        var secondEntry = Assert.Single(secondEntries);
        Assert.Same(first.Get<SessionAuditor>(), firstEntries[0].Handler);
        Assert.Same(first.Get<SessionAuditor>(), firstEntries[1].Handler);
        Assert.Same(second.Get<SessionAuditor>(), secondEntry.Handler);
        Assert.NotSame(firstEntries[0].Handler, secondEntry.Handler);
    }

    [Fact]
    public void Publish_AppRegisteredSingletonInstance_IsTheInstanceThatHandles()
    {
        var log = new InstanceLog();
        var auditor = new SessionAuditor(log);
        using var host = TestHost.Create(services => services.AddSingleton(auditor));

        host.Bus.Publish(new SessionOpened("ada"));

        Assert.Same(auditor, Assert.Single(log.Entries).Handler);
    }

    [Fact]
    public void Publish_HandlerRegisteredScoped_GetsANewScopePerPublishDisposedAfterIt()
    {
        using var host = TestHost.Create(services => services
            .AddSingleton<InstanceLog>()
            .AddScoped<DisposalProbe>()
            .AddScoped<BasketPricer>());

        host.Bus.Publish(new BasketChanged("SKU-1"));
        var afterFirst = host.Get<InstanceLog>().Entries;
        Assert.Equal(2, afterFirst.Count);
        Assert.True(afterFirst[0].Dependency!.IsDisposed);

        host.Bus.Publish(new BasketChanged("SKU-2"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(4, entries.Count);
        // Within one publish, both handlers of the class share the scope's instance.
        Assert.Same(entries[0].Handler, entries[1].Handler);
        Assert.Same(entries[2].Handler, entries[3].Handler);
        // Each publish gets a new scope: a new handler and a new scoped dependency, disposed after the publish.
        Assert.NotSame(entries[0].Handler, entries[2].Handler);
        Assert.NotSame(entries[0].Dependency, entries[2].Dependency);
        Assert.All(entries, entry => Assert.True(entry.Dependency!.IsDisposed));
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(host.Services, d => d.ServiceType == typeof(BasketPricer)).Lifetime);
    }

    [Fact]
    public async Task PublishAsync_HandlerRegisteredScoped_GetsANewScopePerPublishDisposedAfterIt()
    {
        using var host = TestHost.Create(services => services
            .AddSingleton<InstanceLog>()
            .AddScoped<DisposalProbe>()
            .AddScoped<BasketPricer>());

        await host.Bus.PublishAsync(new BasketChanged("SKU-1"));
        await host.Bus.PublishAsync(new BasketChanged("SKU-2"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(4, entries.Count);
        Assert.Same(entries[0].Handler, entries[1].Handler);
        Assert.NotSame(entries[0].Handler, entries[2].Handler);
        Assert.NotSame(entries[0].Dependency, entries[2].Dependency);
        Assert.All(entries, entry => Assert.True(entry.Dependency!.IsDisposed));
    }

    [Fact]
    public void Publish_HandlerRegisteredTransient_GetsANewInstancePerPublishAndDisposesItsDependencies()
    {
        using var host = TestHost.Create(services => services
            .AddSingleton<InstanceLog>()
            .AddTransient<DisposalProbe>()
            .AddTransient<ReportBuilder>());

        host.Bus.Publish(new ReportRequested("daily"));
        var afterFirst = Assert.Single(host.Get<InstanceLog>().Entries);
        Assert.True(afterFirst.Dependency!.IsDisposed);

        host.Bus.Publish(new ReportRequested("weekly"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(2, entries.Count);
        Assert.NotSame(entries[0].Handler, entries[1].Handler);
        Assert.NotSame(entries[0].Dependency, entries[1].Dependency);
        Assert.True(entries[1].Dependency!.IsDisposed);
        Assert.Equal(ServiceLifetime.Transient, Assert.Single(host.Services, d => d.ServiceType == typeof(ReportBuilder)).Lifetime);
    }

    [Fact]
    public void Publish_TransientClassWithTwoHandlers_GetsOneInstancePerPublishSharedByBoth()
    {
        using var host = TestHost.Create(services => services
            .AddSingleton<InstanceLog>()
            .AddTransient<DisposalProbe>()
            .AddTransient<ShiftPlanner>());

        host.Bus.Publish(new ShiftSwapped("ada"));
        host.Bus.Publish(new ShiftSwapped("grace"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(4, entries.Count);
        Assert.Same(entries[0].Handler, entries[1].Handler);
        Assert.Same(entries[2].Handler, entries[3].Handler);
        Assert.NotSame(entries[0].Handler, entries[2].Handler);
        Assert.All(entries, entry => Assert.True(entry.Dependency!.IsDisposed));
    }

    [Fact]
    public void Publish_HandlerRegisteredScopedAfterAddHerald_LastRegistrationWins()
    {
        var services = new ServiceCollection()
            .AddSingleton<InstanceLog>()
            .AddScoped<DisposalProbe>();
        services.AddHerald();
        services.AddScoped<BasketPricer>();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();

        bus.Publish(new BasketChanged("SKU-1"));
        bus.Publish(new BasketChanged("SKU-2"));

        var entries = provider.GetRequiredService<InstanceLog>().Entries;
        Assert.Equal(4, entries.Count);
        Assert.NotSame(entries[0].Handler, entries[2].Handler);
        Assert.All(entries, entry => Assert.True(entry.Dependency!.IsDisposed));
    }

    [Fact]
    public async Task Publish_SingletonAndScopedClassesOfOneEvent_SingletonIsSharedScopedIsPerPublish()
    {
        // One scoped class keeps the whole event on the per-publish path; the singleton stays the provider's.
        using var host = TestHost.Create(services => services
            .AddSingleton<InstanceLog>()
            .AddScoped<DisposalProbe>()
            .AddScoped<ShiftAuditor>());

        host.Bus.Publish(new ShiftClosed("ada"));
        await host.Bus.PublishAsync(new ShiftClosed("grace"));
        HeraldDispatch.Publish(host.Bus, new ShiftClosed("linus"));

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(6, entries.Count);
        var singleton = host.Get<ShiftCloser>();
        Assert.All(new[] { entries[0], entries[2], entries[4] }, entry => Assert.Same(singleton, entry.Handler));
        var scoped = new[] { entries[1], entries[3], entries[5] };
        Assert.All(scoped, entry => Assert.IsType<ShiftAuditor>(entry.Handler));
        Assert.Equal(3, scoped.Select(entry => entry.Handler).Distinct().Count());
        Assert.All(scoped, entry => Assert.True(entry.Dependency!.IsDisposed));
    }

    [Fact]
    public async Task Publish_FirstPublishesOfANewBusFromManyThreads_EveryPublishRunsTheProvidersSingletonOnce()
    {
        // The first publish of an event on a bus resolves its handler instances once; racing first publishes
        // must each run the handler once, and all with the provider's singleton.
        using var host = TestHost.Create(services => services.AddSingleton<InstanceLog>());
        using var start = new ManualResetEventSlim();
        var publishers = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            start.Wait();
            for (var n = 0; n < 100; n++)
                host.Bus.Publish(new SessionOpened("user" + i));
        })).ToArray();

        start.Set();
        await Task.WhenAll(publishers);

        var entries = host.Get<InstanceLog>().Entries;
        Assert.Equal(800, entries.Count);
        var singleton = host.Get<SessionAuditor>();
        Assert.All(entries, entry => Assert.Same(singleton, entry.Handler));
    }
}
