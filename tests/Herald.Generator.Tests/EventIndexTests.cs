using Herald.CodeAnalysis;
using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Herald.Generator.Tests;

/// <summary>
/// The event index the generator writes for the analyzers (<see cref="EventIndex"/>): every handled and published
/// type with what it converts to, its handlers and whether it is published, in a file that compiles to nothing.
/// </summary>
public sealed class EventIndexTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Shop;

        public interface IOrderEvent { int Id { get; } }

        [Event("orders.placed")]
        public sealed record OrderPlaced(int Id) : IOrderEvent;

        public sealed record CacheWarmed(string Region);

        public sealed record Untracked(int Id);

        public sealed class Handlers
        {
            [Subscribe] public void Log(OrderPlaced e) { }
            [Subscribe] public Task Mail(OrderPlaced e, CancellationToken ct) => Task.CompletedTask;
            [Subscribe(Consumer = "search")] public Task Index(OrderPlaced e) => Task.CompletedTask;
            [Subscribe] public static ValueTask Audit(IOrderEvent e) => default;
            [Subscribe] private void Hidden(CacheWarmed e) { }
            [Subscribe(Consumer = "search")] public void Track(Untracked e) { }
        }

        public static class Publishers
        {
            public static void Warm(IEventBus bus) => bus.Publish(new CacheWarmed("eu"));
            public static ValueTask Place(IEventBus bus) => bus.PublishAsync(new OrderPlaced(1));
        }
        """;

    [Fact]
    public void Index_ListsHandledAndPublishedTypesWithTheirHandlers()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Shop", Source));

        var index = IndexText(run);
        Assert.Equal(
            [
                "//E\tglobal::Shop.CacheWarmed\tglobal::System.IEquatable<global::Shop.CacheWarmed>",
                "//P\tglobal::Shop.CacheWarmed",
                "//E\tglobal::Shop.IOrderEvent",
                "//H\tglobal::Shop.IOrderEvent\tasync\tShop.Handlers.Audit",
                "//E\tglobal::Shop.OrderPlaced\tglobal::Shop.IOrderEvent\tglobal::System.IEquatable<global::Shop.OrderPlaced>",
                "//H\tglobal::Shop.OrderPlaced\tsync\tShop.Handlers.Log",
                "//H\tglobal::Shop.OrderPlaced\tasync\tShop.Handlers.Mail",
                "//H\tglobal::Shop.OrderPlaced\tdurable\tShop.Handlers.Index",
                "//P\tglobal::Shop.OrderPlaced",
                "//E\tglobal::Shop.Untracked\tglobal::System.IEquatable<global::Shop.Untracked>",
                "//H\tglobal::Shop.Untracked\tdurable\tShop.Handlers.Track",
            ],
            index.Split('\n').Where(line => line.StartsWith("//", StringComparison.Ordinal) && line.Length > 3 && line[3] == '\t'));
    }

    [Fact]
    public void Index_ReadsBackAsWritten_AndCompilesToNothing()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Shop", Source));

        var events = EventIndex.Read(SourceText.From(IndexText(run)));

        Assert.NotNull(events);
        var placed = events["global::Shop.OrderPlaced"];
        Assert.True(placed.IsPublished);
        Assert.Equal(["global::Shop.IOrderEvent", "global::System.IEquatable<global::Shop.OrderPlaced>"], placed.ConvertsTo);
        Assert.Equal(
            [(IndexedHandlerKind.Sync, "Shop.Handlers.Log"), (IndexedHandlerKind.Async, "Shop.Handlers.Mail"), (IndexedHandlerKind.Durable, "Shop.Handlers.Index")],
            placed.Handlers.Select(h => (h.Kind, h.DisplayName)));
        // The private handler is not one Herald calls (HER0005), so it makes nothing an event.
        Assert.Empty(events["global::Shop.CacheWarmed"].Handlers);

        var tree = run.OutputCompilation.SyntaxTrees.Single(t => EventIndex.IsIndexPath(t.FilePath));
        Assert.Empty(tree.GetRoot().DescendantNodes());
        Assert.Empty(run.CompilationProblems());
    }

    [Fact]
    public void DurableEventWithoutHandlersOrPublishSites_IsListed()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Shop", "namespace Shop; [Herald.Event(\"a.b\")] public sealed class Named { public int Id { get; init; } }"));

        var events = EventIndex.Read(SourceText.From(IndexText(run)));

        var named = Assert.Single(events!.Values);
        Assert.Equal("global::Shop.Named", named.TypeName);
        Assert.Empty(named.Handlers);
        Assert.False(named.IsPublished);
    }

    [Fact]
    public void DurableHandlerOfAnUnnamedEvent_IsIndexed_ButNotDispatchedOrRegistered()
    {
        // The log cannot store the event (HER0007), so the handler runs nowhere; the analyzers still need to know that
        // a durable consumer receives the type.
        var run = GeneratorRun.Run(TestCompilation.Create("Shop", """
            using Herald;

            namespace Shop;

            public sealed record Untracked(int Id);

            public sealed class Tracker
            {
                [Subscribe(Consumer = "tracking")] public void Track(Untracked e) { }
            }
            """));

        Assert.DoesNotContain(run.Result.GeneratedSources, source => source.HintName == GeneratorRun.HintName);
        Assert.Contains("//H\tglobal::Shop.Untracked\tdurable\tShop.Tracker.Track", IndexText(run), StringComparison.Ordinal);
    }

    [Fact]
    public void CompilationWithoutEvents_GetsNoIndex()
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Shop", "namespace Shop; public sealed record NotAnEvent(int Id);"));

        Assert.DoesNotContain(run.Result.GeneratedSources, source => source.HintName == EventIndex.HintName);
    }

    [Theory]
    [InlineData("Herald.EventIndex.g.cs", true)]
    [InlineData("Herald.Generator/Herald.Generator.DispatchGenerator/Herald.EventIndex.g.cs", true)]
    [InlineData(@"obj\generated\Herald.Generator\Herald.Generator.DispatchGenerator\Herald.EventIndex.g.cs", true)]
    [InlineData("MyHerald.EventIndex.g.cs", false)]
    [InlineData("Herald.DispatchTable.g.cs", false)]
    public void IndexPath_IsRecognizedByItsFileName(string path, bool isIndex)
        => Assert.Equal(isIndex, EventIndex.IsIndexPath(path));

    private static string IndexText(GeneratorRun run)
        => run.Result.GeneratedSources.Single(source => source.HintName == EventIndex.HintName).SourceText.ToString();
}
