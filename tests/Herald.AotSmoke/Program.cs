using System.Runtime.CompilerServices;
using Herald;
using Herald.AotSmoke;
using Microsoft.Extensions.DependencyInjection;

// A NativeAOT app that uses Herald as users do, and checks what it sees. Exit code 0 only when every check holds.
Console.WriteLine($"Herald AOT smoke (dynamic code supported: {RuntimeFeature.IsDynamicCodeSupported})");

var checks = new SmokeChecks();
checks.Expect("runs as native code (no JIT)", !RuntimeFeature.IsDynamicCodeSupported);

await using var provider = BuildProvider(FailurePolicy.RunAll);
var bus = provider.GetRequiredService<IEventBus>();
var journal = provider.GetRequiredService<Journal>();

await checks.Section("sync publish", () =>
{
    var counter = provider.GetRequiredService<PingCounter>();
    bus.Publish(new Ping(7));
    checks.ExpectEqual("sync Publish runs the static handler", 1, PingStatics.Count);
    checks.ExpectEqual("sync Publish passes the event to the static handler", 7, PingStatics.LastNumber);
    checks.ExpectEqual("sync Publish runs the instance handler", 1, counter.Count);
    checks.ExpectEqual("sync Publish passes the event to the instance handler", 7, counter.LastNumber);
    checks.Expect("the instance handler is the provider's singleton",
        ReferenceEquals(counter, provider.GetRequiredService<PingCounter>()));

    HeraldDispatch.Publish(bus, new Ping(8));
    checks.ExpectEqual("typed HeraldDispatch.Publish runs both handlers", (2, 2), (PingStatics.Count, counter.Count));

    // After warm-up, a sync publish to these handlers allocates nothing.
    bus.Publish(new Ping(9));
    var ping = new Ping(10);
    var before = GC.GetAllocatedBytesForCurrentThread();
    for (var i = 0; i < 100; i++)
        bus.Publish(ping);
    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    checks.ExpectEqual("sync Publish allocates nothing", 0L, allocated);
    return Task.CompletedTask;
}).ConfigureAwait(false);

await checks.Section("async publish, sync handlers", async () =>
{
    var pending = bus.PublishAsync(new UserRenamed("ada"));
    checks.Expect("PublishAsync with only sync handlers completes synchronously", pending.IsCompletedSuccessfully);
    await pending.ConfigureAwait(false);
    checks.ExpectSequence("the event's own handler runs, then the interface handler (Order 10)",
        ["renamed:ada", "audit:user ada"], journal.Take());

    bus.Publish(new UserRenamed("grace"));
    checks.ExpectSequence("sync Publish reaches the interface handler too",
        ["renamed:grace", "audit:user grace"], journal.Take());
}).ConfigureAwait(false);

await checks.Section("async publish, async handler", async () =>
{
    var gate = provider.GetRequiredService<HandlerGate>();
    gate.Close();
    var pending = bus.PublishAsync(new OrderPlaced("SKU-1"));
    checks.Expect("PublishAsync with a pending async handler returns before the handler completes", !pending.IsCompleted);
    checks.ExpectSequence("handlers after the pending one wait for it", [], journal.Take());
    gate.Open();
    await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    checks.ExpectSequence("the async handler completes before the interface handler runs",
        ["projection:SKU-1", "audit:order SKU-1"], journal.Take());

    await HeraldDispatch.PublishAsync(bus, new OrderPlaced("SKU-2")).ConfigureAwait(false);
    checks.ExpectSequence("typed HeraldDispatch.PublishAsync runs the same handlers",
        ["projection:SKU-2", "audit:order SKU-2"], journal.Take());

    IAuditable asInterface = new OrderPlaced("SKU-3");
    await bus.PublishAsync(asInterface).ConfigureAwait(false);
    checks.ExpectSequence("publishing through the interface type runs the runtime type's handlers",
        ["projection:SKU-3", "audit:order SKU-3"], journal.Take());

    using var cancelled = new CancellationTokenSource();
    await cancelled.CancelAsync().ConfigureAwait(false);
    var wasCancelled = false;
    try
    {
        await bus.PublishAsync(new OrderPlaced("SKU-4"), cancelled.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        wasCancelled = true;
    }
    checks.Expect("PublishAsync with a cancelled token throws OperationCanceledException", wasCancelled);
    checks.ExpectSequence("a cancelled publish runs no handler", [], journal.Take());
}).ConfigureAwait(false);

await checks.Section("failures (RunAll)", async () =>
{
    var sync = Catch(() => bus.Publish(new Faulty(1)));
    CheckCollected("sync Publish", sync, 1);

    HandlersFailedException? async = null;
    try
    {
        await bus.PublishAsync(new Faulty(2)).ConfigureAwait(false);
    }
    catch (HandlersFailedException ex)
    {
        async = ex;
    }
    CheckCollected("PublishAsync", async, 2);
}).ConfigureAwait(false);

await checks.Section("failures (StopOnFirst)", async () =>
{
    await using var stopProvider = BuildProvider(FailurePolicy.StopOnFirst);
    var stopBus = stopProvider.GetRequiredService<IEventBus>();
    Exception? thrown = null;
    try
    {
        stopBus.Publish(new Faulty(3));
    }
    catch (Exception ex)
    {
        thrown = ex;
    }
    checks.Expect("StopOnFirst propagates the first failure unchanged", thrown is InvalidOperationException,
        $"got {thrown?.GetType().Name ?? "nothing"}");
    checks.ExpectSequence("StopOnFirst runs no handler after the failure", [], stopProvider.GetRequiredService<Journal>().Take());
}).ConfigureAwait(false);

return checks.Finish();

void CheckCollected(string how, HandlersFailedException? failure, int id)
{
    checks.Expect($"{how}: failing handlers end in a HandlersFailedException", failure is not null);
    if (failure is null)
        return;
    checks.ExpectSequence($"{how}: the handler between the failures still runs", [$"second:{id}"], journal.Take());
    checks.ExpectSequence($"{how}: every failure is collected, in handler order",
        ["Herald.AotSmoke.FaultyHandlers.First", "Herald.AotSmoke.FaultyHandlers.Third"],
        [.. failure.Failures.Select(f => f.Handler)]);
    checks.Expect($"{how}: each failure keeps its exception",
        failure.Failures.Count == 2
        && failure.Failures[0].Exception is InvalidOperationException { Message: var first } && first == $"first failed on {id}"
        && failure.Failures[1].Exception is ArgumentException { Message: var third } && third == $"third failed on {id}");
    checks.ExpectEqual($"{how}: the failures are the inner exceptions", 2, failure.InnerExceptions.Count);
    checks.Expect($"{how}: the exception names the event type", failure.EventType == typeof(Faulty));
}

static HandlersFailedException? Catch(Action publish)
{
    try
    {
        publish();
        return null;
    }
    catch (HandlersFailedException ex)
    {
        return ex;
    }
}

static ServiceProvider BuildProvider(FailurePolicy policy)
{
    var services = new ServiceCollection();
    services.AddSingleton<Journal>();
    services.AddSingleton<HandlerGate>();
    services.AddHerald(o => o.FailurePolicy = policy);
    return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
