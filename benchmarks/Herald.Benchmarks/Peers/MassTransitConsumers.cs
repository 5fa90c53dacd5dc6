using System.Runtime.CompilerServices;
using MassTransit;

namespace Herald.Benchmarks.Peers;

// MassTransit 8.5.12's side of PeerBenchmarks: the same events, classes and bodies as Herald's, as consumers of
// its in-memory mediator (IConsumer<T>, handlers return Task).

public sealed record MassTransitTick1(int Value);
public sealed record MassTransitTick3(int Value);
public sealed record MassTransitTick8(int Value);
public sealed record MassTransitAsyncTick1(int Value);
public sealed record MassTransitAsyncTick3(int Value);
public sealed record MassTransitAsyncTick8(int Value);

public sealed class MassTransitConsumer1 :
    IConsumer<MassTransitTick1>,
    IConsumer<MassTransitTick3>,
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick1>,
    IConsumer<MassTransitAsyncTick3>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick1> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick3> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick1> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick3> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer2 :
    IConsumer<MassTransitTick3>,
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick3>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick3> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick3> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer3 :
    IConsumer<MassTransitTick3>,
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick3>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick3> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick3> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer4 :
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer5 :
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer6 :
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer7 :
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MassTransitConsumer8 :
    IConsumer<MassTransitTick8>,
    IConsumer<MassTransitAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Consume(ConsumeContext<MassTransitTick8> context)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Consume(ConsumeContext<MassTransitAsyncTick8> context)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}
