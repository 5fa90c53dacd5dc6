using MassTransit;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Peers;

/// <summary>
/// One service provider per library, each configured as its documentation shows, with singleton handlers where the
/// library lets the app choose.
/// </summary>
internal sealed class PeerContainers : IDisposable
{
    private static readonly Type[] s_mediatRHandlers =
    [
        typeof(MediatRHandler1), typeof(MediatRHandler2), typeof(MediatRHandler3), typeof(MediatRHandler4),
        typeof(MediatRHandler5), typeof(MediatRHandler6), typeof(MediatRHandler7), typeof(MediatRHandler8),
    ];

    private PeerContainers(ServiceProvider herald, ServiceProvider mediator, ServiceProvider mediatR, ServiceProvider massTransit)
    {
        Herald = herald;
        Mediator = mediator;
        MediatR = mediatR;
        MassTransit = massTransit;
    }

    public ServiceProvider Herald { get; }

    public ServiceProvider Mediator { get; }

    public ServiceProvider MediatR { get; }

    public ServiceProvider MassTransit { get; }

    public static PeerContainers Create()
        => new(CreateHerald(), CreateMediator(), CreateMediatR(), CreateMassTransit());

    /// <summary>Herald: AddHerald registers the handler classes the generator found, as singletons.</summary>
    private static ServiceProvider CreateHerald()
    {
        var services = new ServiceCollection();
        services.AddHerald();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Mediator 3.0.2: the generated AddMediator registers the generated mediator and every handler; singleton is
    /// its default lifetime and the one its README recommends for speed (stated here so the choice is visible).
    /// Notifications go through its default ForeachAwaitPublisher: handlers in order, one after the other, as
    /// Herald runs them.
    /// </summary>
    private static ServiceProvider CreateMediator()
    {
        var services = new ServiceCollection();
        services.AddMediator((MediatorOptions options) => options.ServiceLifetime = ServiceLifetime.Singleton);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// MediatR 5.1.0: the mediator takes a ServiceFactory delegate (this version's only container hook), here over
    /// Microsoft.Extensions.DependencyInjection. Handler classes are registered as the old assembly-scanning
    /// extension did, one registration per handled notification, but as singletons (that extension's default was
    /// transient, slower) so that every library runs on singleton handlers.
    /// </summary>
    private static ServiceProvider CreateMediatR()
    {
        var services = new ServiceCollection();
        services.AddSingleton<global::MediatR.ServiceFactory>(provider => provider.GetService!);
        services.AddSingleton<global::MediatR.IMediator, global::MediatR.Mediator>();
        foreach (var handler in s_mediatRHandlers)
        {
            services.AddSingleton(handler);
            foreach (var contract in handler.GetInterfaces())
                services.AddSingleton(contract, provider => provider.GetRequiredService(handler));
        }
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// MassTransit 8.5.12: its in-memory mediator with the consumers added through AddConsumer. MassTransit resolves
    /// a consumer in a scope per message (its model; it offers no singleton consumer option), so that cost is part
    /// of its rows.
    /// </summary>
    private static ServiceProvider CreateMassTransit()
    {
        var services = new ServiceCollection();
        services.AddMediator(configure =>
        {
            configure.AddConsumer<MassTransitConsumer1>();
            configure.AddConsumer<MassTransitConsumer2>();
            configure.AddConsumer<MassTransitConsumer3>();
            configure.AddConsumer<MassTransitConsumer4>();
            configure.AddConsumer<MassTransitConsumer5>();
            configure.AddConsumer<MassTransitConsumer6>();
            configure.AddConsumer<MassTransitConsumer7>();
            configure.AddConsumer<MassTransitConsumer8>();
        });
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        Herald.Dispose();
        Mediator.Dispose();
        MediatR.Dispose();
        // The MassTransit mediator is only IAsyncDisposable; this runs once, after the measurements.
        MassTransit.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
