using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Peers;

/// <summary>
/// One publish of an event with 1, 3 or 8 handlers, through Herald and through the libraries a user would pick
/// instead, next to calling the same handler methods directly (the baseline of each handler count) and through a
/// multicast delegate. Every library runs the same handler bodies (a static counter increment, not inlined) on
/// singleton handler instances, except MassTransit, whose consumers are scoped per message by design.
/// </summary>
/// <remarks>
/// <para>One category per handler count, each with its own baseline, so the table's ratios compare rows of the
/// same handler count. The methods of a count differ only by the types they name: a benchmark method holds no
/// switch or indirection that the baseline does not also pay.</para>
/// <para>"sync handlers": handlers that complete synchronously (Herald's are <c>void</c>; the peers' return a
/// completed <c>ValueTask</c>/<c>Task</c>, the shape their APIs require). "async handlers": handlers that await a
/// <see cref="ResumeGate"/> wait that is really pending, so each one suspends and every layer of the library
/// resumes; the gate is completed by the benchmark thread, so no scheduler is measured.</para>
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class PeerBenchmarks
{
    private const string One = "1 handler";
    private const string Three = "3 handlers";
    private const string Eight = "8 handlers";

    private readonly HeraldTick1 _heraldTick1 = new(1);
    private readonly HeraldTick3 _heraldTick3 = new(3);
    private readonly HeraldTick8 _heraldTick8 = new(8);
    private readonly HeraldAsyncTick1 _heraldAsyncTick1 = new(1);
    private readonly HeraldAsyncTick3 _heraldAsyncTick3 = new(3);
    private readonly HeraldAsyncTick8 _heraldAsyncTick8 = new(8);
    private readonly MediatorTick1 _mediatorTick1 = new(1);
    private readonly MediatorTick3 _mediatorTick3 = new(3);
    private readonly MediatorTick8 _mediatorTick8 = new(8);
    private readonly MediatorAsyncTick1 _mediatorAsyncTick1 = new(1);
    private readonly MediatorAsyncTick3 _mediatorAsyncTick3 = new(3);
    private readonly MediatorAsyncTick8 _mediatorAsyncTick8 = new(8);
    private readonly MediatRTick1 _mediatRTick1 = new(1);
    private readonly MediatRTick3 _mediatRTick3 = new(3);
    private readonly MediatRTick8 _mediatRTick8 = new(8);
    private readonly MediatRAsyncTick1 _mediatRAsyncTick1 = new(1);
    private readonly MediatRAsyncTick3 _mediatRAsyncTick3 = new(3);
    private readonly MediatRAsyncTick8 _mediatRAsyncTick8 = new(8);
    private readonly MassTransitTick1 _massTransitTick1 = new(1);
    private readonly MassTransitTick3 _massTransitTick3 = new(3);
    private readonly MassTransitTick8 _massTransitTick8 = new(8);
    private readonly MassTransitAsyncTick1 _massTransitAsyncTick1 = new(1);
    private readonly MassTransitAsyncTick3 _massTransitAsyncTick3 = new(3);
    private readonly MassTransitAsyncTick8 _massTransitAsyncTick8 = new(8);

    private readonly ResumeGate _gate = ResumeGate.Shared;
    private PeerContainers _containers = null!;

    private IEventBus _bus = null!;
    private HeraldHandler1 _h1 = null!;
    private HeraldHandler2 _h2 = null!;
    private HeraldHandler3 _h3 = null!;
    private HeraldHandler4 _h4 = null!;
    private HeraldHandler5 _h5 = null!;
    private HeraldHandler6 _h6 = null!;
    private HeraldHandler7 _h7 = null!;
    private HeraldHandler8 _h8 = null!;
    private Action<HeraldTick1> _delegate1 = null!;
    private Action<HeraldTick3> _delegate3 = null!;
    private Action<HeraldTick8> _delegate8 = null!;

    private global::Mediator.Mediator _mediator = null!;
    private global::Mediator.IMediator _mediatorInterface = null!;
    private global::MediatR.IMediator _mediatR = null!;
    private global::MassTransit.Mediator.IMediator _massTransit = null!;

    [GlobalSetup]
    public void Setup()
    {
        _containers = PeerContainers.Create();
        var herald = _containers.Herald;
        _bus = herald.GetRequiredService<IEventBus>();
        _h1 = herald.GetRequiredService<HeraldHandler1>();
        _h2 = herald.GetRequiredService<HeraldHandler2>();
        _h3 = herald.GetRequiredService<HeraldHandler3>();
        _h4 = herald.GetRequiredService<HeraldHandler4>();
        _h5 = herald.GetRequiredService<HeraldHandler5>();
        _h6 = herald.GetRequiredService<HeraldHandler6>();
        _h7 = herald.GetRequiredService<HeraldHandler7>();
        _h8 = herald.GetRequiredService<HeraldHandler8>();

        _delegate1 = _h1.Handle;
        _delegate3 = _h1.Handle;
        _delegate3 += _h2.Handle;
        _delegate3 += _h3.Handle;
        _delegate8 = _h1.Handle;
        _delegate8 += _h2.Handle;
        _delegate8 += _h3.Handle;
        _delegate8 += _h4.Handle;
        _delegate8 += _h5.Handle;
        _delegate8 += _h6.Handle;
        _delegate8 += _h7.Handle;
        _delegate8 += _h8.Handle;

        _mediator = _containers.Mediator.GetRequiredService<global::Mediator.Mediator>();
        _mediatorInterface = _containers.Mediator.GetRequiredService<global::Mediator.IMediator>();
        _mediatR = _containers.MediatR.GetRequiredService<global::MediatR.IMediator>();
        _massTransit = _containers.MassTransit.GetRequiredService<global::MassTransit.Mediator.IMediator>();

        VerifyEveryBenchmarkRunsItsHandlers();
    }

    [GlobalCleanup]
    public void Cleanup() => _containers.Dispose();

    // ---- 1 handler ------------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "direct calls"), BenchmarkCategory(One)]
    public void Direct1() => _h1.Handle(_heraldTick1);

    [Benchmark(Description = "multicast delegate"), BenchmarkCategory(One)]
    public void Delegate1() => _delegate1(_heraldTick1);

    [Benchmark(Description = "Herald: HeraldDispatch.Publish (typed)"), BenchmarkCategory(One)]
    public void HeraldTyped1() => HeraldDispatch.Publish(_bus, _heraldTick1);

    [Benchmark(Description = "Herald: IEventBus.Publish (intercepted)"), BenchmarkCategory(One)]
    public void HeraldPublish1() => _bus.Publish(_heraldTick1);

    [Benchmark(Description = "Herald: IEventBus.Publish from generic code (the slot)"), BenchmarkCategory(One)]
    public void HeraldSlot1() => SlotPath.Publish(_bus, _heraldTick1);

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, sync handlers"), BenchmarkCategory(One)]
    public ValueTask HeraldPublishAsync1() => _bus.PublishAsync(_heraldTick1);

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish (concrete)"), BenchmarkCategory(One)]
    public ValueTask MediatorConcrete1() => _mediator.Publish(_mediatorTick1);

    [Benchmark(Description = "Mediator 3.0.2: IMediator.Publish"), BenchmarkCategory(One)]
    public ValueTask MediatorInterface1() => _mediatorInterface.Publish(_mediatorTick1);

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish"), BenchmarkCategory(One)]
    public Task MediatR1() => _mediatR.Publish(_mediatRTick1);

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish"), BenchmarkCategory(One)]
    public Task MassTransit1() => _massTransit.Publish(_massTransitTick1);

    [Benchmark(Description = "direct awaits, async handlers"), BenchmarkCategory(One)]
    public void DirectAsync1() => _gate.RunUntilCompleted(DirectAwaits1());

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, async handlers"), BenchmarkCategory(One)]
    public void HeraldAsync1() => _gate.RunUntilCompleted(_bus.PublishAsync(_heraldAsyncTick1));

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish, async handlers"), BenchmarkCategory(One)]
    public void MediatorAsync1() => _gate.RunUntilCompleted(_mediator.Publish(_mediatorAsyncTick1));

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish, async handlers"), BenchmarkCategory(One)]
    public void MediatRAsync1() => _gate.RunUntilCompleted(_mediatR.Publish(_mediatRAsyncTick1));

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish, async handlers"), BenchmarkCategory(One)]
    public void MassTransitAsync1() => _gate.RunUntilCompleted(_massTransit.Publish(_massTransitAsyncTick1));

    // ---- 3 handlers -----------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "direct calls"), BenchmarkCategory(Three)]
    public void Direct3()
    {
        _h1.Handle(_heraldTick3);
        _h2.Handle(_heraldTick3);
        _h3.Handle(_heraldTick3);
    }

    [Benchmark(Description = "multicast delegate"), BenchmarkCategory(Three)]
    public void Delegate3() => _delegate3(_heraldTick3);

    [Benchmark(Description = "Herald: HeraldDispatch.Publish (typed)"), BenchmarkCategory(Three)]
    public void HeraldTyped3() => HeraldDispatch.Publish(_bus, _heraldTick3);

    [Benchmark(Description = "Herald: IEventBus.Publish (intercepted)"), BenchmarkCategory(Three)]
    public void HeraldPublish3() => _bus.Publish(_heraldTick3);

    [Benchmark(Description = "Herald: IEventBus.Publish from generic code (the slot)"), BenchmarkCategory(Three)]
    public void HeraldSlot3() => SlotPath.Publish(_bus, _heraldTick3);

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, sync handlers"), BenchmarkCategory(Three)]
    public ValueTask HeraldPublishAsync3() => _bus.PublishAsync(_heraldTick3);

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish (concrete)"), BenchmarkCategory(Three)]
    public ValueTask MediatorConcrete3() => _mediator.Publish(_mediatorTick3);

    [Benchmark(Description = "Mediator 3.0.2: IMediator.Publish"), BenchmarkCategory(Three)]
    public ValueTask MediatorInterface3() => _mediatorInterface.Publish(_mediatorTick3);

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish"), BenchmarkCategory(Three)]
    public Task MediatR3() => _mediatR.Publish(_mediatRTick3);

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish"), BenchmarkCategory(Three)]
    public Task MassTransit3() => _massTransit.Publish(_massTransitTick3);

    [Benchmark(Description = "direct awaits, async handlers"), BenchmarkCategory(Three)]
    public void DirectAsync3() => _gate.RunUntilCompleted(DirectAwaits3());

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, async handlers"), BenchmarkCategory(Three)]
    public void HeraldAsync3() => _gate.RunUntilCompleted(_bus.PublishAsync(_heraldAsyncTick3));

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish, async handlers"), BenchmarkCategory(Three)]
    public void MediatorAsync3() => _gate.RunUntilCompleted(_mediator.Publish(_mediatorAsyncTick3));

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish, async handlers"), BenchmarkCategory(Three)]
    public void MediatRAsync3() => _gate.RunUntilCompleted(_mediatR.Publish(_mediatRAsyncTick3));

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish, async handlers"), BenchmarkCategory(Three)]
    public void MassTransitAsync3() => _gate.RunUntilCompleted(_massTransit.Publish(_massTransitAsyncTick3));

    // ---- 8 handlers -----------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "direct calls"), BenchmarkCategory(Eight)]
    public void Direct8()
    {
        _h1.Handle(_heraldTick8);
        _h2.Handle(_heraldTick8);
        _h3.Handle(_heraldTick8);
        _h4.Handle(_heraldTick8);
        _h5.Handle(_heraldTick8);
        _h6.Handle(_heraldTick8);
        _h7.Handle(_heraldTick8);
        _h8.Handle(_heraldTick8);
    }

    [Benchmark(Description = "multicast delegate"), BenchmarkCategory(Eight)]
    public void Delegate8() => _delegate8(_heraldTick8);

    [Benchmark(Description = "Herald: HeraldDispatch.Publish (typed)"), BenchmarkCategory(Eight)]
    public void HeraldTyped8() => HeraldDispatch.Publish(_bus, _heraldTick8);

    [Benchmark(Description = "Herald: IEventBus.Publish (intercepted)"), BenchmarkCategory(Eight)]
    public void HeraldPublish8() => _bus.Publish(_heraldTick8);

    [Benchmark(Description = "Herald: IEventBus.Publish from generic code (the slot)"), BenchmarkCategory(Eight)]
    public void HeraldSlot8() => SlotPath.Publish(_bus, _heraldTick8);

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, sync handlers"), BenchmarkCategory(Eight)]
    public ValueTask HeraldPublishAsync8() => _bus.PublishAsync(_heraldTick8);

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish (concrete)"), BenchmarkCategory(Eight)]
    public ValueTask MediatorConcrete8() => _mediator.Publish(_mediatorTick8);

    [Benchmark(Description = "Mediator 3.0.2: IMediator.Publish"), BenchmarkCategory(Eight)]
    public ValueTask MediatorInterface8() => _mediatorInterface.Publish(_mediatorTick8);

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish"), BenchmarkCategory(Eight)]
    public Task MediatR8() => _mediatR.Publish(_mediatRTick8);

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish"), BenchmarkCategory(Eight)]
    public Task MassTransit8() => _massTransit.Publish(_massTransitTick8);

    [Benchmark(Description = "direct awaits, async handlers"), BenchmarkCategory(Eight)]
    public void DirectAsync8() => _gate.RunUntilCompleted(DirectAwaits8());

    [Benchmark(Description = "Herald: IEventBus.PublishAsync, async handlers"), BenchmarkCategory(Eight)]
    public void HeraldAsync8() => _gate.RunUntilCompleted(_bus.PublishAsync(_heraldAsyncTick8));

    [Benchmark(Description = "Mediator 3.0.2: Mediator.Publish, async handlers"), BenchmarkCategory(Eight)]
    public void MediatorAsync8() => _gate.RunUntilCompleted(_mediator.Publish(_mediatorAsyncTick8));

    [Benchmark(Description = "MediatR 5.1.0: IMediator.Publish, async handlers"), BenchmarkCategory(Eight)]
    public void MediatRAsync8() => _gate.RunUntilCompleted(_mediatR.Publish(_mediatRAsyncTick8));

    [Benchmark(Description = "MassTransit 8.5.12: IMediator.Publish, async handlers"), BenchmarkCategory(Eight)]
    public void MassTransitAsync8() => _gate.RunUntilCompleted(_massTransit.Publish(_massTransitAsyncTick8));

    // ---- the async baselines: the handlers awaited one after the other, as hand-written code would --------------

    private async ValueTask DirectAwaits1() => await _h1.Handle(_heraldAsyncTick1);

    private async ValueTask DirectAwaits3()
    {
        await _h1.Handle(_heraldAsyncTick3);
        await _h2.Handle(_heraldAsyncTick3);
        await _h3.Handle(_heraldAsyncTick3);
    }

    private async ValueTask DirectAwaits8()
    {
        await _h1.Handle(_heraldAsyncTick8);
        await _h2.Handle(_heraldAsyncTick8);
        await _h3.Handle(_heraldAsyncTick8);
        await _h4.Handle(_heraldAsyncTick8);
        await _h5.Handle(_heraldAsyncTick8);
        await _h6.Handle(_heraldAsyncTick8);
        await _h7.Handle(_heraldAsyncTick8);
        await _h8.Handle(_heraldAsyncTick8);
    }

    // ---- setup check: every benchmark runs exactly the handlers of its case, once --------------------------------

    private void VerifyEveryBenchmarkRunsItsHandlers()
    {
        var checks = new (string Name, Action Publish, int Handlers, Func<int>[] Counters)[]
        {
            (nameof(Direct1), Direct1, 1, HandlerCounters.Herald),
            (nameof(Delegate1), Delegate1, 1, HandlerCounters.Herald),
            (nameof(HeraldTyped1), HeraldTyped1, 1, HandlerCounters.Herald),
            (nameof(HeraldPublish1), HeraldPublish1, 1, HandlerCounters.Herald),
            (nameof(HeraldSlot1), HeraldSlot1, 1, HandlerCounters.Herald),
            (nameof(HeraldPublishAsync1), () => Observe(HeraldPublishAsync1()), 1, HandlerCounters.Herald),
            (nameof(MediatorConcrete1), () => Observe(MediatorConcrete1()), 1, HandlerCounters.Mediator),
            (nameof(MediatorInterface1), () => Observe(MediatorInterface1()), 1, HandlerCounters.Mediator),
            (nameof(MediatR1), () => Observe(MediatR1()), 1, HandlerCounters.MediatR),
            (nameof(MassTransit1), () => Observe(MassTransit1()), 1, HandlerCounters.MassTransit),
            (nameof(DirectAsync1), DirectAsync1, 1, HandlerCounters.Herald),
            (nameof(HeraldAsync1), HeraldAsync1, 1, HandlerCounters.Herald),
            (nameof(MediatorAsync1), MediatorAsync1, 1, HandlerCounters.Mediator),
            (nameof(MediatRAsync1), MediatRAsync1, 1, HandlerCounters.MediatR),
            (nameof(MassTransitAsync1), MassTransitAsync1, 1, HandlerCounters.MassTransit),

            (nameof(Direct3), Direct3, 3, HandlerCounters.Herald),
            (nameof(Delegate3), Delegate3, 3, HandlerCounters.Herald),
            (nameof(HeraldTyped3), HeraldTyped3, 3, HandlerCounters.Herald),
            (nameof(HeraldPublish3), HeraldPublish3, 3, HandlerCounters.Herald),
            (nameof(HeraldSlot3), HeraldSlot3, 3, HandlerCounters.Herald),
            (nameof(HeraldPublishAsync3), () => Observe(HeraldPublishAsync3()), 3, HandlerCounters.Herald),
            (nameof(MediatorConcrete3), () => Observe(MediatorConcrete3()), 3, HandlerCounters.Mediator),
            (nameof(MediatorInterface3), () => Observe(MediatorInterface3()), 3, HandlerCounters.Mediator),
            (nameof(MediatR3), () => Observe(MediatR3()), 3, HandlerCounters.MediatR),
            (nameof(MassTransit3), () => Observe(MassTransit3()), 3, HandlerCounters.MassTransit),
            (nameof(DirectAsync3), DirectAsync3, 3, HandlerCounters.Herald),
            (nameof(HeraldAsync3), HeraldAsync3, 3, HandlerCounters.Herald),
            (nameof(MediatorAsync3), MediatorAsync3, 3, HandlerCounters.Mediator),
            (nameof(MediatRAsync3), MediatRAsync3, 3, HandlerCounters.MediatR),
            (nameof(MassTransitAsync3), MassTransitAsync3, 3, HandlerCounters.MassTransit),

            (nameof(Direct8), Direct8, 8, HandlerCounters.Herald),
            (nameof(Delegate8), Delegate8, 8, HandlerCounters.Herald),
            (nameof(HeraldTyped8), HeraldTyped8, 8, HandlerCounters.Herald),
            (nameof(HeraldPublish8), HeraldPublish8, 8, HandlerCounters.Herald),
            (nameof(HeraldSlot8), HeraldSlot8, 8, HandlerCounters.Herald),
            (nameof(HeraldPublishAsync8), () => Observe(HeraldPublishAsync8()), 8, HandlerCounters.Herald),
            (nameof(MediatorConcrete8), () => Observe(MediatorConcrete8()), 8, HandlerCounters.Mediator),
            (nameof(MediatorInterface8), () => Observe(MediatorInterface8()), 8, HandlerCounters.Mediator),
            (nameof(MediatR8), () => Observe(MediatR8()), 8, HandlerCounters.MediatR),
            (nameof(MassTransit8), () => Observe(MassTransit8()), 8, HandlerCounters.MassTransit),
            (nameof(DirectAsync8), DirectAsync8, 8, HandlerCounters.Herald),
            (nameof(HeraldAsync8), HeraldAsync8, 8, HandlerCounters.Herald),
            (nameof(MediatorAsync8), MediatorAsync8, 8, HandlerCounters.Mediator),
            (nameof(MediatRAsync8), MediatRAsync8, 8, HandlerCounters.MediatR),
            (nameof(MassTransitAsync8), MassTransitAsync8, 8, HandlerCounters.MassTransit),
        };

        foreach (var (name, publish, handlers, counters) in checks)
            HandlerCounters.VerifyOnePublish(name, publish, handlers, counters);
    }

    /// <summary>The sync-handler publishes must complete synchronously; anything else would be a different case.</summary>
    private static void Observe(ValueTask publish)
    {
        if (!publish.IsCompletedSuccessfully)
            throw new InvalidOperationException("A publish whose handlers complete synchronously did not complete synchronously.");
        publish.GetAwaiter().GetResult();
    }

    private static void Observe(Task publish)
    {
        if (!publish.IsCompletedSuccessfully)
            throw new InvalidOperationException("A publish whose handlers complete synchronously did not complete synchronously.");
        publish.GetAwaiter().GetResult();
    }
}
