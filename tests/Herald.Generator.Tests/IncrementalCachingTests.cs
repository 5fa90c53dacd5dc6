using Herald.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests;

/// <summary>
/// The pipeline's caching: an edit that does not touch handlers or publish sites must not rerun the table or
/// rewrite the sources, and an edit that does must rewrite the file it changes, and only that one: the dispatch table
/// for handlers and events, the interceptors for a file with publish sites (their locations hold its checksum).
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string HandlersPath = "Handlers.cs";
    private const string OtherPath = "Other.cs";
    private const string ParcelPath = "Parcel.cs";
    private const string ServicesPath = "Services.cs";

    private const string Handlers = """
        using Herald;

        namespace Sample;

        public sealed record OrderPlaced(int OrderId);

        public static class AuditLog
        {
            [Subscribe(Order = 1)]
            public static void Write(OrderPlaced e) { }
        }

        public sealed class Mailer
        {
            [Subscribe]
            public void Send(OrderPlaced e) { }
        }

        [Event("orders.shipped")]
        public sealed record OrderShipped(int OrderId, string Carrier, Parcel Parcel);

        public sealed class Tracker
        {
            [Subscribe(Consumer = "tracking")]
            public void Track(OrderShipped e) { }
        }
        """;

    /// <summary>A payload type of the durable event, in a file of its own.</summary>
    private const string Parcel = """
        namespace Sample;

        public sealed record Parcel(double WeightKg);
        """;

    private const string Other = """
        using Herald;

        namespace Sample;

        public sealed class Checkout(IEventBus bus)
        {
            public void Complete(int orderId) => bus.Publish(new OrderPlaced(orderId));
        }
        """;

    /// <summary>Code that neither handles nor publishes.</summary>
    private const string Services = """
        namespace Sample;

        public sealed class PriceList
        {
            public decimal PriceOf(string sku) => sku.Length;
        }
        """;

    private static Compilation Initial()
        => TestCompilation.Create("Sample.Caching", [(HandlersPath, Handlers), (OtherPath, Other), (ParcelPath, Parcel), (ServicesPath, Services)]);

    [Fact]
    public void FirstRun_TracksEveryModelStepAndWritesTheTable()
    {
        var run = GeneratorRun.Run(Initial(), trackSteps: true);

        foreach (var step in TrackedSteps.Names)
            Assert.True(TrackedSteps.Of(run.Result, step).Length > 0, $"Step {step} was not tracked.");
        Assert.All(Outputs(run, TrackingNames.Table), output => Assert.Equal(IncrementalStepRunReason.New, output.Reason));
        Assert.All(SourceOutputs(run), output => Assert.Equal(IncrementalStepRunReason.New, output.Reason));
        Assert.NotEmpty(SourceOutputs(run));
    }

    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerate()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var edited = initial.AddSyntaxTrees(TestCompilation.Parse("namespace Sample; public sealed class Unrelated { public int Value { get; set; } }", "Unrelated.cs"));
        var second = GeneratorRun.Continue(first.Driver, edited);

        AssertNothingRegenerated(second);
        Assert.Equal(first.GeneratedSource, second.GeneratedSource);
    }

    [Fact]
    public void EditingUnrelatedCode_DoesNotRegenerate()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var servicesTree = initial.SyntaxTrees.Single(t => t.FilePath == ServicesPath);
        var editedServices = Services.Replace("=> sku.Length;", "=> sku.Length * 2;\n\n    public int Attempts { get; private set; }", StringComparison.Ordinal);
        Assert.NotEqual(Services, editedServices);
        var edited = initial.ReplaceSyntaxTree(servicesTree, TestCompilation.Parse(editedServices, ServicesPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        AssertNothingRegenerated(second);
        AssertSameText(first, second, HintNames.DispatchTable);
        AssertSameText(first, second, HintNames.Interceptors);
    }

    [Fact]
    public void EditingFileWithPublishSite_RegeneratesOnlyTheInterceptors()
    {
        // The site's interceptable location holds a checksum of its file: any edit there moves it.
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var otherTree = initial.SyntaxTrees.Single(t => t.FilePath == OtherPath);
        var editedOther = Other.Replace("public void Complete(", "public int Attempts { get; private set; }\n\n    public void Complete(", StringComparison.Ordinal);
        var edited = initial.ReplaceSyntaxTree(otherTree, TestCompilation.Parse(editedOther, OtherPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        Assert.Contains(Outputs(second, TrackingNames.InterceptableSites), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(second, TrackingNames.Interceptors), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.All(Outputs(second, TrackingNames.PublishedEvents), output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        Assert.All(Outputs(second, TrackingNames.Table), output => Assert.True(
            output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached,
            $"Table output was {output.Reason}."));
        AssertSameText(first, second, HintNames.DispatchTable);
        AssertNewText(first, second, HintNames.Interceptors);
        Assert.NotEqual(first.InterceptorsSource, second.InterceptorsSource);
        Assert.Empty(second.CompilationProblems());
    }

    [Fact]
    public void ChangingHandlerOrder_RegeneratesTheTable()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var handlersTree = initial.SyntaxTrees.Single(t => t.FilePath == HandlersPath);
        var reordered = Handlers.Replace("[Subscribe(Order = 1)]", "[Subscribe(Order = 2)]", StringComparison.Ordinal);
        var edited = initial.ReplaceSyntaxTree(handlersTree, TestCompilation.Parse(reordered, HandlersPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        Assert.All(Outputs(second, TrackingNames.Table), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        AssertNewText(first, second, HintNames.DispatchTable);
        // The interceptors name the table's methods by event type, not by handler, and the durable file holds no
        // handler: both stay as they were.
        AssertSameText(first, second, HintNames.Interceptors);
        AssertSameText(first, second, HintNames.DurableJson);
        Assert.All(Outputs(second, TrackingNames.DurableFile), output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        // The order is the table's alone: the event index (the analyzers' file) stays as it was.
        AssertSameText(first, second, HintNames.EventIndex);
        Assert.All(Outputs(second, TrackingNames.EventIndex), output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        Assert.NotEqual(first.GeneratedSource, second.GeneratedSource);
        Assert.Contains("typeof(global::Sample.OrderPlaced), 1, 0, \"Sample.AuditLog.Write\"", first.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("typeof(global::Sample.OrderPlaced), 2, 0, \"Sample.AuditLog.Write\"", second.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingCommentAboveHandler_LeavesTableUnchangedAndSourceCached()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var handlersTree = initial.SyntaxTrees.Single(t => t.FilePath == HandlersPath);
        var commented = Handlers.Replace(
            "    [Subscribe(Order = 1)]",
            "    // Written first: the audit line must exist before anyone is told.\n    [Subscribe(Order = 1)]",
            StringComparison.Ordinal);
        Assert.NotEqual(Handlers, commented);
        var edited = initial.ReplaceSyntaxTree(handlersTree, TestCompilation.Parse(commented, HandlersPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        // The handlers moved, and the pipeline saw it...
        Assert.Contains(Outputs(second, TrackingNames.Handlers), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(Outputs(second, TrackingNames.AllHandlers), output => output.Reason == IncrementalStepRunReason.Modified);
        // ...but the table holds only what it writes, and the written text does not depend on positions.
        var table = Outputs(second, TrackingNames.Table);
        Assert.NotEmpty(table);
        Assert.All(table, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached,
            $"Table output was {output.Reason}."));
        var sources = SourceOutputs(second);
        Assert.NotEmpty(sources);
        Assert.All(sources, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.GeneratedSource, second.GeneratedSource);
    }

    [Fact]
    public void RenamingHandler_RegeneratesTheTable()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var handlersTree = initial.SyntaxTrees.Single(t => t.FilePath == HandlersPath);
        var renamed = Handlers.Replace("public void Send(", "public void Deliver(", StringComparison.Ordinal);
        Assert.NotEqual(Handlers, renamed);
        var edited = initial.ReplaceSyntaxTree(handlersTree, TestCompilation.Parse(renamed, HandlersPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        var table = Outputs(second, TrackingNames.Table);
        Assert.NotEmpty(table);
        Assert.All(table, output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        AssertNewText(first, second, HintNames.DispatchTable);
        AssertSameText(first, second, HintNames.Interceptors);
        Assert.Contains("context.Get<global::Sample.Mailer>().Send(e)", first.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("context.Get<global::Sample.Mailer>().Deliver(e)", second.GeneratedSource, StringComparison.Ordinal);
        Assert.DoesNotContain(".Send(e)", second.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void RenamingDurableEventMember_RegeneratesItsSerialization()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var handlersTree = initial.SyntaxTrees.Single(t => t.FilePath == HandlersPath);
        var renamed = Handlers.Replace("string Carrier,", "string Courier,", StringComparison.Ordinal);
        Assert.NotEqual(Handlers, renamed);
        var edited = initial.ReplaceSyntaxTree(handlersTree, TestCompilation.Parse(renamed, HandlersPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        Assert.Contains(Outputs(second, TrackingNames.DurableEvents), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(second, TrackingNames.Table), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.All(Outputs(second, TrackingNames.DurableFile), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        AssertNewText(first, second, HintNames.DurableJson);
        Assert.Contains("\"carrier\"u8", first.DurableSource, StringComparison.Ordinal);
        Assert.Contains("\"courier\"u8", second.GeneratedSource, StringComparison.Ordinal);
        Assert.DoesNotContain("\"carrier\"u8", second.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void EditingPayloadTypeInAnotherFile_RegeneratesTheSerialization()
    {
        // The [Event] type's file is untouched: its model still changes, because its payload reaches the edited type.
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var parcelTree = initial.SyntaxTrees.Single(t => t.FilePath == ParcelPath);
        var widened = Parcel.Replace("double WeightKg", "double WeightKg, string Barcode", StringComparison.Ordinal);
        var edited = initial.ReplaceSyntaxTree(parcelTree, TestCompilation.Parse(widened, ParcelPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        Assert.Contains(Outputs(second, TrackingNames.DurableEvents), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(second, TrackingNames.Table), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.DoesNotContain("\"barcode\"u8", first.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("\"barcode\"u8", second.GeneratedSource, StringComparison.Ordinal);
        Assert.Empty(second.CompilationProblems());
    }

    [Fact]
    public void ChangingEventName_RegeneratesTheTable()
    {
        var initial = Initial();
        var first = GeneratorRun.Run(initial, trackSteps: true);

        var handlersTree = initial.SyntaxTrees.Single(t => t.FilePath == HandlersPath);
        var renamed = Handlers.Replace("[Event(\"orders.shipped\")]", "[Event(\"orders.dispatched\", Version = 2)]", StringComparison.Ordinal);
        Assert.NotEqual(Handlers, renamed);
        var edited = initial.ReplaceSyntaxTree(handlersTree, TestCompilation.Parse(renamed, HandlersPath));
        var second = GeneratorRun.Continue(first.Driver, edited);

        Assert.All(Outputs(second, TrackingNames.Table), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.Contains(": base(\"orders.shipped\", 1, global::Herald.Durability.Persisted)", first.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains(": base(\"orders.dispatched\", 2, global::Herald.Durability.Persisted)", second.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("\"tracking\",\n                    \"orders.dispatched\",", second.GeneratedSource, StringComparison.Ordinal);
    }

    private static void AssertNothingRegenerated(GeneratorRun run)
    {
        foreach (var step in TrackedSteps.Names)
        {
            var outputs = Outputs(run, step);
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} output was {output.Reason}."));
        }

        var sources = SourceOutputs(run);
        Assert.NotEmpty(sources);
        Assert.All(sources, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    /// <summary>The file <paramref name="hintName"/> was not generated again: a cached output hands back its very text.</summary>
    private static void AssertSameText(GeneratorRun first, GeneratorRun second, string hintName)
        => Assert.True(ReferenceEquals(Text(first, hintName), Text(second, hintName)), $"{hintName} was generated again.");

    private static void AssertNewText(GeneratorRun first, GeneratorRun second, string hintName)
        => Assert.False(ReferenceEquals(Text(first, hintName), Text(second, hintName)), $"{hintName} was not generated again.");

    private static Microsoft.CodeAnalysis.Text.SourceText Text(GeneratorRun run, string hintName)
    {
        var source = run.Result.GeneratedSources.SingleOrDefault(s => s.HintName == hintName);
        Assert.True(source.HintName == hintName, $"The generator wrote no {hintName}.");
        return source.SourceText;
    }

    private static (object Value, IncrementalStepRunReason Reason)[] Outputs(GeneratorRun run, string step)
        => TrackedSteps.Outputs(run.Result, step);

    private static (object Value, IncrementalStepRunReason Reason)[] SourceOutputs(GeneratorRun run)
        => run.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(s => s.Outputs).ToArray();
}
