using System.Runtime.CompilerServices;
using Mediator;

namespace Herald.Benchmarks.Peers;

// Mediator 3.0.2's side of PeerBenchmarks: the same events, handler classes and handler bodies as Herald's, as
// INotification / INotificationHandler<T>. Its source generator writes one mediator for the whole assembly, hence
// a notification type per case.

public sealed record MediatorTick1(int Value) : INotification;
public sealed record MediatorTick3(int Value) : INotification;
public sealed record MediatorTick8(int Value) : INotification;
public sealed record MediatorAsyncTick1(int Value) : INotification;
public sealed record MediatorAsyncTick3(int Value) : INotification;
public sealed record MediatorAsyncTick8(int Value) : INotification;

public sealed class MediatorHandler1 :
    INotificationHandler<MediatorTick1>,
    INotificationHandler<MediatorTick3>,
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick1>,
    INotificationHandler<MediatorAsyncTick3>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick1 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick1 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler2 :
    INotificationHandler<MediatorTick3>,
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick3>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler3 :
    INotificationHandler<MediatorTick3>,
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick3>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick3 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick3 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler4 :
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler5 :
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler6 :
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler7 :
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class MediatorHandler8 :
    INotificationHandler<MediatorTick8>,
    INotificationHandler<MediatorAsyncTick8>
{
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask Handle(MediatorTick8 notification, CancellationToken cancellationToken)
    {
        Count++;
        return default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(MediatorAsyncTick8 notification, CancellationToken cancellationToken)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}
