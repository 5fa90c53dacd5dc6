using System.Runtime.CompilerServices;
using MediatR;

namespace Herald.Benchmarks.Peers;

// MediatR 5.1.0's side of PeerBenchmarks: the same events, handler classes and handler bodies as Herald's, as
// INotification / INotificationHandler<T> (handlers return Task in this version).

public sealed record MediatRTick1(int Value) : INotification;
public sealed record MediatRTick3(int Value) : INotification;
public sealed record MediatRTick8(int Value) : INotification;
public sealed record MediatRAsyncTick1(int Value) : INotification;
public sealed record MediatRAsyncTick3(int Value) : INotification;
public sealed record MediatRAsyncTick8(int Value) : INotification;

public sealed class MediatRHandler1 :
    INotificationHandler<MediatRTick1>,
    INotificationHandler<MediatRTick3>,
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick1>,
    INotificationHandler<MediatRAsyncTick3>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick1 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick1 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler2 :
    INotificationHandler<MediatRTick3>,
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick3>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler3 :
    INotificationHandler<MediatRTick3>,
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick3>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler4 :
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler5 :
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler6 :
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler7 :
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatRHandler8 :
    INotificationHandler<MediatRTick8>,
    INotificationHandler<MediatRAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task Handle(MediatRTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task Handle(MediatRAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}
