using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// Publish sites give an event type that only a base type's handlers receive its own table entry. The generator reads
/// most sites by binding the receiver and the event type on their own, not the method body around them (that runs
/// on every edit); these tests pin down that every way of writing a site still reads the type the call publishes,
/// and that a site whose receiver is not an <c>IEventBus</c> adds nothing.
/// </summary>
public sealed class PublishSiteTests
{
    public static TheoryData<string, string> SitesOfHeraldPublishes => new()
    {
        { "primary-constructor parameter, new", "public sealed class Site(IEventBus bus) { public void Go() => bus.Publish(new Derived(1)); }" },
        { "field, new", "public sealed class Site { private readonly IEventBus _bus; public Site(IEventBus bus) => _bus = bus; public void Go() => _bus.Publish(new Derived(1)); }" },
        { "this.field, new", "public sealed class Site { private readonly IEventBus _bus; public Site(IEventBus bus) => _bus = bus; public void Go() => this._bus.Publish(new Derived(1)); }" },
        { "method parameter, new", "public static class Site { public static void Go(IEventBus bus) => bus.Publish(new Derived(1)); }" },
        { "method parameter, typed parameter", "public static class Site { public static void Go(IEventBus bus, Derived e) => bus.Publish(e); }" },
        { "var local receiver, var local event", "public static class Site { public static void Go(System.IServiceProvider services) { var bus = (IEventBus)services.GetService(typeof(IEventBus))!; var e = new Derived(1); bus.Publish(e); } }" },
        { "typed local", "public static class Site { public static void Go(IEventBus bus) { Derived e = new(1); bus.Publish(e); } }" },
        { "explicit type argument", "public static class Site { public static void Go(IEventBus bus) => bus.Publish<Derived>(new Derived(1)); }" },
        { "PublishAsync in an async lambda", "public static class Site { public static System.Func<Task> Go(IEventBus bus) => async () => await bus.PublishAsync(new Derived(1)); }" },
        { "static property", "public static class Buses { public static IEventBus Main { get; set; } = null!; } public static class Site { public static void Go() => Buses.Main.Publish(new Derived(1)); }" },
        { "parameter shadowing a field of another type", "public sealed class Site { private readonly object bus = new(); public void Go(IEventBus bus) => bus.Publish(new Derived(1)); }" },
        { "named argument", "public static class Site { public static ValueTask Go(IEventBus bus) => bus.PublishAsync(cancellationToken: default, @event: new Derived(1)); }" },
        { "property initializer", "public sealed class Site(IEventBus bus) { public System.Action Go { get; } = () => bus.Publish(new Derived(1)); }" },
    };

    [Theory]
    [MemberData(nameof(SitesOfHeraldPublishes))]
    public void HeraldPublishSite_GivesThePublishedTypeAnEntry(string shape, string site)
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Sites", Source(site)));

        Assert.Empty(run.CompilationProblems());
        Assert.True(
            run.GeneratedSource.Contains("global::Herald.Infrastructure.EventDispatcher<global::Sample.Derived>", StringComparison.Ordinal),
            $"The site ({shape}) did not give Derived an entry.");
    }

    public static TheoryData<string, string> SitesOfOtherPublishes => new()
    {
        { "another library's Publish", "public sealed class Other { public void Publish(Derived e) { } } public static class Site { public static void Go(Other other) => other.Publish(new Derived(1)); }" },
        { "local of another type shadowing an IEventBus field", "public sealed class Other { public void Publish(Derived e) { } } public sealed class Site(IEventBus inner) { private readonly IEventBus bus = inner; public void Go() { var bus = new Other(); bus.Publish(new Derived(1)); } }" },
        { "parameter of another type shadowing an IEventBus field", "public sealed class Other { public void Publish(Derived e) { } } public sealed class Site(IEventBus inner) { private readonly IEventBus bus = inner; public void Go(Other bus) => bus.Publish(new Derived(1)); }" },
        { "explicit base type argument", "public static class Site { public static void Go(IEventBus bus) => bus.Publish<Base>(new Derived(1)); }" },
    };

    [Theory]
    [MemberData(nameof(SitesOfOtherPublishes))]
    public void OtherSite_GivesDerivedNoEntry(string shape, string site)
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Sites", Source(site)));

        Assert.Empty(run.CompilationProblems());
        Assert.False(
            run.GeneratedSource.Contains("global::Herald.Infrastructure.EventDispatcher<global::Sample.Derived>", StringComparison.Ordinal),
            $"The site ({shape}) gave Derived an entry, but it publishes nothing of type Derived through Herald.");
        Assert.Contains("global::Herald.Infrastructure.EventDispatcher<global::Sample.Base>", run.GeneratedSource, StringComparison.Ordinal);
    }

    private static string Source(string site) => $$"""
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public record Base(int Number);

        public sealed record Derived(int Number) : Base(Number);

        public static class BaseHandler
        {
            [Subscribe]
            public static void Handle(Base e) { }
        }

        {{site}}
        """;
}
