using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.Validation;

public sealed class ArgumentValidationTests
{
    [Fact]
    public void Publish_NullEvent_ThrowsArgumentNullException()
    {
        using var host = TestHost.Create();

        var thrown = Assert.Throws<ArgumentNullException>(() => host.Bus.Publish<AccountClosed>(null!));

        Assert.Equal("event", thrown.ParamName);
    }

    [Fact]
    public void PublishAsync_NullEvent_ThrowsArgumentNullExceptionBeforeReturning()
    {
        using var host = TestHost.Create();

        var thrown = Assert.Throws<ArgumentNullException>(() => { _ = host.Bus.PublishAsync<AccountClosed>(null!); });

        Assert.Equal("event", thrown.ParamName);
    }

    [Fact]
    public void Publish_NullEventOfATypeWithoutHandlers_ThrowsArgumentNullException()
    {
        using var host = TestHost.Create();

        var thrown = Assert.Throws<ArgumentNullException>(() => host.Bus.Publish<AccountArchived>(null!));

        Assert.Equal("event", thrown.ParamName);
    }

    [Fact]
    public void PublishAsync_NullEventOfATypeWithoutHandlers_ThrowsArgumentNullException()
    {
        using var host = TestHost.Create();

        var thrown = Assert.Throws<ArgumentNullException>(() => { _ = host.Bus.PublishAsync<AccountArchived>(null!); });

        Assert.Equal("event", thrown.ParamName);
    }

    [Fact]
    public void TypedPublish_NullEvent_ThrowsArgumentNullException()
    {
        using var host = TestHost.Create();

        Assert.Throws<ArgumentNullException>(() => HeraldDispatch.Publish(host.Bus, (AccountClosed)null!));
        Assert.Throws<ArgumentNullException>(() => { _ = HeraldDispatch.PublishAsync(host.Bus, (AccountClosed)null!); });
    }

    [Fact]
    public void AddHerald_NullServices_ThrowsArgumentNullException()
    {
        var thrown = Assert.Throws<ArgumentNullException>(() => HeraldServiceCollectionExtensions.AddHerald(null!));

        Assert.Equal("services", thrown.ParamName);
    }

    [Fact]
    public void AddHerald_NullConfigure_ThrowsArgumentNullExceptionAndRegistersNothing()
    {
        var services = new ServiceCollection();

        var thrown = Assert.Throws<ArgumentNullException>(() => services.AddHerald(null!));

        Assert.Equal("configure", thrown.ParamName);
        Assert.Empty(services);
    }

    [Fact]
    public void AddHerald_UndefinedFailurePolicy_ThrowsArgumentOutOfRangeExceptionAndRegistersNothing()
    {
        var services = new ServiceCollection();

        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHerald(o => o.FailurePolicy = (FailurePolicy)42));

        Assert.Equal("configure", thrown.ParamName);
        Assert.Equal((FailurePolicy)42, thrown.ActualValue);
        Assert.Empty(services);
    }

    [Fact]
    public void AddHerald_RegistersTheBusAsASingleton()
    {
        var services = new ServiceCollection();

        services.AddHerald(o => o.FailurePolicy = FailurePolicy.StopOnFirst);

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IEventBus)).Lifetime);
    }
}
