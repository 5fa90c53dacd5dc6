using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// The generated dispatch table of each scenario, compared with <c>Baselines/{Scenario}.generated.txt</c>
/// (set <c>HERALD_UPDATE_BASELINES=1</c> to rewrite them).
/// </summary>
public sealed class DispatchGeneratorBaselineTests
{
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void GeneratedTable_MatchesBaseline(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario));

        Baseline.Verify(scenario, run.TableSource);
    }

    /// <summary>The durable file of each scenario, in <c>Baselines/{Scenario}.DurableJson.generated.txt</c>.</summary>
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void GeneratedDurableFile_MatchesBaseline(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario));

        Baseline.VerifyOptional(scenario + ".DurableJson", run.DurableSource);
    }

    /// <summary>The interceptors of each scenario's publish sites, in <c>Baselines/{Scenario}.Interceptors.generated.txt</c>.</summary>
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void GeneratedInterceptors_MatchBaseline(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario));

        Baseline.VerifyOptional(scenario + ".Interceptors", run.InterceptorsSource);
    }

    /// <summary>The event index of each scenario (what the analyzers learn of the compilation), in <c>Baselines/{Scenario}.EventIndex.generated.txt</c>.</summary>
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void GeneratedEventIndex_MatchesBaseline(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario));

        Baseline.VerifyOptional(scenario + ".EventIndex", run.EventIndexSource);
    }

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void GeneratedTable_CompilesWithoutErrorsOrWarnings(string scenario)
    {
        var run = GeneratorRun.Run(Scenarios.ByName(scenario));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems());
    }

    [Fact]
    public void StaticHandler_IsCalledDirectly()
    {
        var source = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers()).GeneratedSource;

        Assert.Contains("try { global::Sample.AuditLog.Write(e); }", source, StringComparison.Ordinal);
        Assert.Contains("try { global::Sample.AuditLog.Write(e); }", File.ReadAllText(Baseline.PathOf(nameof(Scenarios.StaticAndInstanceHandlers))), StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceHandler_IsResolvedFromTheDispatchContext()
    {
        var source = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers()).GeneratedSource;

        Assert.Contains("context.Get<global::Sample.Mailer>().Send(e);", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Handlers_RunByOrderThenSourceOrder()
    {
        var source = GeneratorRun.Run(Scenarios.StaticAndInstanceHandlers()).GeneratedSource;
        var publish = source[source.IndexOf("internal static void Publish(", StringComparison.Ordinal)..];
        publish = publish[..publish.IndexOf("context.Complete(", StringComparison.Ordinal)];

        int Position(string call) => publish.IndexOf(call, StringComparison.Ordinal);
        Assert.True(Position("AuditLog.Write(e)") >= 0);
        Assert.True(Position("AuditLog.Write(e)") < Position("Mailer>().Send(e)"));
        Assert.True(Position("Mailer>().Send(e)") < Position("Metrics>().CountAgain(e, default)"));
        Assert.True(Position("Metrics>().CountAgain(e, default)") < Position("Metrics>().Count(e)"));
    }

    [Fact]
    public void EventWithAsyncHandlers_HasNoSyncTypedPublish()
    {
        var source = GeneratorRun.Run(Scenarios.AsyncAndSyncHandlers()).GeneratedSource;

        Assert.DoesNotContain("public static void Publish(global::Herald.IEventBus bus, global::Sample.PaymentReceived @event)", source, StringComparison.Ordinal);
        Assert.Contains("public static void Publish(global::Herald.IEventBus bus, global::Sample.Heartbeat @event)", source, StringComparison.Ordinal);
        Assert.Contains("ThrowAsyncHandlersNeedPublishAsync(typeof(global::Sample.PaymentReceived)", source, StringComparison.Ordinal);
    }

    [Fact]
    public void DerivedEvent_ReceivesHandlersOfItsBaseClassAndInterfaces()
    {
        var source = GeneratorRun.Run(Scenarios.Polymorphism()).GeneratedSource;
        var shipped = source[source.IndexOf("PublishAsync(global::Herald.IEventBus bus, global::Sample.OrderShipped e", StringComparison.Ordinal)..];
        shipped = shipped[..shipped.IndexOf("return default;", StringComparison.Ordinal)];

        Assert.Contains("global::Sample.Audit.Any(e)", shipped, StringComparison.Ordinal);
        Assert.Contains("global::Sample.Audit.Shipped(e)", shipped, StringComparison.Ordinal);
        Assert.Contains("context.Get<global::Sample.Timeline>().Record(e)", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencingAssembly_CallsTheReferencedModulesExportedHandlers()
    {
        var library = GeneratorRun.Run(Scenarios.Library()).GeneratedSource;
        var app = GeneratorRun.Run(Scenarios.App()).GeneratedSource;

        Assert.Contains("public static void Handler0(", library, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Threading.Tasks.ValueTask Handler1(", library, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.Shop.Inventory.DispatchTable.Handler0(ref context, e, cancellationToken)", app, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.Shop.Inventory.DispatchTable.Handler1(ref context, e, cancellationToken)", app, StringComparison.Ordinal);
        Assert.Contains("global::Herald.Generated.Shop.Inventory.DispatchTable.AddOwnHandlerServices(services);", app, StringComparison.Ordinal);
    }
}
